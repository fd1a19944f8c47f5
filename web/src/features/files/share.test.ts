import { describe, expect, it } from 'vitest';
import { compressToHash, decompressFromHash } from './share';

describe('share links', () => {
  it('round-trips a workspace through the URL hash', async () => {
    const ws = { source: 'netlist', netlist: 'RC\nR1 in out 1k\n'.repeat(50), title: 'µ-test ✓' };
    const h = await compressToHash(ws);
    expect(h).toMatch(/^s=[A-Za-z0-9_-]+$/);
    expect(h.length).toBeLessThan(JSON.stringify(ws).length);
    expect(await decompressFromHash(`#${h}`)).toEqual(ws);
  });
  it('ignores hashes without a document', async () => {
    expect(await decompressFromHash('#foo')).toBeNull();
  });
});
