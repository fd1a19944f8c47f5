import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from '@/features/examples/examples';
import { generateNetlist } from '@/features/schematic/model/netlist';
import type { DescribeOptions } from '@simcore/wasm/protocol';
import { costOf, decide, REMOTE_COST_THRESHOLD } from './policy';
import { wasmDescribe } from './testing/wasm-describe';

/** The policy's cost of a netlist, as EngineSwitch computes it: the engine's describe(), then costOf. */
async function estimateCost(netlist: string, opts: DescribeOptions = {}) {
  return costOf(await wasmDescribe(netlist, opts));
}

const sharedGrid = fileURLToPath(new URL('../../../../../shared/circuits/power_grid_50x50.cir', import.meta.url));

/** A mesh like shared/circuits/power_grid_NxN: R grid, node caps, R-L pads every 10 nodes, pulse loads. */
function powerGrid(n: number): string {
  const l = [`Power-grid mesh ${n}x${n}`, 'VDD vdd 0 DC 1'];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (j + 1 < n) l.push(`RH_${i}_${j} n_${i}_${j} n_${i}_${j + 1} 0.05`);
      if (i + 1 < n) l.push(`RV_${i}_${j} n_${i}_${j} n_${i + 1}_${j} 0.05`);
      l.push(`C_${i}_${j} n_${i}_${j} 0 1e-12`);
    }
  for (let i = 0; i < n; i += 10)
    for (let j = 0; j < n; j += 10) {
      l.push(`RP_${i}_${j} vdd p_${i}_${j} 0.05`, `LP_${i}_${j} p_${i}_${j} n_${i}_${j} 5e-10`);
      l.push(`I_${i}_${j} n_${i}_${j} 0 PULSE(0 0.01 0.1n 50p 50p 0.4n 1n)`);
    }
  l.push('.tran 20p 6n', '.end');
  return l.join('\n');
}

describe('cost estimate', () => {
  it('costOf: unknowns x points, each at least 1', () => {
    expect(costOf({ unknowns: 11, points: 3 })).toEqual({ unknowns: 11, points: 3, cost: 33 });
    expect(costOf({ unknowns: 0, points: 0 })).toEqual({ unknowns: 1, points: 1, cost: 1 });
  });

  it('counts nodes and branch currents (V, L, E, H), not F/G/R/C', async () => {
    const e = await estimateCost(`title
V1 in 0 DC 1
R1 in a 1k
L1 a b 1m
C1 b 0 1u
E1 e 0 in 0 2
H1 h 0 V1 1k
F1 0 f V1 2
G1 0 g in 0 1m
RF f 0 1
RG g 0 1
.op
.end`);
    // nodes in a b e h f g = 7; branches V1 L1 E1 H1 = 4
    expect(e).toEqual({ unknowns: 11, points: 1, cost: 11 });
  });

  it('expands sub-circuits per instance (internal nodes and branches)', async () => {
    const e = await estimateCost(`title
.subckt opamp inp inn out
EGAIN a 0 inp inn 1e5
RP a b 1k
CP b 0 1u
EBUF c 0 b 0 1
ROUT c out 10
.ends opamp
VIN in 0 DC 1
X1 0 in out opamp
X2 0 out out2 opamp
.op
.end`);
    // top: in out out2 + VIN = 4; each X: a b c + 2 E = 5
    expect(e.unknowns).toBe(14);
  });

  it('joins continuation lines and ignores comments', async () => {
    const e = await estimateCost('t\n* R9 x y 1\nR1 a\n+ b 1k ; R8 p q\nV1 a 0 1\n.tran 1u\n+ 1m\n.end');
    expect(e.unknowns).toBe(3);
    expect(e.points).toBe(1001);
  });

  it('expected points per analysis card', async () => {
    const p = async (card: string) => (await wasmDescribe(`t\nVIN in 0 1\nVDS d 0 1\nVGS g 0 1\nR1 in d 1k\nR2 d g 1k\n.param tend=1m\n${card}\n.end`)).points;
    expect(await p('.op')).toBe(1);
    expect(await p('.tran 50n 2m')).toBe(40001);
    expect(await p('.tran 1n 1u 0 0.1n')).toBe(10001); // tmax below tstep
    expect(await p('.tran 1u {tend}')).toBe(1001);
    expect(await p('.ac dec 20 10 1meg')).toBe(101);
    expect(await p('.ac oct 10 1k 8k')).toBe(31);
    expect(await p('.ac lin 50 1 100')).toBe(50);
    expect(await p('.dc VIN -2 2 0.05')).toBe(81);
    expect(await p('.dc VDS 0 5 0.1 VGS 0 3 1')).toBe(51 * 4);
  });

  it('option overrides: analyses replace the cards, tstop stretches .tran, params resolve expressions', async () => {
    const n = 'rc\nV1 in 0 1\nR1 in out 1k\nC1 out 0 1u\n.param tend=1m\n.tran 1u {tend}\n.end';
    expect((await estimateCost(n)).points).toBe(1001);
    expect((await estimateCost(n, { params: { tend: 2e-3 } })).points).toBe(2001);
    expect((await estimateCost(n, { tstop: 5e-3 })).points).toBe(5001);
    expect((await estimateCost(n, { analyses: ['.ac dec 10 1 1meg', '.op'] })).points).toBe(62);
  });

  it('a netlist the engine cannot read is an error (EngineSwitch then runs it locally, which reports it)', async () => {
    await expect(wasmDescribe('t\nR1 a\n.end')).rejects.toMatchObject({ code: 'Parse', line: 2 });
  });

  it('power_grid_50x50 is above the threshold (goes remote)', async () => {
    const e = await estimateCost(powerGrid(50));
    expect(e.unknowns).toBe(2500 + 25 + 1 + 1 + 25); // mesh, pad nodes, vdd, VDD branch, pad inductors
    expect(e.points).toBe(301);
    expect(e.cost).toBeGreaterThan(REMOTE_COST_THRESHOLD);
  });

  it.skipIf(!existsSync(sharedGrid))('the shared power_grid_50x50.cir itself is above the threshold', async () => {
    const e = await estimateCost(readFileSync(sharedGrid, 'utf8'));
    expect(e.unknowns).toBe(2552);
    expect(e.cost).toBeGreaterThan(REMOTE_COST_THRESHOLD);
  });

  it('every built-in example is below the threshold (runs locally)', async () => {
    expect(EXAMPLES.length).toBeGreaterThan(5);
    for (const ex of EXAMPLES) {
      const text = ex.netlist ?? generateNetlist(ex.schematic!()).text;
      const e = await estimateCost(text);
      expect(e.cost, ex.id).toBeLessThanOrEqual(REMOTE_COST_THRESHOLD);
      expect(e.unknowns, ex.id).toBeGreaterThan(1);
    }
  });
});

