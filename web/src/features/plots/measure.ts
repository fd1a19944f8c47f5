// Measurements on a trace (mean, RMS, extremes over a window; the last whole period), math
// traces (product, difference, running integral), and the spectrum (FFT, THD) of a trace over
// whole periods. Pure functions over (x, y, n): x ascending, the first n samples valid; the
// samples may be unevenly spaced (transient results), so averages are integrals over x.
import { interpolateAt } from '@/features/simulation/results';

export interface Window {
  x0: number;
  x1: number;
}

export interface Stats {
  x0: number;
  x1: number;
  mean: number;
  rms: number;
  min: number;
  max: number;
  pp: number;
}

/** Mean and RMS (trapezoidal integrals over x / width), min, max and peak-to-peak of y over [x0, x1]. */
export function windowStats(x: ArrayLike<number>, y: ArrayLike<number>, n: number, w: Window): Stats | null {
  const x0 = Math.max(Math.min(w.x0, w.x1), x[0]);
  const x1 = Math.min(Math.max(w.x0, w.x1), x[n - 1]);
  if (n < 2 || !(x1 > x0)) return null;
  // Walk the samples inside the window, with interpolated end points (no copies).
  let s1 = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let px = x0;
  let py = interpolateAt(x, y, x0, n);
  const step = (qx: number, qy: number) => {
    const h = qx - px;
    s1 += (h * (py + qy)) / 2;
    // Exact integral of the square of the straight segment from py to qy.
    s2 += (h * (py * py + py * qy + qy * qy)) / 3;
    min = Math.min(min, qy);
    max = Math.max(max, qy);
    px = qx;
    py = qy;
  };
  min = max = py;
  let i = 0;
  while (i < n && x[i] <= x0) i++;
  for (; i < n && x[i] < x1; i++) step(x[i], y[i]);
  step(x1, interpolateAt(x, y, x1, n));
  const width = x1 - x0;
  return { x0, x1, mean: s1 / width, rms: Math.sqrt(Math.max(0, s2 / width)), min, max, pp: max - min };
}

/**
 * Rising crossings of the middle level of y's last half (hysteresis 10 % of its peak-to-peak):
 * the x of each crossing, interpolated. Empty for a flat trace.
 */
export function risingCrossings(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number[] {
  if (n < 4) return [];
  let min = Infinity;
  let max = -Infinity;
  for (let i = n >> 1; i < n; i++) {
    min = Math.min(min, y[i]);
    max = Math.max(max, y[i]);
  }
  const pp = max - min;
  if (!(pp > 1e-12 * Math.max(Math.abs(min), Math.abs(max), 1e-30))) return [];
  const mid = (min + max) / 2;
  const lo = mid - 0.1 * pp;
  const out: number[] = [];
  let armed = false;
  for (let i = 1; i < n; i++) {
    if (y[i] < lo) armed = true;
    if (armed && y[i - 1] < mid && y[i] >= mid) {
      const t = (mid - y[i - 1]) / (y[i] - y[i - 1]);
      out.push(x[i - 1] + t * (x[i] - x[i - 1]));
      armed = false;
    }
  }
  return out;
}

/** The last whole period of a periodic trace (between its last two rising crossings), or null. */
export function lastPeriod(x: ArrayLike<number>, y: ArrayLike<number>, n: number): Window | null {
  const c = risingCrossings(x, y, n);
  return c.length >= 2 ? { x0: c[c.length - 2], x1: c[c.length - 1] } : null;
}

/**
 * The longest run of whole periods that ends at the last rising crossing: `count` periods
 * (all that are there, when undefined), measured from the crossings. Null without two crossings.
 */
export function wholePeriods(x: ArrayLike<number>, y: ArrayLike<number>, n: number, count?: number): (Window & { periods: number; period: number }) | null {
  const c = risingCrossings(x, y, n);
  if (c.length < 2) return null;
  // Skip the first half of the crossings' span when there are many: the start-up transient.
  const usable = c.length > 4 ? c.slice(Math.floor(c.length / 2) - 1) : c;
  const k = Math.min(count ?? usable.length - 1, usable.length - 1);
  const x1 = usable[usable.length - 1];
  const x0 = usable[usable.length - 1 - k];
  return { x0, x1, periods: k, period: (x1 - x0) / k };
}

/**
 * Efficiency from the mean powers over one window: |P_out| / |P_in| (signs vary with the
 * current reference direction: a source's own current is negative while it delivers power).
 */
export function efficiency(pOutMean: number, pInMean: number): number {
  return Math.abs(pInMean) > 0 ? Math.abs(pOutMean) / Math.abs(pInMean) : NaN;
}

// ---- math traces -----------------------------------------------------------------------

export function product(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
  return out;
}

export function difference(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
  return out;
}

/** Running trapezoidal integral of y over x, zero at the first sample. */
export function runningIntegral(x: ArrayLike<number>, y: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 1; i < n; i++) out[i] = out[i - 1] + ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return out;
}

export type MathOp = 'mul' | 'sub' | 'integ';
export interface MathTrace {
  op: MathOp;
  a: string;
  b?: string;
}

