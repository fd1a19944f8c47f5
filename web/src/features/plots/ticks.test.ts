import { describe, expect, it } from 'vitest';
import { CHAR_PX, logTicks, niceStep, tickLabels, tickSpace } from './ticks';

describe('axis tick spacing', () => {
  it('nice steps are 1, 2, 2.5 and 5 times a power of ten', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.2)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(3e-6)).toBeCloseTo(5e-6, 18);
    expect(niceStep(6e3)).toBe(1e4);
  });

  // For zoom levels from the full 10 ms down to 20 ns, the labels at the spacing chosen fit it.
  for (const [min, max] of [
    [0, 10e-3],
    [1e-3, 1.2e-3],
    [1.0001e-3, 1.0003e-3],
    [5.12345e-3, 5.12347e-3],
    [9.99999e-3, 1e-2],
  ]) {
    it(`labels of a zoom to [${min}, ${max}] s do not overlap on 600 px`, () => {
      const dim = 600;
      const space = tickSpace(min, max, dim, 's');
      const step = niceStep(((max - min) * space) / dim);
      const labels = tickLabels(min, max, step, 's');
      const px = (step / (max - min)) * dim;
      const widest = Math.max(...labels.map((l) => l.length)) * CHAR_PX;
      expect(labels.length).toBeGreaterThanOrEqual(2);
      expect(px).toBeGreaterThan(widest);
      // Neighbouring labels never read the same.
      expect(new Set(labels).size).toBe(labels.length);
    });
  }

  it('a wider label needs a wider spacing than the default', () => {
    expect(tickSpace(0, 10e-3, 600, 's')).toBe(50);
    expect(tickSpace(1.0001e-3, 1.0003e-3, 600, 's')).toBeGreaterThan(50);
  });
});

describe('log axis ticks', () => {
  it('over decades: every mantissa, labels at the decades', () => {
    const t = logTicks(1, 1e5, 800, 'Hz');
    expect(t.splits.length).toBe(46);
    expect(t.labels.filter(Boolean)).toEqual(['1 Hz', '10 Hz', '100 Hz', '1 kHz', '10 kHz', '100 kHz']);
  });

  it('zoomed inside a decade: evenly spaced labelled ticks that neither vanish nor overlap', () => {
    for (const [min, max] of [
      [1200, 1600],
      [1590, 1592],
      [1591.5, 1591.56],
    ]) {
      const dim = 780;
      const t = logTicks(min, max, dim, 'Hz');
      expect(t.splits.length).toBeGreaterThanOrEqual(2);
      expect(new Set(t.labels).size).toBe(t.labels.length);
      const px = (v: number) => (Math.log10(v / min) / Math.log10(max / min)) * dim;
      for (let i = 1; i < t.splits.length; i++) expect(px(t.splits[i]) - px(t.splits[i - 1])).toBeGreaterThan(((t.labels[i].length + t.labels[i - 1].length) / 2) * CHAR_PX);
    }
  });
});
