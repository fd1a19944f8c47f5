// The loss and thermal view of a run: what the engine's "losses" analysis
// holds (columns p_cond(dev), p_sw(dev), e_cond(dev), e_sw(dev), tj(dev) per
// power semiconductor and t(node) per thermal node, rows at the thermal
// steps), summarised per device for the loss table and the heat map.
// Framework-free: the React panel only renders what this computes.
import type { AnalysisResult } from '@/features/simulation/results';

export interface DeviceLoss {
  name: string;
  /** Average conduction / switching / total loss over the analysed window (W). */
  conduction: number;
  switching: number;
  total: number;
  /** Junction temperature: last value and maximum (degC); NaN without a thermal model. */
  tjLast: number;
  tjMax: number;
}

export interface ThermalNode {
  name: string;
  last: number;
  max: number;
}

export interface LossView {
  devices: DeviceLoss[];
  nodes: ThermalNode[];
  /** The window the averages cover (s). */
  from: number;
  to: number;
  totalLoss: number;
}

const COLUMN = /^(p_cond|p_sw|e_cond|e_sw|tj|t)\((.+)\)$/;

/** The losses analysis of a run, if it has one. */
export function lossAnalysis(analyses: readonly (AnalysisResult | undefined)[]): AnalysisResult | undefined {
  return analyses.find((a) => a && (a.analysis as string) === 'losses' && a.rows > 0);
}

/**
 * Per-device averages over [from, to] (default: the whole analysis): from the
 * cumulative energies when present (exact whatever the row spacing), else the
 * time average of the power columns.
 */
export function summarize(a: AnalysisResult, window?: { from?: number; to?: number }): LossView {
  const n = a.rows;
  const cols = new Map<string, Map<string, Float64Array>>();
  const nodes: ThermalNode[] = [];
  a.signals.forEach((s, k) => {
    const m = COLUMN.exec(s.name);
    if (!m) return;
    const [, kind, dev] = m;
    const values = a.re[k].subarray(0, n);
    if (kind === 't') {
      nodes.push({ name: dev, last: n ? values[n - 1] : NaN, max: n ? maxOf(values) : NaN });
      return;
    }
    if (!cols.has(dev)) cols.set(dev, new Map());
    cols.get(dev)!.set(kind, values);
  });
  const x = a.x.subarray(0, n);
  const t0 = n ? x[0] : 0;
  const from = Math.max(window?.from ?? t0, t0);
  const to = Math.min(window?.to ?? (n ? x[n - 1] : 0), n ? x[n - 1] : 0);
  const i0 = indexAtOrBefore(x, from);
  const i1 = indexAtOrBefore(x, to);
  const span = n ? x[i1] - x[i0] : 0;
  const average = (energy: Float64Array | undefined, power: Float64Array | undefined): number => {
    if (span <= 0) return power && n ? power[n - 1] : 0;
    if (energy) return (energy[i1] - energy[i0]) / span;
    if (!power) return 0;
    let sum = 0; // rows hold averages over the thermal step that ends there
    for (let i = i0 + 1; i <= i1; i++) sum += power[i] * (x[i] - x[i - 1]);
    return sum / span;
  };
  const devices: DeviceLoss[] = [];
  for (const [name, c] of cols) {
    const conduction = average(c.get('e_cond'), c.get('p_cond'));
    const switching = average(c.get('e_sw'), c.get('p_sw'));
    const tj = c.get('tj');
    devices.push({
      name,
      conduction,
      switching,
      total: conduction + switching,
      tjLast: tj && n ? tj[n - 1] : NaN,
      tjMax: tj && n ? maxOf(tj) : NaN,
    });
  }
  devices.sort((p, q) => q.total - p.total);
  return { devices, nodes, from: n ? x[i0] : 0, to: n ? x[i1] : 0, totalLoss: devices.reduce((s, d) => s + d.total, 0) };
}

function maxOf(v: Float64Array): number {
  let m = -Infinity;
  for (const y of v) if (y > m) m = y;
  return m;
}

function indexAtOrBefore(x: Float64Array, t: number): number {
  let lo = 0;
  let hi = x.length - 1;
  if (hi < 0) return 0;
  if (t >= x[hi]) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (x[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A colour for a temperature on a blue -> yellow -> red scale between lo and
 * hi (degC); grey for NaN. Returned as an `rgb(...)` string.
 */
export function heatColor(t: number, lo: number, hi: number): string {
  if (!Number.isFinite(t)) return 'rgb(160, 160, 160)';
  const u = hi > lo ? Math.min(1, Math.max(0, (t - lo) / (hi - lo))) : 0.5;
  const stops: [number, number, number][] = [
    [49, 54, 149],
    [116, 173, 209],
    [254, 224, 144],
    [244, 109, 67],
    [165, 0, 38],
  ];
  const f = u * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const w = f - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * w));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
