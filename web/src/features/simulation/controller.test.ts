import { describe, expect, it } from 'vitest';
import { MockEngine, rcScript } from '@/shared/engine/testing/mock-engine';
import type { RunEvent } from '@/shared/engine/types';
import { createSimulation } from './controller';
import { interpolateAt, signalIndex, signalValues } from './results';

const now = (cb: () => void) => cb();

describe('simulation controller (worker protocol handling)', () => {
  it('streams chunks into growing buffers and ends with stats', async () => {
    const sim = createSimulation(new MockEngine(rcScript(1e-3, 200, 5)), now);
    const seen: number[] = [];
    sim.state.subscribe(() => seen.push(sim.state.get().results.list[0]?.rows ?? 0));
    const s = await sim.run('rc');
    expect(s.status).toBe('done');
    expect(s.stats?.acceptedPoints).toBe(1000);
    const a = s.results.list[0];
    expect(a.rows).toBe(1000);
    expect(a.x.length).toBeGreaterThanOrEqual(1000);
    // data arrived in steps while running
    expect(seen.filter((r) => r > 0 && r < 1000).length).toBeGreaterThan(0);
    const out = signalValues(a, signalIndex(a, 'V(OUT)'));
    expect(interpolateAt(a.x, out, 5e-3, a.rows)).toBeCloseTo(1 - Math.exp(-5), 3);
  });

  it('a new run cancels the previous one and ignores its events', async () => {
    const engine = new MockEngine(rcScript());
    const sim = createSimulation(engine, now);
    const first = sim.run('a');
    const second = sim.run('b');
    const s1 = await first;
    const s2 = await second;
    expect(engine.runs[0].cancelled).toBe(true);
    expect(s1.runId).toBe(2); // state already belongs to the second run
    expect(s2.status).toBe('done');
    expect(s2.netlist).toBe('b');
    expect(s2.results.list[0].rows).toBe(200);
  });

  it('reports engine errors with their location', async () => {
    const engine = new MockEngine((_n, _o, id): RunEvent[] => [
      { type: 'error', id, error: { code: 'Parse', message: "bad number '4k7'", file: '', line: 3, col: 8 } },
    ]);
    const sim = createSimulation(engine, now);
    const s = await sim.run('x');
    expect(s.status).toBe('error');
    expect(s.error).toMatchObject({ code: 'Parse', line: 3, col: 8 });
  });

  it('clear forgets the results and ignores the run it cancelled (New document)', async () => {
    const engine = new MockEngine(rcScript());
    const sim = createSimulation(engine, now);
    await sim.run('a');
    expect(sim.state.get().results.list).toHaveLength(1);
    const p = sim.run('b');
    sim.clear();
    await p;
    const s = sim.state.get();
    expect(engine.runs[1].cancelled).toBe(true);
    expect(s.status).toBe('idle');
    expect(s.results.list).toHaveLength(0);
    expect(s.netlist).toBe('');
    expect(s.error).toBeUndefined();
  });

  it('cancel ends in cancelled', async () => {
    const sim = createSimulation(new MockEngine(rcScript()), now);
    const p = sim.run('x');
    sim.cancel();
    expect((await p).status).toBe('cancelled');
  });

  it('handles AC (complex) results: dB and phase', async () => {
    const fc = 1000;
    const engine = new MockEngine((_n, _o, id): RunEvent[] => {
      const f = new Float64Array([10, 100, 1000, 10000]);
      const re = new Float64Array(4);
      const im = new Float64Array(4);
      f.forEach((fi, i) => {
        const w = fi / fc; // H = 1/(1+jw)
        re[i] = 1 / (1 + w * w);
        im[i] = -w / (1 + w * w);
      });
      return [
        { type: 'header', id, analysis: 'ac', index: 0, xName: 'frequency', complex: true, signals: [{ name: 'v(out)', kind: 'voltage' }] },
        { type: 'chunk', id, index: 0, rows: 4, x: f, re: [re], im: [im] },
        { type: 'analysisEnd', id, index: 0, rows: 4 },
        { type: 'done', id, stats: { acceptedPoints: 4, rejectedSteps: 0, newtonIterations: 0, factorizations: 4, refactorizations: 0, unknowns: 2, seconds: 0 } },
      ];
    });
    const s = await createSimulation(engine, now).run('ac');
    const a = s.results.find('ac')!;
    expect(signalValues(a, 0, 'db')[2]).toBeCloseTo(-3.0103, 3);
    expect(signalValues(a, 0, 'phase')[2]).toBeCloseTo(-45, 6);
  });

  it('fills x with row numbers for the operating point', async () => {
    const engine = new MockEngine((_n, _o, id): RunEvent[] => [
      { type: 'header', id, analysis: 'op', index: 0, xName: '', complex: false, signals: [{ name: 'v(a)', kind: 'voltage' }] },
      { type: 'chunk', id, index: 0, rows: 1, x: new Float64Array(0), re: [new Float64Array([2.5])], im: [] },
      { type: 'analysisEnd', id, index: 0, rows: 1 },
      { type: 'done', id, stats: { acceptedPoints: 1, rejectedSteps: 0, newtonIterations: 3, factorizations: 1, refactorizations: 0, unknowns: 1, seconds: 0 } },
    ]);
    const s = await createSimulation(engine, now).run('op');
    expect(s.results.find('op')!.re[0][0]).toBe(2.5);
  });
});
