import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '@/features/simulation/results';
import type { AnalysisColumns, ResultFormat, ResultWriter } from '@/shared/engine/types';
import { analysisColumns, analysisCsv } from './export';

function acResult(): AnalysisResult {
  // capacity 4, 2 valid rows (the result set grows its buffers by doubling)
  return {
    index: 0,
    analysis: 'ac',
    xName: 'frequency',
    complex: true,
    signals: [
      { name: 'v(out)', kind: 'voltage' },
      { name: 'i(v1)', kind: 'current' },
    ],
    rows: 2,
    ended: true,
    x: Float64Array.from([10, 100, 0, 0]),
    re: [Float64Array.from([0, 1, 9, 9]), Float64Array.from([-1, 0.5, 9, 9])],
    im: [Float64Array.from([1, 0, 9, 9]), Float64Array.from([0, 0, 9, 9])],
  };
}

describe('CSV export', () => {
  it('hands the valid rows to the writer and decodes its bytes', async () => {
    const calls: { format: ResultFormat; a: AnalysisColumns }[] = [];
    const writer: ResultWriter = {
      async exportAnalysis(format, a) {
        calls.push({ format, a });
        return new TextEncoder().encode('frequency,vdb(out)\n');
      },
    };
    expect(await analysisCsv(acResult(), writer)).toBe('frequency,vdb(out)\n');
    expect(calls).toHaveLength(1);
    expect(calls[0].format).toBe('csv');
    const a = calls[0].a;
    expect(a.rows).toBe(2);
    expect(Array.from(a.x)).toEqual([10, 100]);
    expect(a.re.map((c) => Array.from(c))).toEqual([[0, 1], [-1, 0.5]]);
    expect(a.im.map((c) => Array.from(c))).toEqual([[1, 0], [0, 0]]);
  });

  it('passes no imaginary columns for a real analysis', () => {
    const a = { ...acResult(), analysis: 'tran' as const, xName: 'time', complex: false, im: [] };
    expect(analysisColumns(a).im).toEqual([]);
  });

  // The real writer: the wasm module of `make wasm` (skipped when it is not built).
  const glue = fileURLToPath(new URL('../../../../build/wasm/simcore.mjs', import.meta.url));
  it.skipIf(!existsSync(glue))('has the columns of `simcore run` (wasm module)', async () => {
    const create = (await import(/* @vite-ignore */ pathToFileURL(glue).href)).default;
    const M = await create({ wasmBinary: readFileSync(glue.replace(/\.mjs$/, '.wasm')), print: () => {}, printErr: () => {} });
    const writer: ResultWriter = {
      async exportAnalysis(format, a, title = '') {
        const r = M.writeAnalysis(format, a, title);
        if (r.error) throw new Error(r.error.message);
        return r.bytes;
      },
    };
    // |j| = 1: 0 dB at 90 degrees; |-1| = 1: 0 dB at 180; |1| = 1; |0.5|: -6.02 dB at 0
    expect(await analysisCsv(acResult(), writer)).toBe(
      'frequency,vdb(out),vp(out),db(i(v1)),ph(i(v1))\n10,0,90,0,180\n100,0,0,-6.02059991328,0\n',
    );
  });
});
