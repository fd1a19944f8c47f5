// SVG export of the plot panel: every chart as drawn (its x window, its y ranges, the traces
// as plotted — decimated to the chart's width for long results), with axes, tick labels, units
// and a legend, stacked into one standalone SVG document. Pure: the charts describe themselves
// (Chart.tsx's svgSpec), this module only draws.
import { formatTicks } from '@/shared/lib/si';
import { logTicks, niceStep } from './ticks';

export interface SvgAxis {
  unit: string;
  side: 'left' | 'right';
  min: number;
  max: number;
  /** Axis colour when a chart has several y axes ('' = default). */
  color: string;
}

export interface SvgSeries {
  label: string;
  color: string;
  /** Index into SvgChart.yAxes. */
  axis: number;
  y: ArrayLike<number | null>;
}

export interface SvgChart {
  title: string;
  xLabel: string;
  xUnit: string;
  logX: boolean;
  xMin: number;
  xMax: number;
  x: ArrayLike<number>;
  yAxes: SvgAxis[];
  series: SvgSeries[];
}

const WIDTH = 900;
const PLOT_H = 260;
const HEAD = 28;
const MARGIN = { left: 78, right: 78, top: 8, bottom: 44 };
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function num(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** Ticks of a linear axis [min, max]: about `count` nice values and their labels. */
export function linearTicks(min: number, max: number, unit: string, count = 6): { values: number[]; labels: string[] } {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return { values: [], labels: [] };
  const step = niceStep((max - min) / count);
  const values: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step, i = 0; v <= max + step * 1e-9 && i < 60; v += step, i++)
    values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { values, labels: formatTicks(values, unit) };
}

/** The polyline(s) of one trace as an SVG path; non-finite values break the line. */
export function tracePath(xs: ArrayLike<number>, ys: ArrayLike<number | null>, px: (x: number) => number, py: (y: number) => number): string {
  let d = '';
  let pen = false;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    const x = xs[i];
    if (y == null || !Number.isFinite(y) || !Number.isFinite(x)) {
      pen = false;
      continue;
    }
    const X = px(x);
    const Y = py(y);
    if (!Number.isFinite(X) || !Number.isFinite(Y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(X)} ${num(Y)}`;
    pen = true;
  }
  return d;
}

function chartSvg(c: SvgChart, top: number, id: number): string {
  const right = c.yAxes.some((a) => a.side === 'right');
  const x0 = MARGIN.left;
  const x1 = WIDTH - (right ? MARGIN.right : 24);
  const y0 = top + HEAD + MARGIN.top;
  const y1 = y0 + PLOT_H;
  const logX = c.logX && c.xMin > 0 && c.xMax > c.xMin;
  const lx = (v: number) => (logX ? Math.log10(v) : v);
  const a0 = lx(c.xMin);
  const a1 = lx(c.xMax);
  const px = (v: number) => x0 + ((lx(v) - a0) / (a1 - a0 || 1)) * (x1 - x0);
  const out: string[] = [];

  // Title and legend.
  out.push(`<text x="${x0}" y="${top + 18}" font-size="13" font-weight="bold" fill="#0f172a" ${FONT}>${esc(c.title)}</text>`);
  let lxPos = x0 + 10 + c.title.length * 7.5;
  for (const s of c.series) {
    out.push(`<line x1="${num(lxPos)}" y1="${top + 14}" x2="${num(lxPos + 16)}" y2="${top + 14}" stroke="${esc(s.color)}" stroke-width="2.5"/>`);
    out.push(`<text x="${num(lxPos + 20)}" y="${top + 18}" font-size="11" fill="#334155" ${FONT}>${esc(s.label)}</text>`);
    lxPos += 32 + s.label.length * 6.5;
  }

  // Frame, grid and x ticks.
  out.push(`<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${PLOT_H}" fill="#fff" stroke="#cbd5e1"/>`);
  const xt = logX
    ? (() => {
        const t = logTicks(c.xMin, c.xMax, x1 - x0, c.xUnit);
        return { values: t.splits, labels: t.labels };
      })()
    : linearTicks(c.xMin, c.xMax, c.xUnit, 8);
  xt.values.forEach((v, i) => {
    const X = num(px(v));
    out.push(`<line x1="${X}" y1="${y0}" x2="${X}" y2="${y1}" stroke="#eef2f7"/>`);
    if (xt.labels[i]) out.push(`<text x="${X}" y="${y1 + 16}" font-size="11" text-anchor="middle" fill="#334155" ${FONT}>${esc(xt.labels[i])}</text>`);
  });
  const xTitle = c.xUnit ? `${c.xLabel} (${c.xUnit})` : c.xLabel;
  out.push(`<text x="${num((x0 + x1) / 2)}" y="${y1 + 36}" font-size="12" text-anchor="middle" fill="#0f172a" ${FONT}>${esc(xTitle)}</text>`);

  // Y axes: the first left, the others right.
  const pys = c.yAxes.map((ax) => (v: number) => y1 - ((v - ax.min) / (ax.max - ax.min || 1)) * PLOT_H);
  c.yAxes.forEach((ax, k) => {
    const color = ax.color || '#334155';
    const t = linearTicks(ax.min, ax.max, ax.unit, 5);
    const left = ax.side === 'left';
    const xe = left ? x0 : x1;
    t.values.forEach((v, i) => {
      const Y = num(pys[k](v));
      if (k === 0) out.push(`<line x1="${x0}" y1="${Y}" x2="${x1}" y2="${Y}" stroke="#eef2f7"/>`);
      out.push(`<line x1="${xe}" y1="${Y}" x2="${left ? xe - 4 : xe + 4}" y2="${Y}" stroke="${color}"/>`);
      out.push(
        `<text x="${left ? xe - 6 : xe + 6}" y="${num(pys[k](v) + 4)}" font-size="11" text-anchor="${left ? 'end' : 'start'}" fill="${color}" ${FONT}>${esc(t.labels[i])}</text>`,
      );
    });
    if (ax.unit) {
      const ux = left ? 14 : WIDTH - 14;
      const uy = (y0 + y1) / 2;
      out.push(`<text x="${ux}" y="${num(uy)}" font-size="12" text-anchor="middle" fill="${color}" transform="rotate(-90 ${ux} ${num(uy)})" ${FONT}>${esc(ax.unit)}</text>`);
    }
  });

  // Traces, clipped to the plot area.
  out.push(`<clipPath id="plot${id}"><rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${PLOT_H}"/></clipPath>`);
  out.push(`<g clip-path="url(#plot${id})" fill="none" stroke-width="1.5" stroke-linejoin="round">`);
  for (const s of c.series) {
    const py = pys[s.axis] ?? pys[0];
    if (!py) continue;
    const d = tracePath(c.x, s.y, px, py);
    if (d) out.push(`<path d="${d}" stroke="${esc(s.color)}" data-label="${esc(s.label)}"/>`);
  }
  out.push('</g>');
  return out.join('\n');
}

/** One standalone SVG document with the charts stacked top to bottom. */
export function chartsSvg(charts: SvgChart[], title = ''): string {
  const each = HEAD + MARGIN.top + PLOT_H + MARGIN.bottom;
  const head = title ? 24 : 0;
  const height = head + charts.length * each + 8;
  const parts = charts.map((c, i) => chartSvg(c, head + i * each, i));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    title ? `<text x="8" y="17" font-size="14" fill="#0f172a" ${FONT}>${esc(title)}</text>` : '',
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