/** Name of a math trace as plotted and stored in panes: "v(a)*i(b)", "v(a)-v(b)", "integ(v(a))". */
export function mathName(t: MathTrace): string {
  return t.op === 'integ' ? `integ(${t.a})` : `${t.a}${t.op === 'mul' ? '*' : '-'}${t.b}`;
}

/** A math trace from its name, or null for a plain signal name. */
export function parseMath(name: string): MathTrace | null {
  const s = name.trim();
  const m = /^integ\((.*)\)$/i.exec(s);
  if (m) return { op: 'integ', a: m[1] };
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && i > 0 && (ch === '*' || ch === '-')) return { op: ch === '*' ? 'mul' : 'sub', a: s.slice(0, i), b: s.slice(i + 1) };
  }
  return null;
}

/** Unit of a math trace from its operands' units: V*A = W, V-V = V, integ(A) = A·s (x unit s). */
export function mathUnit(t: MathTrace, unitOf: (s: string) => string, xUnit = 's'): string {
  const ua = unitOf(t.a);
  if (t.op === 'integ') return ua ? `${ua}·${xUnit}` : '';
  const ub = unitOf(t.b ?? '');
  if (t.op === 'sub') return ua === ub ? ua : '';
  if ((ua === 'V' && ub === 'A') || (ua === 'A' && ub === 'V')) return 'W';
  if (ua === 'A' && ub === 'A') return 'A²';
  if (ua === 'V' && ub === 'V') return 'V²';
  return '';
}

/** Values of a math trace, given the values of its operands; null when an operand is missing. */
export function evalMath(t: MathTrace, x: ArrayLike<number>, n: number, values: (s: string) => ArrayLike<number> | null): Float64Array | null {
  const a = values(t.a);
  if (!a) return null;
  if (t.op === 'integ') return runningIntegral(x, a, n);
  const b = values(t.b ?? '');
  if (!b) return null;
  return t.op === 'mul' ? product(a, b, n) : difference(a, b, n);
}

// ---- spectrum -------------------------------------------------------------------------

/** In-place radix-2 FFT; re and im have a power-of-two length. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n & (n - 1)) throw new Error('fft length must be a power of two');
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

export type WindowKind = 'rect' | 'hann';

export interface Spectrum {
  /** Bin frequencies (1 / window width apart), from 0. */
  freq: Float64Array;
  /** Peak amplitude of each bin (DC: the mean), corrected for the window's coherent gain. */
  amp: Float64Array;
  /** Window width (x units) and samples used. */
  width: number;
  samples: number;
}

/**
 * Spectrum of y over [x0, x1]: resampled to `samples` evenly spaced points (a power of two,
 * linear interpolation), windowed, transformed. With a window of whole periods each harmonic
 * of the period falls on a bin (bin k = k / width).
 */
export function spectrum(x: ArrayLike<number>, y: ArrayLike<number>, n: number, w: Window, windowKind: WindowKind = 'hann', samples = 4096): Spectrum {
  const width = w.x1 - w.x0;
  const re = new Float64Array(samples);
  const im = new Float64Array(samples);
  let gain = 0;
  for (let i = 0; i < samples; i++) {
    const t = w.x0 + (i * width) / samples;
    const win = windowKind === 'hann' ? 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / samples) : 1;
    gain += win;
    re[i] = interpolateAt(x, y, t, n) * win;
  }
  gain /= samples;
  fft(re, im);
  const half = samples / 2;
  const freq = new Float64Array(half);
  const amp = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    freq[k] = k / width;
    amp[k] = ((k === 0 ? 1 : 2) * Math.hypot(re[k], im[k])) / samples / gain;
  }
  return { freq, amp, width, samples };
}

export interface Thd {
  /** Fundamental frequency and its peak amplitude. */
  f0: number;
  fundamental: number;
  /** Peak amplitudes of harmonics 2..N. */
  harmonics: number[];
  /** sqrt(sum of harmonic amplitudes squared) / fundamental. */
  thd: number;
  periods: number;
}

/**
 * Total harmonic distortion of a periodic trace: the spectrum over the whole periods at its end
 * (at least `minPeriods` when there are that many), harmonics up to `maxHarmonic` or the
 * resampled Nyquist limit. Null when the trace has fewer than two rising crossings.
 */
export function thd(x: ArrayLike<number>, y: ArrayLike<number>, n: number, opts: { maxHarmonic?: number; windowKind?: WindowKind; samples?: number } = {}): Thd | null {
  const w = wholePeriods(x, y, n);
  if (!w || w.periods < 1) return null;
  const sp = spectrum(x, y, n, w, opts.windowKind ?? 'hann', opts.samples ?? 8192);
  const k = w.periods;
  const fund = sp.amp[k];
  const hs: number[] = [];
  for (let h = 2; h <= (opts.maxHarmonic ?? 50) && h * k < sp.amp.length; h++) hs.push(sp.amp[h * k]);
  const sum = hs.reduce((s, a) => s + a * a, 0);
  return { f0: 1 / w.period, fundamental: fund, harmonics: hs, thd: fund > 0 ? Math.sqrt(sum) / fund : NaN, periods: k };
}
