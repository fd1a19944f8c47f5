import { useMemo, useState } from 'react';
import { formatEng } from '@/shared/lib/si';
import type { AnalysisResult } from '@/features/simulation/results';
import { efficiency, lastPeriod, spectrum, thd, wholePeriods, windowStats, type WindowKind } from './measure';
import { traceUnit, traceValues } from './trace-values';
import { Chart } from './Chart';

export interface MeasurePanelProps {
  a: AnalysisResult;
  traces: string[];
  cursors: { a?: number; b?: number };
  xUnit: string;
}

/**
 * Measurements of one trace: mean, RMS, min, max, peak-to-peak between the cursors A and B
 * (when both are set), else over the last period, else over the whole run; THD and the
 * spectrum over whole periods (transient only).
 */
export function MeasurePanel({ a, traces, cursors, xUnit }: MeasurePanelProps) {
  const [pick, setPick] = useState('');
  const [showFft, setShowFft] = useState(false);
  const [win, setWin] = useState<WindowKind>('hann');
  const [effOut, setEffOut] = useState('');
  const [effIn, setEffIn] = useState('');
  const trace = traces.includes(pick) ? pick : traces[0];
  const y = useMemo(() => (trace ? traceValues(a, trace) : null), [a, trace, a.rows]);
  const unit = trace ? traceUnit(trace, xUnit) : '';
  const n = a.rows;
  const x = a.x;
  const result = useMemo(() => {
    // Measured once the analysis has ended: not on every streamed frame.
    if (!y || n < 2 || !a.ended) return null;
    const both = cursors.a !== undefined && cursors.b !== undefined;
    const period = !both && a.analysis === 'tran' ? lastPeriod(x, y, n) : null;
    const w = both ? { x0: cursors.a!, x1: cursors.b! } : period ?? { x0: x[0], x1: x[n - 1] };
    const where = both ? 'between A and B' : period ? 'over the last period' : 'over the whole run';
    return { stats: windowStats(x, y, n, w), where, period };
  }, [y, n, x, cursors.a, cursors.b, a.analysis, a.ended]);
  // THD and the spectrum once the analysis has ended (not on every streamed frame).
  const distortion = useMemo(() => (a.analysis === 'tran' && a.ended && y && n > 8 ? thd(x, y, n, { windowKind: win }) : null), [a.analysis, a.ended, y, n, x, win]);
  const spec = useMemo(() => {
    if (!showFft || !y || a.analysis !== 'tran' || !a.ended) return null;
    const w = wholePeriods(x, y, n) ?? { x0: x[0], x1: x[n - 1] };
    const sp = spectrum(x, y, n, w, win, 8192);
    // From bin 1: the mean (bin 0) would dwarf the ripple and harmonics.
    const rows = Math.min(sp.freq.length, 1024) - 1;
    const res: AnalysisResult = {
      index: 0,
      analysis: 'tran',
      xName: 'frequency',
      complex: false,
      signals: [{ name: `|${trace}|`, kind: 'voltage' } as AnalysisResult['signals'][number]],
      rows,
      ended: true,
      x: sp.freq.subarray(1, rows + 1),
      re: [sp.amp.subarray(1, rows + 1)],
      im: [],
    };
    return res;
  }, [showFft, y, n, x, win, trace, a.analysis, a.ended]);
  // Efficiency: mean output power over mean input power, over the same window.
  const eta = useMemo(() => {
    if (!result?.stats || !traces.includes(effOut) || !traces.includes(effIn) || effOut === effIn) return null;
    const w = { x0: result.stats.x0, x1: result.stats.x1 };
    const po = traceValues(a, effOut);
    const pi = traceValues(a, effIn);
    const so = po && windowStats(x, po, n, w);
    const si = pi && windowStats(x, pi, n, w);
    return so && si ? { eta: efficiency(so.mean, si.mean), pOut: so.mean, pIn: si.mean } : null;
  }, [result, traces, effOut, effIn, a, x, n]);
  if (!trace || !result) return null;
  const s = result.stats;
  const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : formatEng(v, unit, 4));
  return (
    <div className="border-t border-slate-200 px-2 py-1 text-[11px]" data-testid="measurements">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <select className="rounded border border-slate-300 font-mono" value={trace} onChange={(e) => setPick(e.target.value)} aria-label="Trace to measure" data-testid="measure-trace">
          {traces.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <span className="text-slate-500" data-testid="measure-window">
          {result.where}
          {s ? ` (${formatEng(s.x0, xUnit, 4)} … ${formatEng(s.x1, xUnit, 4)})` : ''}
        </span>
        {s && (
          <span className="font-mono" data-testid="measure-values" data-mean={s.mean} data-rms={s.rms} data-pp={s.pp} data-min={s.min} data-max={s.max}>
            mean {f(s.mean)} · RMS {f(s.rms)} · min {f(s.min)} · max {f(s.max)} · p-p {f(s.pp)}
          </span>
        )}
        {result.period && <span className="font-mono">f {formatEng(1 / (result.period.x1 - result.period.x0), 'Hz', 4)}</span>}
        {distortion && (
          <span className="font-mono" data-testid="measure-thd" data-thd={distortion.thd} data-f0={distortion.f0}>
            THD {(distortion.thd * 100).toFixed(2)} % (f₀ {formatEng(distortion.f0, 'Hz', 4)}, {distortion.periods} periods)
          </span>
        )}
        {traces.length >= 2 && (
          <span className="flex items-center gap-1" title="Efficiency: |mean P_out| / |mean P_in| over the same window (add power traces v·i with + signal…)">
            η
            <select className="rounded border border-slate-300 font-mono" value={effOut} onChange={(e) => setEffOut(e.target.value)} aria-label="Output power trace" data-testid="eff-out">
              <option value="">P out…</option>
              {traces.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            /
            <select className="rounded border border-slate-300 font-mono" value={effIn} onChange={(e) => setEffIn(e.target.value)} aria-label="Input power trace" data-testid="eff-in">
              <option value="">P in…</option>
              {traces.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            {eta && (
              <span className="font-mono" data-testid="efficiency" data-eta={eta.eta}>
                = {(eta.eta * 100).toFixed(2)} % ({formatEng(Math.abs(eta.pOut), 'W', 4)} / {formatEng(Math.abs(eta.pIn), 'W', 4)})
              </span>
            )}
          </span>
        )}
        {a.analysis === 'tran' && (
          <>
            <button className="btn" data-testid="fft-toggle" onClick={() => setShowFft((v) => !v)} aria-pressed={showFft}>
              FFT
            </button>
            <select className="rounded border border-slate-300" value={win} onChange={(e) => setWin(e.target.value as WindowKind)} aria-label="FFT window">
              <option value="hann">Hann</option>
              <option value="rect">rectangular</option>
            </select>
          </>
        )}
      </div>
      {spec && spec.rows > 2 && (
        <div data-testid="fft-chart">
          <Chart
            a={spec}
            signals={[spec.signals[0].name]}
            colors={['#7c3aed']}
            part="re"
            version={0}
            logX={false}
            xUnit="Hz"
            units={[unit]}
            title={`Spectrum of ${trace}`}
            height={160}
            cursors={{}}
            onPlaceCursor={() => {}}
            xRange={null}
            onXRange={() => {}}
            syncKey="fft"
            register={() => {}}
          />
        </div>
      )}
    </div>
  );
}
