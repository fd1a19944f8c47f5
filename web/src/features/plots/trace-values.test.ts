import { describe, expect, it } from 'vitest';
import { ResultSet } from '@/features/simulation/results';
import { traceUnit, tracePresent, traceValues } from './trace-values';

function tran() {
  const r = new ResultSet();
  r.apply({ type: 'header', index: 0, analysis: 'tran', xName: 'time', complex: false, signals: [{ name: 'v(a)', kind: 'voltage' }, { name: 'i(r1)', kind: 'current' }] } as never);
  r.apply({ type: 'chunk', index: 0, rows: 3, x: Float64Array.from([0, 1, 2]), re: [Float64Array.from([1, 2, 3]), Float64Array.from([2, 2, 2])], im: [] } as never);
  return r.list[0];
}

describe('trace values', () => {
  it('plain signals and math traces over the result', () => {
    const a = tran();
    expect(Array.from(traceValues(a, 'v(a)')!)).toEqual([1, 2, 3]);
    expect(Array.from(traceValues(a, 'v(a)*i(r1)')!)).toEqual([2, 4, 6]);
    expect(Array.from(traceValues(a, 'v(a)-i(r1)')!)).toEqual([-1, 0, 1]);
    expect(Array.from(traceValues(a, 'integ(v(a))')!)).toEqual([0, 1.5, 4]);
    expect(traceValues(a, 'v(b)*i(r1)')).toBeNull();
    expect(tracePresent(a, 'integ(i(r1))')).toBe(true);
    expect(tracePresent(a, 'v(a)*v(zz)')).toBe(false);
    expect([traceUnit('v(a)*i(r1)'), traceUnit('integ(v(a))'), traceUnit('i(r1)')]).toEqual(['W', 'V·s', 'A']);
  });
});
