import { describe, expect, it } from 'vitest';
import { searchSignals } from './signal-search';

const grid = ['v(vdd)', ...Array.from({ length: 2500 }, (_, i) => `v(n${Math.floor(i / 50)}_${i % 50})`), 'i(vsupply)', 'i(l_pad3)'];

describe('signal search', () => {
  it('finds one node among 2,500 by its name; exact and prefix matches first', () => {
    const r = searchSignals(grid, 'n12_3');
    expect(r.names[0]).toBe('v(n12_3)');
    expect(r.names).toContain('v(n12_30)');
    expect(r.total).toBe(11);
  });

  it('every word must match; an empty query lists the first names up to the limit', () => {
    expect(searchSignals(grid, 'i( pad').names).toEqual(['i(l_pad3)']);
    const all = searchSignals(grid, '', 20);
    expect(all.names).toHaveLength(20);
    expect(all.total).toBe(grid.length);
    expect(searchSignals(grid, 'zzz').total).toBe(0);
  });

  it('is case-insensitive', () => {
    expect(searchSignals(['V(OUT)', 'v(in)'], 'out').names).toEqual(['V(OUT)']);
  });
});
