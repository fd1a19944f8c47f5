import { describe, expect, it } from 'vitest';
import { efficiency, evalMath, fft, lastPeriod, mathName, mathUnit, parseMath, runningIntegral, spectrum, thd, wholePeriods, windowStats } from './measure';
import { signalUnit } from './axes';

/** Unevenly spaced samples of f over [0, tEnd] (steps alternate between h and 2.5 h). */
function sample(f: (t: number) => number, tEnd: number, n: number) {
  const xs: number[] = [];
  const h = tEnd / (n * 1.75);
  for (let t = 0, i = 0; t < tEnd; i++) {
    xs.push(t);
    t += i % 2 ? 2.5 * h : h;
  }
  xs.push(tEnd);
  const x = Float64Array.from(xs);
  return { x, y: x.map(f), n: x.length };
}

const f50 = (t: number) => Math.sin(2 * Math.PI * 50 * t);

describe('trace measurements', () => {
  it('mean, RMS, min, max and peak-to-peak of a sine over whole periods', () => {
    const { x, y, n } = sample((t) => 2 + 3 * f50(t), 0.1, 20000);
    const s = windowStats(x, y, n, { x0: 0.02, x1: 0.06 })!;
    expect(s.mean).toBeCloseTo(2, 4);
    expect(s.rms).toBeCloseTo(Math.sqrt(4 + 9 / 2), 4);
    expect(s.max).toBeCloseTo(5, 4);
    expect(s.min).toBeCloseTo(-1, 4);
    expect(s.pp).toBeCloseTo(6, 4);
  });

  it('the window is clipped to the data and may be given backwards (cursor B before A)', () => {
    const { x, y, n } = sample((t) => t, 1, 100);
    const s = windowStats(x, y, n, { x0: 2, x1: 0.5 })!;
    expect(s.x0).toBe(0.5);
    expect(s.x1).toBe(1);
    expect(s.mean).toBeCloseTo(0.75, 12);
    expect(s.rms).toBeCloseTo(Math.sqrt((1 - 0.125) / 3 / 0.5), 12);
    expect(windowStats(x, y, n, { x0: 0.3, x1: 0.3 })).toBeNull();
  });

  it('finds the last period of a square wave with a start-up transient', () => {
    const { x, y, n } = sample((t) => (t < 0.005 ? 0 : (t * 1000) % 2 < 1 ? 1 : 0), 0.0201, 40000);
    const p = lastPeriod(x, y, n)!;
    expect(p.x1 - p.x0).toBeCloseTo(2e-3, 5);
    expect(p.x1).toBeCloseTo(0.02, 4);
    // The mean over that period is the duty cycle.
    expect(windowStats(x, y, n, p)!.mean).toBeCloseTo(0.5, 3);
    expect(lastPeriod(x, x.map(() => 1), n)).toBeNull();
  });
});

describe('math traces', () => {
  it('names round-trip and units follow the operands', () => {
    for (const t of [
      { op: 'mul', a: 'v(out)', b: 'i(l1)' },
      { op: 'sub', a: 'v(n-1)', b: 'v(out)' },
      { op: 'integ', a: 'i(c1)' },
    ] as const) expect(parseMath(mathName(t))).toEqual(t);
    expect(parseMath('v(n-1)')).toBeNull();
    expect(mathUnit(parseMath('v(out)*i(l1)')!, signalUnit)).toBe('W');
    expect(mathUnit(parseMath('v(a)-v(b)')!, signalUnit)).toBe('V');
    expect(mathUnit(parseMath('integ(i(c1))')!, signalUnit)).toBe('A·s');
  });

  it('power of a resistor: v·i averaged is V²/R; the integral of i is the charge', () => {
    const { x, y, n } = sample((t) => 5 * f50(t), 0.04, 8000);
    const vals = (s: string) => (s === 'v(a)' ? y : s === 'i(r1)' ? y.map((v) => v / 10) : null);
    const p = evalMath(parseMath('v(a)*i(r1)')!, x, n, vals)!;
    expect(windowStats(x, p, n, { x0: 0, x1: 0.04 })!.mean).toBeCloseTo(25 / 2 / 10, 4);
    const q = evalMath(parseMath('integ(i(r1))')!, x, n, vals)!;
    // Integral of 0.5 sin(wt) from 0 to a quarter period = 0.5 / w.
    const quarter = x.findIndex((t) => t >= 0.005);
    expect(q[quarter]).toBeCloseTo(0.5 / (2 * Math.PI * 50), 4);
    expect(evalMath(parseMath('v(a)-v(zz)')!, x, n, vals)).toBeNull();
    expect(runningIntegral([0, 1, 3], [1, 1, 1], 3)).toEqual(Float64Array.from([0, 1, 3]));
  });
});

describe('spectrum', () => {
  it('the FFT of a pure tone has one bin', () => {
    const re = Float64Array.from({ length: 64 }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / 64));
    const im = new Float64Array(64);
    fft(re, im);
    expect(re[5]).toBeCloseTo(32, 9);
    expect(re[59]).toBeCloseTo(32, 9);
    expect(Math.hypot(re[6], im[6])).toBeLessThan(1e-9);
  });

  it('amplitudes of a tone on a bin, rectangular and Hann windows', () => {
    const { x, y, n } = sample((t) => 1 + 2 * f50(t), 0.1, 40000);
    for (const w of ['rect', 'hann'] as const) {
      const sp = spectrum(x, y, n, { x0: 0, x1: 0.1 }, w);
      expect(sp.freq[5]).toBeCloseTo(50, 9);
      expect(sp.amp[5]).toBeCloseTo(2, 3);
      expect(sp.amp[0]).toBeCloseTo(1, 3);
    }
  });

  it('THD of a sine with 10 % third and 5 % fifth harmonics is 11.18 %', () => {
    const f = (t: number) => f50(t) + 0.1 * Math.sin(2 * Math.PI * 150 * t) + 0.05 * Math.sin(2 * Math.PI * 250 * t + 0.3);
    // Start at an odd phase, so the whole-period window is found from the crossings.
    const { x, y, n } = sample((t) => f(t + 0.00123), 0.1, 60000);
    const w = wholePeriods(x, y, n)!;
    expect(w.period).toBeCloseTo(0.02, 6);
    const r = thd(x, y, n)!;
    expect(r.f0).toBeCloseTo(50, 3);
    expect(r.fundamental).toBeCloseTo(1, 3);
    expect(r.harmonics[1]).toBeCloseTo(0.1, 3);
    expect(r.harmonics[3]).toBeCloseTo(0.05, 3);
    expect(r.thd).toBeCloseTo(Math.sqrt(0.1 ** 2 + 0.05 ** 2), 3);
    expect(thd(x, x.map(() => 0), n)).toBeNull();
  });
});

describe('efficiency', () => {
  it('is |P_out| / |P_in| whatever the sign convention', () => {
    expect(efficiency(4.5, -5)).toBeCloseTo(0.9, 12);
    expect(efficiency(-4.5, 5)).toBeCloseTo(0.9, 12);
    expect(efficiency(1, 0)).toBeNaN();
  });
});
