import type { AnalysisResult } from '@/features/simulation/results';
import type { AnalysisColumns, ResultWriter } from '@/shared/engine/types';

/** The valid rows of an analysis as the writer takes them (views, no copies). */
export function analysisColumns(a: AnalysisResult): AnalysisColumns {
  const rows = (b: Float64Array) => b.subarray(0, a.rows);
  return {
    analysis: a.analysis,
    xName: a.xName,
    complex: a.complex,
    signals: a.signals,
    rows: a.rows,
    x: rows(a.x),
    re: a.re.map(rows),
    im: a.complex ? a.im.map(rows) : [],
  };
}

/**
 * CSV of one analysis, the file `simcore run` writes for it (written by the
 * wasm module's io/ writer): sweep column (none for op), one column per
 * signal; AC as vdb(node)/vp(node) and db(i(x))/ph(i(x)).
 */
export async function analysisCsv(a: AnalysisResult, writer: ResultWriter): Promise<string> {
  return new TextDecoder().decode(await writer.exportAnalysis('csv', analysisColumns(a)));
}

export function download(name: string, data: Blob | string, type = 'text/plain') {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Stack chart canvases (with their legends as text) into one PNG. */
export async function chartsPng(charts: { canvas: HTMLCanvasElement; title: string; legend: { label: string; color: string }[] }[]): Promise<Blob> {
  const pad = 8;
  const head = 22;
  const w = Math.max(...charts.map((c) => c.canvas.width)) + 2 * pad;
  const h = charts.reduce((s, c) => s + c.canvas.height + head, 0) + 2 * pad;
  const out = document.createElement('canvas');
  out.width = w;
  out.height = h;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  let y = pad;
  const dpr = window.devicePixelRatio || 1;
  for (const c of charts) {
    ctx.font = `${12 * dpr}px sans-serif`;
    ctx.fillStyle = '#0f172a';
    let x = pad;
    ctx.fillText(c.title, x, y + 14 * dpr);
    x += ctx.measureText(c.title).width + 12;
    for (const l of c.legend) {
      ctx.fillStyle = l.color;
      ctx.fillRect(x, y + 6 * dpr, 10 * dpr, 3 * dpr);
      x += 14 * dpr;
      ctx.fillStyle = '#334155';
      ctx.fillText(l.label, x, y + 14 * dpr);
      x += ctx.measureText(l.label).width + 12;
    }
    y += head;
    ctx.drawImage(c.canvas, pad, y);
    y += c.canvas.height;
  }
  return new Promise((res) => out.toBlob((b) => res(b!), 'image/png'));
}
