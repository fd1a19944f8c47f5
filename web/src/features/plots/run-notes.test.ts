import { describe, expect, it } from 'vitest';
import { runNotes, scriptDownloads } from './run-notes';
import type { RunStats } from '@/shared/engine/types';

const base: RunStats = { acceptedPoints: 1, rejectedSteps: 0, newtonIterations: 1, factorizations: 1, refactorizations: 0, unknowns: 1, seconds: 0 };

describe('run notes', () => {
  it('lists .meas results, failed ones with the reason, then warnings with their lines', () => {
    const n = runNotes({
      ...base,
      measures: [
        { name: 'trise', ok: true, value: 2.197e-4, error: '', line: 7 },
        { name: 'vavg', ok: true, value: 0.401, error: '', line: 8 },
        { name: 'never', ok: false, value: 0, error: 'no crossing of v(out) = 2', line: 9 },
      ],
      warnings: [{ message: "unknown option 'acct' ignored", line: 3, col: 10 }],
    });
    expect(n.map((x) => x.kind)).toEqual(['measure', 'measure', 'measure-failed', 'warning']);
    expect(n[0].text).toBe('trise = 2.19700e-4');
    expect(n[1].text).toBe('vavg = 0.401');
    expect(n[2].text).toContain('no crossing');
    expect(n[3].text).toBe("line 3: unknown option 'acct' ignored");
  });
  it('nothing without stats, measures or warnings', () => {
    expect(runNotes(undefined)).toEqual([]);
    expect(runNotes(base)).toEqual([]);
  });
  it('lists the failed script commands with their lines and the script files as downloads', () => {
    const stats: RunStats = {
      ...base,
      script: {
        text: 'v(out) = 1.000000e+00\n',
        errors: ["rc.cir:9:1: error: 'print': no such vector 'x'"],
        files: [
          { name: 'out/rc.txt', sizeBytes: 2048, data: new Uint8Array(10), truncated: false },
          { name: 'big.raw', sizeBytes: 3 << 20, data: new Uint8Array(256 * 1024), truncated: true },
        ],
      },
    };
    const n = runNotes(stats);
    expect(n).toEqual([{ kind: 'script-error', text: "rc.cir:9:1: error: 'print': no such vector 'x'", line: 9 }]);
    const d = scriptDownloads(stats);
    expect(d.map((x) => x.name)).toEqual(['rc.txt', 'big.raw']);
    expect(d[0].label).toBe('out/rc.txt (2.0 KiB)');
    expect(d[1].label).toBe('big.raw (3.0 MiB, first 256.0 KiB kept by the server)');
    expect(scriptDownloads(base)).toEqual([]);
  });
});
