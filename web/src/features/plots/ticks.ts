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

/**
 * Ticks of a log axis over [min, max] (both > 0) on dimPx pixels. Over a decade or more: every
 * m x 10^k (m = 1..9) inside, labelled at the decades (and at 2 and 5 when a decade has room).
 * Inside less than a decade, where few or none of those fall: evenly spaced nice values, all
 * labelled with as many digits as they need (formatTicks).
 */
export function logTicks(min: number, max: number, dimPx: number, unit: string): { splits: number[]; labels: string[] } {
  if (!(min > 0) || !(max > min) || !(dimPx > 0)) return { splits: [], labels: [] };
  if (max / min < 10) {
    // Linear spacing inside the window; the pixel distance varies a little on a log scale, so aim wider.
    const space = tickSpace(min, max, dimPx, unit) * 1.3;
    const step = niceStep(((max - min) * space) / dimPx);
    const splits: number[] = [];
    for (let v = Math.ceil(min / step) * step, i = 0; v <= max * (1 + 1e-12) && i < 60; v += step, i++) splits.push(v);
    return { splits, labels: formatTicks(splits, unit) };
  }
  const decadePx = dimPx / Math.log10(max / min);
  const labelled = decadePx >= 220 ? [1, 2, 5] : [1];
  const splits: number[] = [];
  const labels: string[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (let m = 1; m <= 9; m++) {
      const v = Number(`${m}e${k}`);
      if (v < min * (1 - 1e-12) || v > max * (1 + 1e-12)) continue;
      splits.push(v);
      labels.push(labelled.includes(m) ? formatEngTick(v, unit) : '');
    }
  }
  return { splits, labels };
}

function formatEngTick(v: number, unit: string): string {
  return formatTicks([v], unit)[0];
}
