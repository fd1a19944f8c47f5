// The worker's warm-up (worker.ts warmUp): after `ready` it runs a built-in
// transient for about a second, reports `warmedUp`, and gives way at once to
// any request.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WASM, nodeWorker } from './helpers.mjs';

const built = existsSync(join(WASM, 'dist', 'worker.js'));
const skip = built ? false : 'wasm/dist missing: run `npx tsc -p wasm` (make wasm-test does)';

function messages(w) {
  const seen = [];
  const waiters = [];
  w.addEventListener('message', (e) => {
    seen.push(e.data);
    for (const x of [...waiters]) if (x.pred(e.data)) { waiters.splice(waiters.indexOf(x), 1); x.resolve(e.data); }
  });
  return {
    seen,
    next(pred, ms = 30000) {
      const hit = seen.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('timed out waiting for a worker message')), ms);
        waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); } });
      });
    },
  };
}

test('an idle worker warms up once after ready and reports it', { skip }, async () => {
  const w = nodeWorker();
  try {
    const m = messages(w);
    await m.next((x) => x.type === 'ready');
    const wu = await m.next((x) => x.type === 'warmedUp');
    assert.equal(wu.interrupted, false);
    assert.ok(wu.rows > 100, `${wu.rows} rows`);
    assert.ok(wu.ms >= 900, `${wu.ms} ms`);
    assert.equal(m.seen.filter((x) => x.type === 'warmedUp').length, 1);
    // the engine still answers normally afterwards
    w.postMessage({ type: 'run', id: 7, netlist: 'rc\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1u\n.tran 10u 1m\n.end\n' });
    const done = await m.next((x) => x.id === 7 && (x.type === 'done' || x.type === 'error'));
    assert.equal(done.type, 'done', JSON.stringify(done));
  } finally {
    w.terminate();
  }
});

test('a run posted during the warm-up stops it and gives the same result', { skip }, async () => {
  const net = 'rc\nV1 a 0 PULSE(0 1 0 1u 1u 1m 2m)\nR1 a b 1k\nC1 b 0 1u\n.tran 10u 3m\n.end\n';
  const collect = async (warmFirst) => {
    const w = nodeWorker();
    try {
      const m = messages(w);
      await m.next((x) => x.type === 'ready');
      if (warmFirst) await m.next((x) => x.type === 'warmedUp');
      w.postMessage({ type: 'run', id: 3, netlist: net });
      const done = await m.next((x) => x.id === 3 && (x.type === 'done' || x.type === 'error'));
      assert.equal(done.type, 'done', JSON.stringify(done));
      const wu = warmFirst ? null : await m.next((x) => x.type === 'warmedUp');
      const ys = m.seen.filter((x) => x.id === 3 && x.type === 'chunk').flatMap((c) => [...c.re[1]]);
      return { wu, ys };
    } finally {
      w.terminate();
    }
  };
  const during = await collect(false);
  assert.equal(during.wu.interrupted, true);
  assert.ok(during.wu.ms < 900, `${during.wu.ms} ms`);
  const after = await collect(true);
  assert.ok(during.ys.length > 100);
  assert.deepEqual(during.ys, after.ys);
});
