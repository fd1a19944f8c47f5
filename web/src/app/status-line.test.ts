import { describe, expect, it } from 'vitest';
import type { RunStats } from '@/shared/engine/types';
import type { SimState } from '@/features/simulation/controller';
import { statusText, switchingText } from './StatusLine';

const base: RunStats = { acceptedPoints: 10, rejectedSteps: 0, newtonIterations: 0, factorizations: 2, refactorizations: 0, unknowns: 7, seconds: 0.01 };

describe('status line', () => {
  it('names the switching mode of the last run', () => {
    expect(switchingText({ ...base, switchingMode: 'event', configurations: 4 })).toBe('event mode · 4 configurations');
    expect(switchingText({ ...base, switchingMode: 'event', configurations: 1 })).toBe('event mode · 1 configuration');
    expect(switchingText({ ...base, switchingMode: 'spice' })).toBe('SPICE mode');
    expect(switchingText({ ...base, switchingMode: 'linear' })).toBe('linear mode');
    expect(switchingText({ ...base, switchingMode: '' })).toBe('');
    expect(switchingText(base)).toBe('');
  });

  it('shows it after "done in"', () => {
    const s = {
      status: 'done',
      runId: 1,
      results: { list: [{ rows: 10 }] },
      dataVersion: 1,
      stats: { ...base, switchingMode: 'event', configurations: 4 },
      netlist: '',
      elapsedMs: 20,
      origin: 'schematic',
      live: false,
    } as unknown as SimState;
    expect(statusText(s)).toMatch(/^done in 20(\.0)? ?ms · event mode · 4 configurations · 10 points · 0 rejected steps · 0 linear solves · /);
    expect(statusText({ ...s, stats: base })).toMatch(/^done in 20(\.0)? ?ms · 10 points · 0 rejected steps · 0 Newton iterations · /);
  });
});
