// Y axes of a chart: one per unit (volts left, amps right, ...), each with its own scale, and
// the auto range of a scale.

export interface YAxis {
  /** uPlot scale key. */
  scale: string;
  unit: string;
  side: 'left' | 'right';
  /** Axis colour when there are several (tells which traces it measures). */
  color: string;
}

const AXIS_COLORS = ['#334155', '#b45309', '#0f766e', '#7c3aed'];

/** Unit of a result signal from its name: v(...) volts, i(...) amps, p(...) watts. */
export function signalUnit(name: string): string {
  const n = name.trim().toLowerCase();
  if (n.startsWith('v(')) return 'V';
  if (n.startsWith('i(')) return 'A';
  if (n.startsWith('p(') || n.startsWith('p_cond(') || n.startsWith('p_sw(')) return 'W';
  if (n.startsWith('e_cond(') || n.startsWith('e_sw(')) return 'J';
  if (n.startsWith('tj(') || n.startsWith('t(')) return '°C';
  return '';
}

/** One axis per distinct unit, in order of first use: the first on the left, the others on the right. */
export function yAxes(units: readonly string[]): YAxis[] {
  const seen: string[] = [];
  for (const u of units) if (!seen.includes(u)) seen.push(u);
  if (!seen.length) seen.push('');
  return seen.map((unit, i) => ({ scale: `y:${unit}`, unit, side: i === 0 ? 'left' : 'right', color: AXIS_COLORS[i % AXIS_COLORS.length] }));
}

/**
 * Range of an auto-scaled axis over data [min, max]: 5 % margins; a flat trace gets a band of
 * ±10 % of its value (±1 when it is zero) so it shows as a line in the middle, not an empty plot.
 */
export function autoRange(min: number | null, max: number | null): [number, number] {
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) return [-1, 1];
  if (max - min <= 1e-12 * Math.max(Math.abs(min), Math.abs(max))) {
    const h = Math.abs(min) * 0.1 || 1;
    return [min - h, max + h];
  }
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

/** Zoom [min, max] by factor f (> 1 out, < 1 in) about the value at fraction `at` (0 bottom, 1 top). */
export function zoomRange(min: number, max: number, f: number, at = 0.5): { min: number; max: number } {
  const c = min + at * (max - min);
  return { min: c - (c - min) * f, max: c + (max - c) * f };
}
