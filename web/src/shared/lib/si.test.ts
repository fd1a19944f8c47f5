import { describe, expect, it } from 'vitest';
import { formatPz, formatTicks, parseSpiceNumber } from './si';

describe('formatTicks', () => {
  it('keeps neighbouring labels distinct around a prefix boundary', () => {
    const vals = [0.97, 0.975, 0.98, 0.985, 0.99, 0.995, 1, 1.005, 1.01, 1.015, 1.02];
    const out = formatTicks(vals, 'V');
    expect(new Set(out).size).toBe(vals.length);
    expect(out[0]).toBe('0.970 V');
    expect(out[6]).toBe('1.000 V');
    expect(out[10]).toBe('1.020 V');
  });

  it('uses one prefix for the axis and the decimals the step needs', () => {
    expect(formatTicks([0, 5e-10, 1e-9, 1.5e-9, 2e-9], 's')).toEqual(['0.0 ns', '0.5 ns', '1.0 ns', '1.5 ns', '2.0 ns']);
    expect(formatTicks([0, 2e-9, 4e-9, 6e-9], 's')).toEqual(['0 ns', '2 ns', '4 ns', '6 ns']);
    expect(formatTicks([-0.25, 0, 0.25, 0.5], 'A')).toEqual(['-250 mA', '0 mA', '250 mA', '500 mA']);
    expect(formatTicks([0, 250e3, 500e3, 750e3, 1e6], 'Hz')).toEqual(['0.00 MHz', '0.25 MHz', '0.50 MHz', '0.75 MHz', '1.00 MHz']);
  });

  it('passes nulls through and never prints minus zero', () => {
    expect(formatTicks([null, -1e-17, 0.1, 0.2], 'V')).toEqual(['', '0 mV', '100 mV', '200 mV']);
  });
});

describe('formatPz', () => {
  it('writes a real root without and a complex one with its imaginary part', () => {
    expect(formatPz(-1e8, 0)).toBe('-100 M rad/s');
    expect(formatPz(-5500, 31300.96)).toBe('-5.5 k + j31.301 k rad/s');
    expect(formatPz(-5500, -31300.96)).toBe('-5.5 k - j31.301 k rad/s');
  });
});

describe('parseSpiceNumber', () => {
  it('reads scale suffixes as the engine does, with no atto (1.0A is one ampere)', () => {
    expect(parseSpiceNumber('4.7k')).toBe(4700);
    expect(parseSpiceNumber('10uF')).toBeCloseTo(10e-6, 18);
    expect(parseSpiceNumber('1.0A')).toBe(1);
    expect(parseSpiceNumber('2.5mA')).toBeCloseTo(2.5e-3, 15);
    expect(parseSpiceNumber('1a')).toBe(1);
  });
});
