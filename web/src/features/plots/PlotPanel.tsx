import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '@/shared/store/create-store';
import { formatEng, formatPz } from '@/shared/lib/si';
import type { SimState } from '@/features/simulation/controller';
import { interpolateAt, signalValues, signalIndex, type AnalysisResult } from '@/features/simulation/results';
import { Chart, type ChartHandle, type Part, type TraceSource, type XRange } from './Chart';
import { isNoSignal, noSignalHint } from './traces';
import { tracePresent, traceUnit, traceValues } from './trace-values';
import { SignalPicker } from './SignalPicker';
import { LossPanel } from '@/features/losses/LossPanel';
import { MeasurePanel } from './MeasurePanel';
import { analysisCsv, chartsPng, download } from './export';
import { chartsSvg } from './svg-export';
import { RunNotes } from './RunNotes';
import type { ResultWriter } from '@/shared/engine/types';
import { addPane, addSignal, COLORS, removeSignal, type PlotStore } from './plot-store';

const LABEL: Record<string, string> = {
  tran: 'Transient',
  ac: 'AC',
  dc: 'DC sweep',
  op: 'Operating point',
  pss: 'Steady state',
  fra: 'Frequency response',
  losses: 'Losses',
  noise: 'Noise spectral density',
  noise_total: 'Integrated noise',
  tf: 'Transfer function',
  pz: 'Poles and zeros',
  pss_spectrum: 'Oscillator harmonics',
  sens: 'Sensitivities',
  sp: 'S-parameters',
};
const X_UNIT: Record<string, string> = { tran: 's', ac: 'Hz', dc: '', op: '', pss: 's', fra: 'Hz', losses: 's', noise: 'Hz', noise_total: '', tf: '', pz: '', pss_spectrum: 'Hz', sens: 'Hz', sp: 'Hz' };

/** Signals shown when the user has chosen none: node voltages without internal nodes (a
 * losses analysis: the junction temperatures, else its powers). */
