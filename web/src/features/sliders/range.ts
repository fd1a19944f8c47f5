// Slider ranges: a parameter with a known valid range (a duty cycle, a coupling factor) slides
// over that range; any other from a tenth to ten times its value. A range is fixed when the
// slider appears and kept while the value stays inside it, so it does not re-centre after each
// release.

export interface Range {
  min: number;
  max: number;
}

/** Valid range of a netlist parameter from its name, when the name says what it is. */
export function validRangeFor(name: string): Range | undefined {
  const n = name.toLowerCase();
  if (/duty|^d$|^dc$|^d_?cycle$/.test(n)) return { min: 0, max: 1 };
  if (/^k\d*$|coupling/.test(n)) return { min: 0, max: 1 };
  return undefined;
}

/** The slider range for a value: its valid range when known, else x0.1 .. x10 (clamped to `valid` bounds). */
export function sliderRange(value: number, valid?: Range): Range {
  if (valid && Number.isFinite(valid.min) && Number.isFinite(valid.max)) return { ...valid };
  let r: Range;
  if (value > 0) r = { min: value / 10, max: value * 10 };
  else if (value < 0) r = { min: value * 10, max: value / 10 };
  else r = { min: -1, max: 1 };
  if (valid) r = { min: Math.max(r.min, valid.min), max: Math.min(r.max, valid.max) };
  return r;
}

/** Keep `prev` while the value lies in it; a value outside (typed in elsewhere) gets a new range. */
export function keepRange(prev: Range | undefined, value: number, valid?: Range): Range {
  if (prev && value >= prev.min && value <= prev.max) return prev;
  return sliderRange(value, valid);
}

/** A slider value clamped to its range. */
export const clampTo = (v: number, r: Range) => Math.min(r.max, Math.max(r.min, v));
