// The loss table, the thermal heat map and the efficiency readout of a run
// with semiconductor losses (shown with its "losses" analysis). What it shows
// is computed by losses.ts; this only renders it.
import { formatEng } from '@/shared/lib/si';
import type { AnalysisResult } from '@/features/simulation/results';
import { heatColor, summarize } from './losses';

export interface LossPanelProps {
  analysis: AnalysisResult;
  /** Converter efficiency (0..1) when the run reports one. */
  efficiency?: number;
  /** The engine's summary window (the last period when it knows one); default: the whole run. */
  window?: { from?: number; to?: number };
}

export function LossPanel({ analysis, efficiency, window }: LossPanelProps) {
  const view = summarize(analysis, window && (window.to ?? 0) > (window.from ?? 0) ? window : undefined);
  const temps = [...view.devices.map((d) => d.tjMax), ...view.nodes.map((n) => n.max)].filter(Number.isFinite);
  const lo = temps.length ? Math.min(...temps) : 0;
  const hi = temps.length ? Math.max(...temps) : 1;
  return (
    <section className="flex flex-wrap gap-4 p-2 text-xs" aria-label="losses" data-testid="loss-panel">
      <table className="border-collapse" data-testid="loss-table">
        <caption className="text-left font-semibold pb-1">
          Losses, average over {formatEng(view.from, 's', 3)} … {formatEng(view.to, 's', 3)}
        </caption>
        <thead>
          <tr className="text-left">
            <th className="pr-3">device</th>
            <th className="pr-3">conduction</th>
            <th className="pr-3">switching</th>
            <th className="pr-3">total</th>
            <th className="pr-3">Tj max</th>
          </tr>
        </thead>
        <tbody>
          {view.devices.map((d) => (
            <tr key={d.name} data-device={d.name}>
              <td className="pr-3 font-mono">{d.name}</td>
              <td className="pr-3">{formatEng(d.conduction, 'W', 3)}</td>
              <td className="pr-3">{formatEng(d.switching, 'W', 3)}</td>
              <td className="pr-3 font-semibold">{formatEng(d.total, 'W', 3)}</td>
              <td className="pr-3">{Number.isFinite(d.tjMax) ? `${d.tjMax.toFixed(1)} °C` : '—'}</td>
            </tr>
          ))}
          <tr className="border-t">
            <td className="pr-3">all</td>
            <td />
            <td />
            <td className="pr-3 font-semibold" data-testid="loss-total">{formatEng(view.totalLoss, 'W', 3)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      {efficiency !== undefined && Number.isFinite(efficiency) && (
        <div className="self-start rounded border px-2 py-1" data-testid="efficiency">
          efficiency <span className="font-semibold">{(100 * efficiency).toFixed(2)} %</span>
        </div>
      )}
      {temps.length > 0 && (
        <div aria-label="thermal view" data-testid="heat-map">
          <div className="font-semibold pb-1">
            Temperatures (max) {lo.toFixed(1)} … {hi.toFixed(1)} °C
          </div>
          <div className="flex flex-wrap gap-1">
            {[...view.devices.filter((d) => Number.isFinite(d.tjMax)).map((d) => ({ name: d.name, t: d.tjMax, kind: 'junction' })),
              ...view.nodes.map((n) => ({ name: n.name, t: n.max, kind: 'node' }))].map((c) => (
              <div
                key={`${c.kind}:${c.name}`}
                className="w-20 h-12 rounded flex flex-col items-center justify-center text-[10px] text-black"
                style={{ background: heatColor(c.t, lo, hi) }}
                title={`${c.kind} ${c.name}: ${c.t.toFixed(2)} °C`}
                data-temp={c.t.toFixed(3)}
                data-name={c.name}
                data-kind={c.kind}
              >
                <span className="font-mono">{c.name}</span>
                <span>{c.t.toFixed(1)} °C</span>
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
