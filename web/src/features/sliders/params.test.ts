import { describe, expect, it } from 'vitest';
import { netlistParams, setNetlistParam } from './params';

const NET = `t\n.param r=1k c=100n  x={r*2}\n.subckt a b\n.param inner=3\n.ends\nR1 a b {r}\n`;

describe('netlist params', () => {
  it('finds top-level numeric params', () => {
    expect(netlistParams(NET).map((p) => [p.name, p.value])).toEqual([
      ['r', 1000],
      ['c', 100e-9],
    ]);
  });
  it('rewrites one value', () => {
    expect(setNetlistParam(NET, 'c', 2.2e-7)).toContain('.param r=1k c=220n  x={r*2}');
  });
});
