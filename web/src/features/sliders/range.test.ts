import { describe, expect, it } from 'vitest';
import { clampTo, keepRange, sliderRange, validRangeFor } from './range';

describe('slider ranges', () => {
  it('a duty cycle slides over [0, 1], never beyond', () => {
    const valid = validRangeFor('duty');
    expect(valid).toEqual({ min: 0, max: 1 });
    expect(sliderRange(0.45, valid)).toEqual({ min: 0, max: 1 });
    expect(clampTo(1.22, sliderRange(0.45, valid))).toBe(1);
    expect(validRangeFor('fsw')).toBeUndefined();
    expect(validRangeFor('K1')).toEqual({ min: 0, max: 1 });
  });

  it('other values slide from a tenth to ten times', () => {
    expect(sliderRange(1e3)).toEqual({ min: 100, max: 1e4 });
    expect(sliderRange(-2)).toEqual({ min: -20, max: -0.2 });
    expect(sliderRange(0)).toEqual({ min: -1, max: 1 });
    expect(sliderRange(5, { min: 0, max: Infinity })).toEqual({ min: 0.5, max: 50 });
  });

  it('does not re-centre while the value stays in range', () => {
    const r = sliderRange(1e3);
    expect(keepRange(r, 8e3)).toBe(r);
    expect(keepRange(r, 2e4)).toEqual({ min: 2e3, max: 2e5 });
    expect(keepRange(undefined, 10)).toEqual({ min: 1, max: 100 });
  });
});
