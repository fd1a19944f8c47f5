import { describe, expect, it } from 'vitest';
import { decimate, lowerBound } from './decimate';

describe('min/max decimation', () => {
  const n = 200_000;
  const x = Float64Array.from({ length: n }, (_, i) => i * 1e-8);
  // A 100 kHz square-ish wave with one narrow spike.
  const y = Float64Array.from(x, (t, i) => (i === 123_457 ? 50 : Math.floor(t * 2e5) % 2 ? 12 : -0.7));
  const v = Float64Array.from(x, (t) => Math.sin(2 * Math.PI * 500 * t));

  it('reduces to at most two points per bucket and keeps every extreme', () => {
    const d = decimate(x, [y, v], n, 0, x[n - 1], 800);
    expect(d.x.length).toBeLessThanOrEqual(1600);
    expect(d.x[0]).toBe(0);
    expect(d.x[d.x.length - 1]).toBe(x[n - 1]);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThanOrEqual(d.x[i - 1]);
    const max = (a: Float64Array) => a.reduce((m, t) => Math.max(m, t), -Infinity);
    const min = (a: Float64Array) => a.reduce((m, t) => Math.min(m, t), Infinity);
    expect(max(d.ys[0])).toBe(50); // the one-sample spike survives
    expect(min(d.ys[0])).toBe(-0.7);
    expect(max(d.ys[1])).toBe(max(v));
    expect(min(d.ys[1])).toBe(min(v));
  });

  it('a zoomed window keeps its samples as they are when few enough, one beyond each edge', () => {
    const d = decimate(x, [y], n, 1e-4, 1.1e-4, 800);
    expect(d.x.length).toBe(1003);
    expect(d.x[0]).toBeLessThan(1e-4);
    expect(d.x[d.x.length - 1]).toBeGreaterThan(1.1e-4);
    expect(Array.from(d.ys[0].slice(1, 4))).toEqual(Array.from(y.slice(10_000, 10_003)));
  });

  it('leaves non-finite values out of a bucket', () => {
    const m = 10_000;
    const xs = Float64Array.from({ length: m }, (_, i) => i);
    const ys = Float64Array.from(xs, (t) => (t < 5000 ? -Infinity : t));
    const d = decimate(xs, [ys], m, 0, m, 100);
    expect(Number.isNaN(d.ys[0][0])).toBe(true);
    expect(Math.max(...d.ys[0].filter(Number.isFinite))).toBe(m - 1);
    expect(lowerBound(xs, m, 2.5)).toBe(3);
  });
});
