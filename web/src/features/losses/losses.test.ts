import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '@/features/simulation/results';
import { heatColor, lossAnalysis, summarize } from './losses';

// A losses analysis as the engine streams it: rows at thermal steps of 1 ms, s1 conducting 2 W
// and switching 0.5 W, d1 conducting 1 W; s1's junction heats towards 60 degC, the heat sink to 40.
function lossesResult(): AnalysisResult {
  const n = 11;
  const x = Float64Array.from({ length: n }, (_, i) => i * 1e-3);
  const col = (f: (t: number) => number) => Float64Array.from(x, f);
  const names = ['p_cond(s1)', 'p_sw(s1)', 'e_cond(s1)', 'e_sw(s1)', 'tj(s1)', 'p_cond(d1)', 'e_cond(d1)', 't(hs)'];
  const re = [
    col(() => 2),
    col(() => 0.5),
    col((t) => 2 * t),
    col((t) => 0.5 * t),
    col((t) => 25 + 35 * (1 - Math.exp(-t / 3e-3))),
    col(() => 1),
    col((t) => 1 * t),
    col((t) => 25 + 15 * (1 - Math.exp(-t / 5e-3))),
  ];
  return {
    index: 1,
    analysis: 'losses' as AnalysisResult['analysis'],
    xName: 'time',
    complex: false,
    signals: names.map((name) => ({ name, kind: 'voltage' as const })),
    rows: n,
    ended: true,
    x,
    re,
    im: [],
  };
}

describe('losses view', () => {
  it('averages per device from the cumulative energies and orders by total', () => {
    const v = summarize(lossesResult());
    expect(v.devices.map((d) => d.name)).toEqual(['s1', 'd1']);
    const [s1, d1] = v.devices;
    expect(s1.conduction).toBeCloseTo(2, 12);
    expect(s1.switching).toBeCloseTo(0.5, 12);
    expect(s1.total).toBeCloseTo(2.5, 12);
    expect(d1.total).toBeCloseTo(1, 12);
    expect(d1.tjMax).toBeNaN();
    expect(v.totalLoss).toBeCloseTo(3.5, 12);
    expect(s1.tjMax).toBeCloseTo(25 + 35 * (1 - Math.exp(-10 / 3)), 9);
    expect(v.nodes).toEqual([{ name: 'hs', last: expect.any(Number), max: expect.any(Number) }]);
    expect(v.from).toBe(0);
    expect(v.to).toBeCloseTo(0.01, 15);
  });

  it('averages over a window, and from the power columns when energies are absent', () => {
    const a = lossesResult();
    // drop the energy columns of s1 and make its conduction power 1 W in the first half, 3 W after
    const keep = a.signals.map((s) => !s.name.startsWith('e_') || s.name.endsWith('(d1)'));
    a.signals = a.signals.filter((_, k) => keep[k]);
    a.re = a.re.filter((_, k) => keep[k]);
    a.re[0] = Float64Array.from(a.x, (t) => (t <= 5e-3 + 1e-12 ? 1 : 3));
    const whole = summarize(a).devices.find((d) => d.name === 's1')!;
    expect(whole.conduction).toBeCloseTo(2, 12); // rows 1..5 at 1 W, 6..10 at 3 W, 1 ms each
    const late = summarize(a, { from: 5e-3 }).devices.find((d) => d.name === 's1')!;
    expect(late.conduction).toBeCloseTo(3, 12);
    expect(summarize(a, { from: 5e-3 }).from).toBeCloseTo(5e-3, 15);
  });

  it('finds the losses analysis of a run', () => {
    const l = lossesResult();
    const tran = { ...l, index: 0, analysis: 'tran' as AnalysisResult['analysis'] };
    expect(lossAnalysis([tran, l])).toBe(l);
    expect(lossAnalysis([tran])).toBeUndefined();
  });

  it('colours temperatures from blue (coolest) to red (hottest), grey when unknown', () => {
    expect(heatColor(20, 20, 80)).toBe('rgb(49, 54, 149)');
    expect(heatColor(80, 20, 80)).toBe('rgb(165, 0, 38)');
    expect(heatColor(200, 20, 80)).toBe('rgb(165, 0, 38)');
    expect(heatColor(50, 20, 80)).toBe('rgb(254, 224, 144)');
    expect(heatColor(NaN, 20, 80)).toBe('rgb(160, 160, 160)');
  });
});
