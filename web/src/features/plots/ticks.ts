// Spacing of linear axis ticks so their labels never overlap: a zoomed axis needs more digits
// per label ("1.00012 ms"), so its ticks must sit further apart.
import { formatTicks } from '@/shared/lib/si';

/** Average label glyph width (px) of the chart font (12 px sans) and the gap kept between labels. */
export const CHAR_PX = 7;
export const LABEL_GAP_PX = 14;

const MANTISSAS = [1, 2, 2.5, 5];

/** Smallest increment m * 10^k (m in 1, 2, 2.5, 5) not below `min`: the steps uPlot picks from. */
export function niceStep(min: number): number {
  if (!(min > 0) || !Number.isFinite(min)) return 1;
  let e = 10 ** Math.floor(Math.log10(min));
  for (;;) {
    for (const m of MANTISSAS) if (m * e >= min * (1 - 1e-12)) return m * e;
    e *= 10;
  }
}

/** Tick labels of [min, max] at step `step` (at most 60). */
export function tickLabels(min: number, max: number, step: number, unit: string): string[] {
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step, i = 0; v <= max + step * 1e-9 && i < 60; v += step, i++) out.push(v);
  return formatTicks(out, unit);
}

/**
 * Minimum pixel distance between ticks of a linear axis spanning [min, max] over `dimPx` pixels,
 * wide enough for the longest label at the step that distance leads to.
 */
export function tickSpace(min: number, max: number, dimPx: number, unit: string, minSpace = 50): number {
  if (!(max > min) || !(dimPx > 0)) return minSpace;
  let space = minSpace;
  for (let i = 0; i < 12; i++) {
    const step = niceStep(((max - min) * space) / dimPx);
    const labels = tickLabels(min, max, step, unit);
    const need = Math.max(0, ...labels.map((l) => l.length)) * CHAR_PX + LABEL_GAP_PX;
    if (need <= space) return space;
    space = need;
  }
  return space;
}
