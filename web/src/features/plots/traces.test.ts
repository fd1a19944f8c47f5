import { describe, expect, it } from 'vitest';
import { hasAcExcitation, isNoSignal, noSignalHint, plotValues } from './traces';

describe('traces with nothing to draw', () => {
  it('a trace of -inf dB is no signal; one finite point is a signal', () => {
    expect(isNoSignal(new Float64Array([-Infinity, -Infinity]))).toBe(true);
    expect(isNoSignal(new Float64Array([NaN, -Infinity]))).toBe(true);
    expect(isNoSignal(new Float64Array([-Infinity, -3]))).toBe(false);
    expect(isNoSignal(new Float64Array([]))).toBe(true);
  });

  it('plot values keep finite data as is and put gaps at non-finite points', () => {
    const ok = new Float64Array([1, 2, 3]);
    expect(plotValues(ok)).toBe(ok);
    expect(plotValues(new Float64Array([1, -Infinity, 3, NaN]))).toEqual([1, null, 3, null]);
  });

  it('finds AC magnitudes on V and I cards only', () => {
    expect(hasAcExcitation('t\nV1 in 0 DC 0\nR1 in out 1k\n.ac dec 10 1 1meg\n.end')).toBe(false);
    expect(hasAcExcitation('t\nV1 in 0 DC 0 AC 1\n.end')).toBe(true);
    expect(hasAcExcitation('t\nVIN in 0 dc 0 ac=1\n.end')).toBe(true);
    expect(hasAcExcitation('t\nI1 0 in AC 1m\n.end')).toBe(true);
    expect(hasAcExcitation('t\nV1 in 0 DC 0\n+ AC 1 0\n.end')).toBe(true);
    expect(hasAcExcitation('t\n* V1 in 0 AC 1\nV1 in 0 DC 1 ; AC 1\n.ac dec 10 1 1k\n.end')).toBe(false);
    expect(hasAcExcitation('t\nVac in 0 DC 0\n.end')).toBe(false);
    expect(hasAcExcitation('Vdiv title with AC 1\nV1 in 0 DC 1\n.end')).toBe(false);
    expect(hasAcExcitation('t\nR1 a b 1k ac=2\n.end')).toBe(false);
  });

  it('tells the user why when no source has an AC magnitude', () => {
    expect(noSignalHint('t\nV1 in 0 DC 1\nIB 0 b 1m\n.end')).toMatch(/no source has an AC magnitude \(V1, IB\)/);
    expect(noSignalHint('t\nV1 in 0 DC 1 AC 1\n.end')).toMatch(/nothing drives this node/);
  });
});
