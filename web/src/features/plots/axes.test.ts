import { describe, expect, it } from 'vitest';
import { autoRange, signalUnit, yAxes, zoomRange } from './axes';

describe('y axes', () => {
  it('volts and amps get separate axes and scales, volts first on the left', () => {
    const units = ['V', 'A', 'V'];
    const ax = yAxes(units);
    expect(ax.map((a) => [a.scale, a.unit, a.side])).toEqual([
      ['y:V', 'V', 'left'],
      ['y:A', 'A', 'right'],
    ]);
    expect(yAxes(['A']).map((a) => a.side)).toEqual(['left']);
    expect(yAxes([])).toHaveLength(1);
  });

  it('signal units from names', () => {
    expect(['v(out)', 'I(L1)', 'p(r1)', 'frequency'].map(signalUnit)).toEqual(['V', 'A', 'W', '']);
    // the losses analysis: powers, energies, junction and thermal-node temperatures
    expect(['p_cond(s1)', 'p_sw(x1.d2)', 'e_sw(s1)', 'tj(s1)', 't(hs)'].map(signalUnit)).toEqual(['W', 'W', 'J', '°C', '°C']);
  });

  it('auto range pads data and opens a band around a flat trace', () => {
    expect(autoRange(0, 10)).toEqual([-0.5, 10.5]);
    expect(autoRange(5, 5)).toEqual([4.5, 5.5]);
    expect(autoRange(0, 0)).toEqual([-1, 1]);
    expect(autoRange(null, null)).toEqual([-1, 1]);
  });

  it('zooms about a point', () => {
    expect(zoomRange(0, 10, 0.5)).toEqual({ min: 2.5, max: 7.5 });
    expect(zoomRange(0, 10, 2, 0)).toEqual({ min: 0, max: 20 });
  });
});