export function autoSignals(a: AnalysisResult): string[] {
  if (a.analysis === 'losses') {
    const tj = a.signals.filter((s) => s.name.startsWith('tj(')).map((s) => s.name);
    return (tj.length ? tj : a.signals.filter((s) => s.name.startsWith('p_')).map((s) => s.name)).slice(0, 8);
  }
  const v = a.signals.filter((s) => s.kind === 'voltage' && !/^v\((ia_|.*\.)/.test(s.name)).map((s) => s.name);
  return (v.length ? v : a.signals.map((s) => s.name)).slice(0, 8);
}

export interface PlotPanelProps {
  sim: SimState;
  plots: PlotStore;
  title: string;
  /** Writes the CSV export (the wasm engine's result writer). */
  writer: ResultWriter;
}

export function PlotPanel({ sim, plots, title, writer }: PlotPanelProps) {
  const { panes: storedPanes, active } = useStore(plots, (s) => s);
  const list = sim.results.list;
  const [tab, setTab] = useState(0);
  const [cursors, setCursors] = useState<{ a?: number; b?: number; next: 'a' | 'b' }>({ next: 'a' });
  const [xRange, setXRange] = useState<XRange | null>(null);
  const [fitToken, setFitToken] = useState(0);
  const charts = useRef(new Map<string, ChartHandle>());
  const host = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(300);

  const analysis: AnalysisResult | undefined = list[Math.min(tab, list.length - 1)];
  const kind = analysis?.analysis;
  // New run structure: keep zoom only for live (slider) runs of the same kind.
  const shape = list.map((a) => `${a.analysis}:${a.signals.length}`).join(',');
  useEffect(() => {
    if (!sim.live) {
      setXRange(null);
      setCursors({ next: 'a' });
    }
    if (tab >= list.length) setTab(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sim.runId, shape]);

  // Cursor A is shared with the schematic (live values at the cursor's time).
  useEffect(() => {
    const x = cursors.a;
    const want = kind && x !== undefined ? { analysis: kind, x } : undefined;
    const have = plots.get().cursor;
    if (have?.analysis !== want?.analysis || have?.x !== want?.x) plots.set((s) => ({ ...s, cursor: want }));
  }, [cursors.a, kind, plots]);

  /** AC sensitivities (.sens ... ac) and S-parameters (.sp) are complex over frequency like .ac. */
  const bode = kind === 'ac' || kind === 'fra' || kind === 'sp' || (kind === 'sens' && !!analysis?.complex);
  /** One row of values, shown as a table: op, .tf, .pz, a DC .sens and the integrated noise of .noise. */
  const tabular =
    kind === 'op' || kind === 'tf' || kind === 'noise_total' || kind === 'pz' || (kind === 'sens' && !analysis?.complex);
  const panes = useMemo(() => {
    if (!analysis || tabular) return [];
    const present = (s: string) => tracePresent(analysis, s);
    // A trace with nothing to draw (an AC magnitude of zero everywhere: -inf dB) is listed, not plotted.
    const silent = (s: string) => bode && present(s) && isNoSignal(signalValues(analysis, signalIndex(analysis, s), 'db'));
    const split = (list: string[], auto: boolean, missing: string[], order = list) => ({
      /** Colour slot of each trace: its place in the pane, as the schematic's probe markers use. */
      order,
      signals: list.filter((s) => !silent(s)),
      silent: list.filter(silent),
      missing,
      auto,
    });
    if (!storedPanes.length) return [split(autoSignals(analysis), true, [])];
    return storedPanes.map((p) => split(p.filter(present), false, p.filter((s) => !present(s)), p));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [analysis, storedPanes, kind, sim.dataVersion]);
  const anySilent = panes.some((p) => p.silent.length > 0);
  const source: TraceSource = (a, name, part) => traceValues(a, name, part);

  const chartCount = panes.reduce((n) => n + (bode ? 2 : 1), 0);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const avail = el.clientHeight - 8;
      const per = Math.floor(avail / Math.max(1, chartCount)) - 72;
      setHeight(Math.max(140, Math.min(600, per)));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [chartCount]);

  const place = (x: number) =>
    setCursors((c) => (c.next === 'a' ? { ...c, a: x, next: 'b' } : { ...c, b: x, next: 'a' }));

  const exportPng = async () => {
    const hs = [...charts.current.values()];
    if (hs.length) download(`${fileStem(title)}-${kind}.png`, await chartsPng(hs));
  };

  const exportSvg = () => {
    const hs = [...charts.current.values()];
    if (hs.length) download(`${fileStem(title)}-${kind}.svg`, chartsSvg(hs.map((h) => h.svg()), `${title} — ${LABEL[kind ?? ''] ?? kind}`), 'image/svg+xml');
  };

  const partsFor = (): { part: Part; unit: string; label: string }[] =>
    bode
      ? [
          { part: 'db', unit: 'dB', label: 'magnitude' },
          { part: 'phase', unit: '°', label: 'phase' },
        ]
      : [{ part: 're', unit: '', label: '' }];

  const unitOf = (s: string) => traceUnit(s, X_UNIT[kind ?? ''] ?? '');
  const failed = sim.status === 'error' && sim.error;

  return (
    <section className="flex h-full min-h-0 flex-col bg-white" data-testid="plot" data-points={analysis?.rows ?? 0} data-analysis={kind ?? ''} data-status={sim.status}>
      <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 px-2 py-1 text-xs">
        {list.map((a, i) => (
          <button
            key={i}
            data-testid={`plot-tab-${a.analysis}`}
            onClick={() => setTab(i)}
            className={`rounded px-2 py-0.5 ${i === tab ? 'bg-slate-800 text-white' : 'bg-slate-100 text-slate-700 hover:bg-slate-200'}`}
          >
            {LABEL[a.analysis] ?? a.analysis}
            {a.variant && <span className="ml-1 opacity-75">{a.variant}</span>}
          </button>
        ))}
        {!list.length && !failed && <span className="text-slate-500">{sim.status === 'running' ? 'Running…' : 'No results yet — press Run.'}</span>}
        <span className="flex-1" />
        {analysis && !tabular && (
          <>
            <SignalPicker names={analysis.signals.map((s) => s.name)} allowMath={!analysis.complex} onPick={(s) => plots.set((st) => addSignal(st, s))} />
            <button className="btn" onClick={() => plots.set(addPane)} title="Add a plot pane (probes go to the active pane)">
              + pane
            </button>
            <button className="btn" onClick={() => setCursors({ next: 'a' })} title="Clear cursors A/B">
              clear A/B
            </button>
            <button className="btn" data-testid="zoom-fit" onClick={() => { setXRange(null); setFitToken((t) => t + 1); }} title="Zoom to fit, x and y (wheel zooms x; Alt+wheel or the wheel over an axis zooms y)">
              fit
            </button>
            <button className="btn" data-testid="export-png" onClick={exportPng}>
              PNG
            </button>
            <button className="btn" data-testid="export-svg" onClick={exportSvg} title="The plots as an SVG drawing (axes, units, legend)">
              SVG
            </button>
          </>
        )}
        {analysis && (
          <button className="btn" data-testid="export-csv" onClick={() =>
              analysisCsv(analysis, writer).then(
                (csv) => download(`${fileStem(title)}-${kind}.csv`, csv, 'text/csv'),
                (e: unknown) => window.alert(`CSV export failed: ${e instanceof Error ? e.message : String(e)}`),
              )
            }>
            CSV
          </button>
        )}
      </div>
      <div ref={host} className="min-h-0 flex-1 overflow-y-auto px-1">
        {failed && (
          <div className="m-2 rounded border border-red-200 bg-red-50 px-2 py-1.5 text-xs text-red-800" role="alert" data-testid="plot-error">
            <span className="font-semibold">The run failed{sim.error!.line > 0 ? ` (line ${sim.error!.line})` : ''}:</span> {sim.error!.code}: {sim.error!.message}
            {list.length > 0 && <span className="text-red-600"> — the plot shows the points computed before the failure.</span>}
          </div>
        )}
        {bode && anySilent && (
          <div className="m-1 rounded bg-amber-50 px-2 py-1 text-[11px] text-amber-800 ring-1 ring-amber-200" data-testid="no-signal">
            ⚠ {panes.flatMap((p) => p.silent).join(', ')}: {noSignalHint(sim.netlist)}
          </div>
        )}
        {sim.status === 'done' && <RunNotes stats={sim.stats} />}
        {analysis && tabular && <OpTable a={analysis} />}
        {analysis && kind === 'losses' && (
          <LossPanel
            analysis={analysis}
            efficiency={sim.stats?.efficiency || undefined}
            window={{ from: sim.stats?.lossFrom, to: sim.stats?.lossTo }}
          />
        )}
        {analysis &&
          !tabular &&
          panes.map((pane, pi) => (
            <div
              key={pi}
              onMouseDown={() => !pane.auto && plots.set((s) => ({ ...s, active: pi }))}
              className={`mt-1 rounded border ${!pane.auto && pi === active && storedPanes.length > 1 ? 'border-blue-400' : 'border-transparent'}`}
            >
              <div className="flex flex-wrap items-center gap-1 px-1 text-[11px]">
                <span className="text-slate-500">{pane.auto ? 'all node voltages (probe with the P tool to choose)' : `pane ${pi + 1}`}</span>
                {!pane.auto &&
                  pane.signals.map((s) => (
                    <span key={s} className="flex items-center gap-1 rounded bg-slate-100 px-1" style={{ color: COLORS[pane.order.indexOf(s) % COLORS.length] }}>
                      {s}
                      <button className="text-slate-500 hover:text-red-600" title="Remove" onClick={() => plots.set((st) => removeSignal(st, pi, s))}>
                        ×
                      </button>
                    </span>
                  ))}
                {pane.silent.map((s) => (
                  <span key={s} className="rounded bg-slate-100 px-1 text-slate-500" data-testid="no-signal-trace" title="Zero at every point: nothing to draw on a dB scale">
                    {s}: no signal
                  </span>
                ))}
                {pane.missing.map((s) => (
                  <span key={s} className="rounded bg-amber-50 px-1 text-amber-700" title="Not in these results: re-run">
                    {s} ?
                    <button className="ml-1 text-slate-500 hover:text-red-600" onClick={() => plots.set((st) => removeSignal(st, pi, s))}>
                      ×
                    </button>
                  </span>
                ))}
              </div>
              {pane.signals.length > 0 && analysis.rows < 2 && (
                <div className="flex items-center justify-center text-xs text-slate-500" style={{ height: height + 40 }}>
                  waiting for data…
                </div>
              )}
              {pane.signals.length > 0 &&
                analysis.rows >= 2 &&
                partsFor().map(({ part, label }) => (
                  <Chart
                    key={`${sim.runId}-${tab}-${pi}-${part}`}
                    a={analysis}
                    signals={pane.signals}
                    colors={pane.signals.map((s) => COLORS[Math.max(0, pane.order.indexOf(s)) % COLORS.length])}
                    part={part}
                    version={sim.dataVersion}
                    logX={(bode || kind === 'noise') && analysis.rows > 1 && analysis.x[0] > 0}
                    xUnit={X_UNIT[kind!] ?? ''}
                    units={pane.signals.map(unitOf)}
                    source={source}
                    fitToken={fitToken}
                    onMoveCursor={(which, x) => setCursors((c) => ({ ...c, [which]: x }))}
                    title={`${LABEL[kind!]} ${label}`.trim()}
                    height={height}
                    cursors={cursors}
                    onPlaceCursor={place}
                    xRange={xRange}
                    onXRange={setXRange}
                    syncKey={`sim-${tab}`}
                    register={(h) => {
                      const k = `${pi}-${part}`;
                      if (h) charts.current.set(k, h);
                      else charts.current.delete(k);
                    }}
                  />
                ))}
            </div>
          ))}
      </div>
      {analysis && !tabular && (cursors.a !== undefined || cursors.b !== undefined) && (
        <Readout a={analysis} signals={panes.flatMap((p) => p.signals)} cursors={cursors} xUnit={X_UNIT[kind!] ?? ''} unitOf={unitOf} />
      )}
      {analysis && !analysis.complex && !tabular && analysis.rows > 1 && (
        <MeasurePanel a={analysis} traces={panes.flatMap((p) => p.signals)} cursors={cursors} xUnit={X_UNIT[kind!] ?? ''} />
      )}
    </section>
  );
}

function Readout({ a, signals, cursors, xUnit, unitOf }: { a: AnalysisResult; signals: string[]; cursors: { a?: number; b?: number }; xUnit: string; unitOf: (s: string) => string }) {
  const parts: Part[] = a.complex ? ['db', 'phase'] : ['re'];
  const fmt = (v: number | undefined, u: string) => (v === undefined || Number.isNaN(v) ? '—' : formatEng(v, u, 5));
  const dx = cursors.a !== undefined && cursors.b !== undefined ? cursors.b - cursors.a : undefined;
  return (
    <div className="max-h-40 overflow-y-auto border-t border-slate-200 px-2 py-1 font-mono text-[11px]" data-testid="cursor-readout">
      <div className="flex flex-wrap gap-x-4">
        <span>A: {fmt(cursors.a, xUnit)}</span>
        <span className="text-amber-700">B: {fmt(cursors.b, xUnit)}</span>
        <span>Δ{xUnit === 's' ? 't' : xUnit === 'Hz' ? 'f' : 'x'}: {fmt(dx, xUnit)}</span>
        {dx !== undefined && xUnit === 's' && dx !== 0 && <span>1/Δt: {formatEng(1 / Math.abs(dx), 'Hz', 5)}</span>}
      </div>
      <table className="mt-0.5">
        <tbody>
          {signals.flatMap((s) =>
            parts.map((part) => {
              const ys = traceValues(a, s, part);
              if (!ys) return null;
              const at = (x?: number) => (x === undefined ? undefined : interpolateAt(a.x, ys, x, a.rows));
              const va = at(cursors.a);
              const vb = at(cursors.b);
              const u = part === 'db' ? 'dB' : part === 'phase' ? '°' : unitOf(s);
              const f = (v?: number) => (v === undefined ? '—' : part === 're' ? formatEng(v, u, 5) : `${v.toFixed(3)} ${u}`);
              return (
                <tr key={`${s}-${part}`}>
                  <td className="pr-3">{part === 'db' ? `|${s}|` : part === 'phase' ? `∠${s}` : s}</td>
                  <td className="pr-3">A {f(va)}</td>
                  <td className="pr-3 text-amber-700">B {f(vb)}</td>
                  <td>Δ {va !== undefined && vb !== undefined ? f(vb - va) : '—'}</td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
}

function OpTable({ a }: { a: AnalysisResult }) {
  return (
    <table className="m-2 font-mono text-xs" data-testid="op-table">
      <tbody>
        {a.signals.map((s, i) => (
          <tr key={s.name} className="odd:bg-slate-50">
            <td className="pr-6">{s.name}</td>
            <td className="text-right">
              {!a.rows
                ? '—'
                : a.analysis === 'pz'
                  ? formatPz(a.re[i][0], a.im[i]?.[0] ?? 0)
                  : formatEng(a.re[i][0], a.analysis === 'tf' || a.analysis === 'sens' ? '' : s.kind === 'current' ? 'A' : 'V', 5)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function fileStem(t: string) {
  return (t || 'simcore').replace(/[^\w.-]+/g, '_').slice(0, 40);
}
