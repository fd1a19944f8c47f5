import { describe, expect, it } from 'vitest';
import { generateNetlist } from '@/features/schematic/model/netlist';
import { wasmRun } from '@/shared/engine/testing/wasm-run';
import { boostSchematic, buckSchematic, threePhaseSchematic } from './power-schematics';
import { EXAMPLES } from './examples';

const cards = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('*'));

/** Time average of y over [t0, t1] (trapezoids over the output points). */
function average(t: Float64Array, y: Float64Array, t0: number, t1: number): number {
  let s = 0;
  let w = 0;
  for (let i = 1; i < t.length; i++) {
    if (t[i - 1] < t0 || t[i] > t1) continue;
    const dt = t[i] - t[i - 1];
    s += 0.5 * (y[i] + y[i - 1]) * dt;
    w += dt;
  }
  return s / w;
}

function range(t: Float64Array, y: Float64Array, t0: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < t.length; i++) if (t[i] >= t0) (min = Math.min(min, y[i])), (max = Math.max(max, y[i]));
  return { min, max };
}

/** Duty cycle of a 0 -> 5 V PULSE with 10 ns edges seen by a 0.5 V threshold. */
const dutyAt = (pw: number, per: number) => (pw + 10e-9 - 0.1 * 10e-9 + 0.9 * 10e-9) / per;

describe('power-electronics schematic examples', () => {
  it('are in the gallery', () => {
    const ids = EXAMPLES.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['buck-schematic', 'boost-schematic', 'inverter3-schematic']));
  });

  for (const [name, make] of [
    ['buck', buckSchematic],
    ['boost', boostSchematic],
    ['three-phase inverter', threePhaseSchematic],
  ] as const) {
    it(`${name}: every pin is wired, no warnings`, () => {
      const g = generateNetlist(make());
      expect(g.warnings).toEqual([]);
      expect(g.conn.danglingPins).toEqual([]);
      expect(Object.keys(g.probeSignals).length).toBeGreaterThan(0);
    });
  }

  it('buck: wiring', () => {
    const c = cards(generateNetlist(buckSchematic()).text);
    expect(c).toEqual(
      expect.arrayContaining([
        'VIN n1 0 DC 12',
        'S1 n1 sw n2 sw S1_mod',
        'VG n2 sw DC 0 PULSE(0 5 0 10n 10n 4.167u 10u)',
        'D1 0 sw D1_mod',
        'L1 sw out 47u',
        'C1 out 0 22u',
        'RLOAD out 0 5',
        '.tran 50n 2m',
      ]),
    );
  });

  it('buck runs in event mode: average output D·Vin and inductor ripple (Vin − Vout)·D/(L·f) within 0.5 %', async () => {
    const r = await wasmRun(generateNetlist(buckSchematic()).text, ['v(out)', 'i(l1)']);
    expect(r.stats.switchingMode).toBe('event');
    const t = r.columns.time;
    const d = dutyAt(4.167e-6, 10e-6);
    const vout = average(t, r.columns['v(out)'], 1.8e-3, 2e-3);
    expect(Math.abs(vout - 12 * d) / (12 * d)).toBeLessThan(0.005);
    const { min, max } = range(t, r.columns['i(l1)'], 1.9e-3);
    const ripple = ((12 - vout) * d) / (47e-6 * 100e3);
    expect(Math.abs(max - min - ripple) / ripple).toBeLessThan(0.005);
  });

  it('boost runs in event mode: average output Vin/(1 − D) within 1 %', async () => {
    const r = await wasmRun(generateNetlist(boostSchematic()).text, ['v(out)']);
    expect(r.stats.switchingMode).toBe('event');
    const d = dutyAt(5.833e-6, 10e-6);
    const vout = average(r.columns.time, r.columns['v(out)'], 2.8e-3, 3e-3);
    expect(Math.abs(vout - 5 / (1 - d)) / (5 / (1 - d))).toBeLessThan(0.01);
  });

  it('three-phase inverter runs in event mode with a floating neutral: every gate edge, balanced currents', async () => {
    const g = generateNetlist(threePhaseSchematic());
    expect(cards(g.text)).toEqual(
      expect.arrayContaining(['SHBA_H n1 a ma tri SHBA_modh', 'SHBA_L a 0 tri ma SHBA_modl', 'VMC mc 0 DC 0 SIN(0 0.8 50 0 0 -240)', 'RA a n2 10', 'LA n2 n 10m']),
    );
    const r = await wasmRun(g.text, ['i(la)', 'i(lb)', 'i(lc)']);
    expect(r.stats.switchingMode).toBe('event');
    // 40 ms of a 10 kHz carrier: 400 periods, each crossed twice by each of the three references.
    expect(r.stats.events).toBeGreaterThanOrEqual(2400);
    const t = r.columns.time;
    const [ia, ib, ic] = ['i(la)', 'i(lb)', 'i(lc)'].map((k) => r.columns[k]);
    let kcl = 0;
    for (let i = 0; i < t.length; i++) kcl = Math.max(kcl, Math.abs(ia[i] + ib[i] + ic[i]));
    expect(kcl).toBeLessThan(1e-6); // the neutral is reached only through the inductors
    // Fundamental amplitude m·(Vdc/2)/|R + jωL|, plus the carrier ripple.
    const amp = (0.8 * 200) / Math.hypot(10, 2 * Math.PI * 50 * 10e-3);
    for (const i of [ia, ib, ic]) {
      const { min, max } = range(t, i, 20e-3);
      expect(Math.abs(max - amp) / amp).toBeLessThan(0.03);
      expect(Math.abs(-min - amp) / amp).toBeLessThan(0.03);
    }
  });
});
