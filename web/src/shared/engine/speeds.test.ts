import { describe, expect, it } from 'vitest';
import { calibrationNetlist, MIN_MEASURED_COST, predictMs, SpeedTracker } from './speeds';
import { calibratedChoice, costOf, decide, MIN_REMOTE_COST } from './policy';
import { wasmDescribe } from './testing/wasm-describe';

describe('measured engine speeds', () => {
  it('blends measurements geometrically and ignores tiny runs', () => {
    const t = new SpeedTracker(200);
    t.recordLocal(MIN_MEASURED_COST / 2, 1);
    expect(t.model().localRate).toBeUndefined();
    t.recordLocal(1e6, 1000); // 1000 per ms
    t.recordLocal(4e6, 1000); // 4000 per ms
    expect(t.model().localRate).toBeCloseTo(2000, 9);
    t.recordRemote(1e6, 1200); // 1e6 / (1200 - 200)
    expect(t.model().remoteRate).toBeCloseTo(1000, 9);
    expect(predictMs(2e6, t.model())).toEqual({ local: 1000, remote: 2200 });
  });

  it('the local probe costs about 8e4 (unknowns x points from the engine)', async () => {
    const c = costOf(await wasmDescribe(calibrationNetlist()));
    expect(c.unknowns).toBeGreaterThan(200);
    expect(c.cost).toBeGreaterThan(5e4);
    expect(c.cost).toBeLessThan(2e5);
  });
});

describe('calibrated auto policy', () => {
  // The numbers: power_grid_50x50 took 1.5 s locally and 1.9-2.3 s on the server.
  const grid = 7.7e5;
  const measured = (localMs: number, remoteMs: number) => {
    const t = new SpeedTracker();
    t.recordLocal(grid, localMs);
    t.recordRemote(grid, remoteMs);
    return t.model();
  };
  const base = { mode: 'auto' as const, serverReachable: true, hasToken: true, cost: grid };

  it('keeps the grid local when this browser was faster, though its cost is over the threshold', () => {
    const d = decide({ ...base, speeds: measured(1500, 2300) });
    expect(d).toMatchObject({ engine: 'local' });
    expect((d as { reason: string }).reason).toMatch(/fast enough: predicted 1.5 s here, 2.3 s on the server/);
  });

  it('sends it to a server that was clearly faster, and a smaller circuit too', () => {
    expect(decide({ ...base, speeds: measured(1500, 600) })).toMatchObject({ engine: 'remote' });
    expect(decide({ ...base, cost: 3e5, speeds: measured(1500, 600) })).toMatchObject({ engine: 'remote' });
    // Still only with a token and a reachable server.
    expect(decide({ ...base, hasToken: false, speeds: measured(1500, 600) })).toMatchObject({ engine: 'local' });
    expect(decide({ ...base, serverReachable: false, speeds: measured(1500, 600) })).toMatchObject({ engine: 'local' });
  });

  it('small runs stay local; within the margin the browser keeps the run', () => {
    expect(calibratedChoice(MIN_REMOTE_COST, measured(1500, 300))).toMatchObject({ engine: 'local' });
    expect(calibratedChoice(grid, measured(1500, 1400))).toMatchObject({ engine: 'local' });
  });

  it('with one engine unmeasured the fixed threshold decides', () => {
    const t = new SpeedTracker();
    t.recordLocal(grid, 1500);
    expect(calibratedChoice(grid, t.model())).toBeNull();
    expect(decide({ ...base, speeds: t.model() })).toMatchObject({ engine: 'remote' });
    expect(decide({ ...base, cost: 1e5, speeds: t.model() })).toMatchObject({ engine: 'local' });
  });
});
