// Documents in real Chromium (docs/interop.md): Save .json writes the JSON circuit model, a
// document that breaks the schema is refused with the JSON Pointer of the error and the open
// work stays, a good one opens and runs, a share link opens the same work.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, runToEnd, staticApp, waitForRunEnd } from '../lib.mjs';

const env = staticApp();

async function openApp(url = env.url) {
  const page = await env.browser.context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid=run-button]');
  return page;
}

async function savedModel(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-json]')]);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

function openFile(page, name, text) {
  return page.setInputFiles('[data-testid=file-input]', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

const netlistText = (page) => page.locator('[data-testid=netlist-editor]').innerText();

describe('documents: the circuit model, checked at load', () => {
  it('saves the model, refuses a bad file naming the error, keeps the work, opens a good file', async () => {
    const page = await openApp();
    await page.click('[data-testid=examples-button]');
    await page.click('[data-testid=example-rlc]');
    await waitForRunEnd(page);
    const model = await savedModel(page);
    assert.equal(model.format, 'simcore.circuit');
    assert.equal(model.version, 1);
    assert.equal(model.editor.source, 'netlist');
    const r1 = model.cards.findIndex((c) => c.type === 'element' && c.kind === 'r');
    assert.ok(r1 >= 0, JSON.stringify(model.cards));
    assert.ok(model.cards.some((c) => c.type === 'analysis' && c.kind === 'tran'));

    // Another circuit is open; a bad document must not replace it.
    await page.click('[data-testid=examples-button]');
    await page.click('[data-testid=example-rc]');
    await waitForRunEnd(page);
    const before = await netlistText(page);
    const bad = structuredClone(model);
    bad.cards[r1].colour = 'red';
    await openFile(page, 'bad.json', JSON.stringify(bad));
    await page.waitForFunction(() => /bad\.json/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    const notice = await page.locator('[data-testid=notice]').innerText();
    assert.match(notice, new RegExp(`Cannot open bad\\.json: at /cards/${r1}: unknown property "colour"`));
    assert.equal(await netlistText(page), before);

    await openFile(page, 'broken.json', '{"format": "simcore.circuit", ');
    await page.waitForFunction(() => /broken\.json: not JSON/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    assert.equal(await netlistText(page), before);

    // The good document opens: the RLC netlist again, and it runs.
    await openFile(page, 'rlc.json', JSON.stringify(model));
    await page.waitForFunction((t) => document.querySelector('[data-testid=netlist-editor]')?.innerText !== t, before);
    const opened = await netlistText(page);
    assert.match(opened, /\.tran/i);
    await waitForRunEnd(page);
    assert.equal(await page.locator('[data-testid=status]').getAttribute('data-state'), 'done');
    await page.close();
  });

  it('an example opened while the autosaved work still waits for the engine stays open, and runs', async () => {
    // Its own profile without the service worker, whose cache would serve the engine past the route.
    const browser = await launch({ serviceWorkers: 'block' });
    try {
      const first = await browser.context.newPage();
      await first.goto(env.url);
      await first.waitForSelector('[data-testid=run-button]');
      await waitForRunEnd(first);
      await first.click('[data-testid=examples-button]');
      assert.match(await runToEnd(first, () => first.click('[data-testid=example-transformer]')), /^done/);
      // the transformer is autosaved (debounced)
      await first.waitForFunction(() => /K1/i.test(localStorage.getItem('simcore.autosave.v1') ?? ''));
      await first.close();

      // Reopened, the autosave waits for the engine (its netlist is made by it), which is held
      // back until the user has opened another example.
      let release;
      const held = new Promise((r) => (release = r));
      let wasmRequests = 0;
      await browser.context.route('**/*.wasm', async (route) => {
        wasmRequests++;
        await held;
        await route.continue();
      });
      const page = await browser.context.newPage();
      page.on('pageerror', (e) => console.log('pageerror:', e.message));
      await page.goto(env.url);
      await page.waitForSelector('[data-testid=run-button]');
      await page.click('[data-testid=examples-button]');
      await page.click('[data-testid=example-rlc]');
      const rlc = await netlistText(page);
      assert.doesNotMatch(rlc, /^\s*k1\b/im);
      release();
      await waitForRunEnd(page);
      // the restore (had it gone on) runs right after the engine's first answer: give it time
      await page.waitForTimeout(1500);
      await waitForRunEnd(page);
      assert.ok(wasmRequests > 0, 'the engine was held back');
      assert.equal(await netlistText(page), rlc);
      assert.equal(await page.locator('[data-testid=status]').getAttribute('data-state'), 'done');
      // and the circuit that ran is the one shown
      const { ran, shown } = await page.evaluate(() => ({
        ran: window.__simcore.sim.state.get().netlist,
        shown: window.__simcore.workspace.get().netlist,
      }));
      assert.equal(ran, shown);
    } finally {
      await browser.close();
    }
  });

  it('a share link carries the model and opens the same work; a damaged one says so', async () => {
    const page = await openApp();
    // the page opens on its own example and runs it: choose another once that has settled
    await waitForRunEnd(page);
    await page.click('[data-testid=examples-button]');
    assert.match(await runToEnd(page, () => page.click('[data-testid=example-transformer]')), /^done/);
    const text = await netlistText(page);
    await page.click('[data-testid=share]');
    await page.waitForFunction(() => location.hash.startsWith('#s='));
    const url = page.url();
    await page.close();

    const other = await openApp(url);
    await other.waitForFunction(() => /shared link/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    assert.match(await other.locator('[data-testid=notice]').innerText(), /Opened from a shared link/);
    assert.match(await netlistText(other), /K1|k1/);
    assert.equal((await netlistText(other)).split('\n')[0], text.split('\n')[0]);
    await other.close();

    const damaged = await openApp(`${env.url}#s=AAAA`);
    await damaged.waitForFunction(() => /shared link/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    assert.match(await damaged.locator('[data-testid=notice]').innerText(), /The shared link cannot be opened/);
    await damaged.close();
  });
});
