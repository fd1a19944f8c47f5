// Device plugins in WebAssembly (docs/plugins.md): linked in at build time
// (SIMCORE_WASM_PLUGINS); a `.plugin` card names one by its file stem. The
// default module links none, so a .plugin card is refused with that list.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSimcore } from '../lib/load.mjs';

let M;
before(async () => { M = await loadSimcore(); });

const NET = 't\n.plugin lib/memristor.so\nv1 p 0 1\nn1 p 0 mem\n.model mem hpmemristor\n.op\n.end\n';

test('.plugin names a linked-in plugin; the default module has none', () => {
  const sim = new M.Simulation();
  try {
    const err = sim.load(NET, 'p.cir', {}, null);
    if (err === null) {
      // built with SIMCORE_WASM_PLUGINS including memristor.c: it runs
      assert.equal(sim.advance(1000).state, 'done');
      return;
    }
    assert.match(err.message, /device plugin 'lib\/memristor\.so': not built into this program .*built in: none/);
    assert.equal(err.line, 2);
  } finally {
    sim.delete();
  }
});
