// The schematic versions of the power netlist examples generate netlists that simulate to
// the netlist examples' results (both run through the wasm engine).
import { describe, expect, it } from 'vitest';
import { generateNetlist, saveList } from '@/features/schematic/model/netlist';
import { wasmRun, type WasmRun } from '@/shared/engine/testing/wasm-run';
import buckCir from './circuits/buck_converter.cir?raw';
import boostCir from './circuits/boost_converter.cir?raw';
import halfBridgeCir from './circuits/half_bridge_rl.cir?raw';
import { boostTwin, buckTwin, halfBridgeTwin } from './netlist-twins';
import { EXAMPLES } from './examples';
import type { SchematicDoc } from '@/features/schematic/model/schema';

/** Time average and RMS of y over [t0, t1] (trapezoids over the output points). */
function stats(r: WasmRun, sig: string, t0: number, t1: number): { mean: number; rms: number; pp: number } {
  const t = r.columns.time;
  const y = r.columns[sig];
  expect(y, `${sig} in ${Object.keys(r.columns).join(',')}`).toBeDefined();
  let s = 0;
  let s2 = 0;
  let w = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 1; i < t.length; i++) {
    if (t[i - 1] < t0 || t[i] > t1) continue;
    const dt = t[i] - t[i - 1];
    s += 0.5 * (y[i] + y[i - 1]) * dt;
    s2 += 0.5 * (y[i] * y[i] + y[i - 1] * y[i - 1]) * dt;
    w += dt;
    min = Math.min(min, y[i]);
    max = Math.max(max, y[i]);
  }
  return { mean: s / w, rms: Math.sqrt(s2 / w), pp: max - min };
}

async function runTwin(make: () => SchematicDoc) {
  const g = generateNetlist(make());
  expect(g.warnings).toEqual([]);
  return { g, run: await wasmRun(g.text, saveList(g)) };
}

const close = (a: number, b: number, rel: number, what: string) => expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b)));

describe('schematic versions of the power netlist examples', () => {
  it('are offered next to their netlists in the gallery', () => {
    for (const id of ['buck', 'boost', 'half-bridge']) {
      const ex = EXAMPLES.find((e) => e.id === id)!;
      expect(ex.netlist).toBeTruthy();
      expect(ex.asSchematic).toBeTypeOf('function');
    }
  });

  it('buck: same output voltage, ripple and inductor current as buck_converter.cir', async () => {
    const ref = await wasmRun(buckCir);
    const { run } = await runTwin(buckTwin);
    const [a, b] = [stats(ref, 'v(out)', 1.8e-3, 2e-3), stats(run, 'v(out)', 1.8e-3, 2e-3)];
    close(b.mean, a.mean, 0.005, 'mean v(out)');
    close(b.pp, a.pp, 0.1, 'v(out) ripple');
    close(stats(run, 'i(l1)', 1.8e-3, 2e-3).mean, stats(ref, 'i(vil)', 1.8e-3, 2e-3).mean, 0.01, 'mean inductor current');
    expect(a.mean).toBeGreaterThan(4.8);
  }, 120_000);

  it('boost: same output voltage and input current as boost_converter.cir', async () => {
    const ref = await wasmRun(boostCir);
    const { run } = await runTwin(boostTwin);
    close(stats(run, 'v(out)', 1.8e-3, 2e-3).mean, stats(ref, 'v(out)', 1.8e-3, 2e-3).mean, 0.01, 'mean v(out)');
    close(stats(run, 'i(l1)', 1.8e-3, 2e-3).mean, stats(ref, 'i(vil)', 1.8e-3, 2e-3).mean, 0.02, 'mean inductor current');
  }, 120_000);

  it('half-bridge: same switching-node voltage and load current as half_bridge_rl.cir', async () => {
    const ref = await wasmRun(halfBridgeCir);
    const { g, run } = await runTwin(halfBridgeTwin);
    const sw = Object.values(g.probeSignals).find((s) => s.startsWith('v('))!;
    expect(sw).toBe('v(sw)');
    // The last two periods (50 µs each).
    const [a, b] = [stats(ref, 'i(vil)', 0.9e-3, 1e-3), stats(run, 'i(lload)', 0.9e-3, 1e-3)];
    close(b.rms, a.rms, 0.01, 'load current RMS');
    close(b.pp, a.pp, 0.02, 'load current peak-to-peak');
    expect(a.rms).toBeGreaterThan(0.1); // about 4/π · 24 V / |10 + j·2π·20k·1m| Ω / √2 ≈ 0.17 A
    close(stats(run, 'v(sw)', 0.9e-3, 1e-3).rms, stats(ref, 'v(sw)', 0.9e-3, 1e-3).rms, 0.01, 'v(sw) RMS');
    close(stats(run, 'v(mid)', 0.9e-3, 1e-3).mean, stats(ref, 'v(mid)', 0.9e-3, 1e-3).mean, 0.01, 'v(mid)');
  }, 120_000);

  for (const [name, make] of [
    ['buck', buckTwin],
    ['boost', boostTwin],
    ['half-bridge', halfBridgeTwin],
  ] as const)
    it(`${name}: every pin wired, parts apart (no two share a spot)`, () => {
      const doc = make();
      const g = generateNetlist(doc);
      expect(g.conn.danglingPins).toEqual([]);
      const spots = Object.values(doc.elements).filter((e) => e.kind !== 'label' && e.kind !== 'ground').map((e) => `${e.x},${e.y}`);
      expect(new Set(spots).size).toBe(spots.length);
    });
});
