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

describe('netlist titles name pasted netlists', () => {
  it('takes the first line, or untitled', async () => {
    const { netlistTitle } = await import('./workspace');
    expect(netlistTitle('Buck converter 12 V to 5 V\nV1 in 0 12\n.end')).toBe('Buck converter 12 V to 5 V');
    expect(netlistTitle('* rc filter\nR1 a b 1k')).toBe('rc filter');
    expect(netlistTitle('.tran 1u 1m\n')).toBe('untitled');
    expect(netlistTitle('')).toBe('untitled');
  });
});
