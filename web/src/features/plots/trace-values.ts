// Traces as plotted: result signals, or math traces computed from them (measure.ts).
import { signalIndex, signalValues, type AnalysisResult } from '@/features/simulation/results';
import { signalUnit } from './axes';
import { evalMath, mathUnit, parseMath } from './measure';
import type { Part } from './Chart';

/** Values of a trace over the analysis' valid rows, or null when it is not in these results. */
export function traceValues(a: AnalysisResult, name: string, part: Part = 're'): Float64Array | null {
  const i = signalIndex(a, name);
  if (i >= 0) return signalValues(a, i, part);
  const m = parseMath(name);
  if (!m || a.complex) return null;
  return evalMath(m, a.x, a.rows, (s) => {
    const j = signalIndex(a, s);
    return j >= 0 ? signalValues(a, j) : null;
  });
}

export function tracePresent(a: AnalysisResult, name: string): boolean {
  if (signalIndex(a, name) >= 0) return true;
  const m = parseMath(name);
  return !!m && !a.complex && signalIndex(a, m.a) >= 0 && (m.op === 'integ' || signalIndex(a, m.b ?? '') >= 0);
}

/** Unit of a trace: V, A, W (v·i), V·s (integral over time), ... */
export function traceUnit(name: string, xUnit = 's'): string {
  const m = parseMath(name);
  return m ? mathUnit(m, signalUnit, xUnit) : signalUnit(name);
}
