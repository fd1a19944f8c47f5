import { useStore } from '@/shared/store/create-store';
import type { DocStore } from '../model/doc-store';
import type { AnalysisKind, AnalysisSettings, SwitchingMode } from '../model/schema';

const KINDS: [AnalysisKind, string][] = [
  ['tran', 'Transient'],
  ['ac', 'AC (Bode)'],
  ['dc', 'DC sweep'],
  ['op', 'Op point'],
];

const cls = 'w-16 rounded border border-slate-300 px-1 py-0.5 font-mono text-xs focus:border-blue-500 focus:outline-none';

export function AnalysisBar({ docStore }: { docStore: DocStore }) {
  const a = useStore(docStore, (s) => s.doc.analysis);
  const vsrc = useStore(docStore, (s) => Object.values(s.doc.elements).filter((e) => e.kind === 'vsource' || e.kind === 'isource').map((e) => e.name).join(','));
  const set = (fn: (a: AnalysisSettings) => AnalysisSettings, key?: string) =>
    docStore.update((d) => ({ ...d, analysis: fn(d.analysis) }), key ? { mergeKey: key } : undefined);
  const field = <K extends 'tran' | 'ac' | 'dc'>(k: K, f: keyof AnalysisSettings[K] & string, label: string) => (
    <label className="flex items-center gap-1">
      <span className="text-slate-500">{label}</span>
      <input
        className={cls}
        data-testid={`analysis-${k}-${f}`}
        value={String(a[k][f])}
        onChange={(e) => set((x) => ({ ...x, [k]: { ...x[k], [f]: e.target.value } }), `an-${k}-${f}`)}
      />
    </label>
  );
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 bg-white px-2 py-1 text-xs">
      <div className="flex overflow-hidden rounded ring-1 ring-slate-300" role="tablist">
        {KINDS.map(([k, label]) => (
          <button
            key={k}
            role="tab"
            aria-selected={a.kind === k}
            data-testid={`analysis-${k}`}
            onClick={() => set((x) => ({ ...x, kind: k }))}
            className={`px-2 py-0.5 ${a.kind === k ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-100'}`}
          >
            {label}
          </button>
        ))}
      </div>
      {a.kind === 'tran' && (
        <>
          {field('tran', 'tstop', 'stop')}
          {field('tran', 'tstep', 'step')}
          <label className="flex items-center gap-1" title="auto: event mode when every part is piecewise linear (ideal switches and diodes, control blocks, R L C, sources)">
            <span className="text-slate-500">switching</span>
            <select
              className="rounded border border-slate-300 px-1 py-0.5"
              data-testid="analysis-switching"
              value={a.switching ?? 'auto'}
              onChange={(e) => set((x) => ({ ...x, switching: e.target.value as SwitchingMode }))}
            >
              <option value="auto">auto</option>
              <option value="event">event</option>
              <option value="spice">SPICE</option>
            </select>
          </label>
        </>
      )}
      {a.kind === 'ac' && (
        <>
          <select
            className="rounded border border-slate-300 px-1 py-0.5"
            value={a.ac.sweep}
            onChange={(e) => set((x) => ({ ...x, ac: { ...x.ac, sweep: e.target.value as 'dec' } }))}
          >
            <option value="dec">dec</option>
            <option value="oct">oct</option>
            <option value="lin">lin</option>
          </select>
          {field('ac', 'points', 'points')}
          {field('ac', 'fstart', 'from')}
          {field('ac', 'fstop', 'to')}
        </>
      )}
      {a.kind === 'dc' && (
        <>
          <label className="flex items-center gap-1">
            <span className="text-slate-500">source</span>
            <select
              className="rounded border border-slate-300 px-1 py-0.5"
              value={a.dc.source}
              onChange={(e) => set((x) => ({ ...x, dc: { ...x.dc, source: e.target.value } }))}
            >
              {[...new Set([a.dc.source, ...vsrc.split(',').filter(Boolean)])].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          {field('dc', 'start', 'from')}
          {field('dc', 'stop', 'to')}
          {field('dc', 'step', 'step')}
        </>
      )}
      {a.kind === 'op' && <span className="text-slate-500">Node voltages and currents are written on the schematic.</span>}
    </div>
  );
}
