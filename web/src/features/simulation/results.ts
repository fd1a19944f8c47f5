// Results of one run, filled from engine events. Buffers grow by doubling;
// `rows` says how much of each is valid. Plots read typed-array views
// (subarray, no copies) straight from here.
import type { AnalysisType, RunEvent, SignalInfo } from '@/shared/engine/types';

export interface AnalysisResult {
  index: number;
  analysis: AnalysisType;
  xName: string;
  /** The circuit variant it ran on (a .step point "rload=2000", a .temp value); absent for the circuit itself. */
  variant?: string;
  complex: boolean;
  signals: SignalInfo[];
  rows: number;
  ended: boolean;
  x: Float64Array;
  re: Float64Array[];
  im: Float64Array[];
}

export class ResultSet {
  readonly analyses: AnalysisResult[] = [];
  /** Bumped on every change, so views can tell whether to redraw. */
  version = 0;

  /** Apply one event of this run. Returns true when the set changed. */
  apply(ev: RunEvent): boolean {
    switch (ev.type) {
      case 'header': {
        const n = 256;
        this.analyses[ev.index] = {
          index: ev.index,
          analysis: ev.analysis,
          xName: ev.xName,
          ...(ev.variant ? { variant: ev.variant } : {}),
          complex: ev.complex,
          signals: ev.signals.map((s) => ({ ...s, name: s.name.toLowerCase() })),
          rows: 0,
          ended: false,
          x: new Float64Array(n),
          re: ev.signals.map(() => new Float64Array(n)),
          im: ev.complex ? ev.signals.map(() => new Float64Array(n)) : [],
        };
        break;
      }
      case 'chunk': {
        const a = this.analyses[ev.index];
        if (!a || ev.rows <= 0) return false;
        const need = a.rows + ev.rows;
        if (need > a.x.length) {
          let cap = a.x.length;
          while (cap < need) cap *= 2;
          a.x = grow(a.x, cap, a.rows);
          a.re = a.re.map((b) => grow(b, cap, a.rows));
          a.im = a.im.map((b) => grow(b, cap, a.rows));
        }
        if (ev.x.length >= ev.rows) a.x.set(ev.x.subarray(0, ev.rows), a.rows);
        else for (let i = 0; i < ev.rows; i++) a.x[a.rows + i] = a.rows + i; // op: no x
        for (let s = 0; s < a.re.length; s++) {
          const src = ev.re[s];
          if (src) a.re[s].set(src.subarray(0, ev.rows), a.rows);
        }
        for (let s = 0; s < a.im.length; s++) {
          const src = ev.im[s];
          if (src) a.im[s].set(src.subarray(0, ev.rows), a.rows);
        }
        a.rows = need;
        break;
      }
      case 'analysisEnd': {
        const a = this.analyses[ev.index];
        if (!a) return false;
        a.ended = true;
        break;
      }
      default:
        return false;
    }
    this.version++;
    return true;
  }

  /** First analysis of a kind, or undefined. */
  find(kind: AnalysisType): AnalysisResult | undefined {
    return this.analyses.find((a) => a && a.analysis === kind);
  }

  get list(): AnalysisResult[] {
    return this.analyses.filter(Boolean);
  }
}

function grow(b: Float64Array, cap: number, rows: number): Float64Array {
  const n = new Float64Array(cap);
  n.set(b.subarray(0, rows));
  return n;
}

export function signalIndex(a: AnalysisResult, name: string): number {
  const n = name.toLowerCase();
  return a.signals.findIndex((s) => s.name === n);
}

/** Valid part of a signal as real values: magnitude in dB / phase in degrees for complex data. */
export function signalValues(a: AnalysisResult, idx: number, part: 're' | 'db' | 'phase' | 'mag' = 're'): Float64Array {
  const re = a.re[idx].subarray(0, a.rows);
  if (!a.complex || part === 're') return re;
  const im = a.im[idx].subarray(0, a.rows);
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    if (part === 'db') out[i] = 20 * Math.log10(Math.hypot(re[i], im[i]));
    else if (part === 'mag') out[i] = Math.hypot(re[i], im[i]);
    else out[i] = (Math.atan2(im[i], re[i]) * 180) / Math.PI;
  }
  if (part === 'phase') unwrapDegrees(out);
  return out;
}

export function unwrapDegrees(p: Float64Array) {
  let offset = 0;
  for (let i = 1; i < p.length; i++) {
    const raw = p[i] + offset;
    const d = raw - p[i - 1];
    if (d > 180) offset -= 360;
    else if (d < -180) offset += 360;
    p[i] = p[i] + offset;
  }
}

/** Linear interpolation of y at x (x ascending). */
export function interpolateAt(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number, n = xs.length): number {
  if (n === 0) return NaN;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]) / (xs[hi] - xs[lo] || 1);
  return ys[lo] + t * (ys[hi] - ys[lo]);
}