describe('decide', () => {
  const big = REMOTE_COST_THRESHOLD * 2;
  const small = REMOTE_COST_THRESHOLD / 2;
  it('auto: remote only with a reachable server, a token and a large circuit', () => {
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: true, cost: big }).engine).toBe('remote');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: true, cost: small }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: false, hasToken: true, cost: big }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: false, cost: big }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: true, cost: REMOTE_COST_THRESHOLD }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: true, cost: 11, threshold: 10 }).engine).toBe('remote');
  });
  it('auto: a server whose /healthz says auth "none" needs no token; "jwt" or no auth field still does', () => {
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: false, serverAuth: 'none', cost: big }).engine).toBe('remote');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: false, serverAuth: 'jwt', cost: big })).toEqual({ engine: 'local', reason: 'no server token' });
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: false, serverAuth: undefined, cost: big }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: false, hasToken: false, serverAuth: 'none', cost: big }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: false, serverAuth: 'none', cost: small }).engine).toBe('local');
  });
  it('auto: a token the server refused counts as no token', () => {
    const d = decide({ mode: 'auto', serverReachable: true, hasToken: true, tokenRefused: true, serverAuth: 'jwt', cost: big });
    expect(d).toEqual({ engine: 'local', reason: 'the server refused the saved token' });
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: true, tokenRefused: true, cost: big }).engine).toBe('local');
    expect(decide({ mode: 'auto', serverReachable: true, hasToken: true, tokenRefused: true, serverAuth: 'none', cost: big }).engine).toBe('remote');
    // forced remote mode still tries (and reports the server's answer)
    expect(decide({ mode: 'remote', serverReachable: true, hasToken: true, tokenRefused: true, cost: big }).engine).toBe('remote');
  });
  it('local is always local', () => {
    expect(decide({ mode: 'local', serverReachable: true, hasToken: true, cost: big }).engine).toBe('local');
  });
  it('remote runs remotely whatever the size; an unreachable server is an error, not a local run', () => {
    expect(decide({ mode: 'remote', serverReachable: true, hasToken: false, cost: 1 }).engine).toBe('remote');
    const d = decide({ mode: 'remote', serverReachable: false, hasToken: true, cost: big, serverHost: 'srv:8080' });
    expect(d.engine).toBe('error');
    if (d.engine === 'error') {
      expect(d.error.code).toBe('Unavailable');
      expect(d.error.message).toMatch(/srv:8080 is unreachable/);
    }
  });
});
