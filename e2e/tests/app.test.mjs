// End-to-end tests in Debian's chromium against the production build
// (web/dist), with the real wasm engine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clickGrid, OUT, waitForRunEnd, staticApp, drawWires, pasteNetlist } from '../lib.mjs';

const env = staticApp();

async function openApp() {
  const page = await env.browser.context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(env.url);
  await page.waitForSelector('[data-testid=run-button]');
  // No simcore server behind this static host: auto mode runs in the env.browser.
  await page.waitForSelector('[data-testid=engine-mode][data-engine=local]');
  assert.equal(await page.locator('[data-testid=engine-mode]').innerText(), 'local (wasm)');
  return page;
}

async function loadExample(page, id) {
  await page.click('[data-testid=examples-button]');
  await page.click(`[data-testid=example-${id}]`);
}

describe('simcore web app', () => {
  it('builds an RC circuit from the palette; v(out) at 5 tau is within 1 % of 1 - e^-5', async () => {
    const page = await openApp();
    await page.click('[data-testid=new-doc]');
    await page.click('[data-testid=palette-vsource]');
    await clickGrid(page, 4, 8); // V1: + (4,6), - (4,10)
    await page.click('[data-testid=palette-resistor]');
    await page.keyboard.press('r'); // lying down: pins (8,4) and (12,4)
    await clickGrid(page, 10, 4);
    await page.click('[data-testid=palette-capacitor]');
    await clickGrid(page, 16, 8); // C1: (16,6), (16,10)
    await page.click('[data-testid=palette-ground]');
    await clickGrid(page, 4, 12);
    await page.keyboard.press('Escape');

    await drawWires(page, [
      [[4, 6], [4, 4]],
      [[4, 4], [8, 4]],
      [[12, 4], [16, 4]],
      [[16, 4], [16, 6]],
      [[4, 10], [4, 12]],
      [[16, 10], [16, 12]],
      [[16, 12], [4, 12]],
    ]);
    const netlist = await page.locator('[data-testid=netlist-editor]').innerText();
    assert.match(netlist, /R1 \w+ \w+ 1k/);
    assert.doesNotMatch(await page.locator('body').innerText(), /unconnected pins/);

    // V1: 0 -> 1 V step at t = 0 (1 ns edges).
    await page.click('[data-testid=tool-select]');
    await clickGrid(page, 4, 8);
    await page.selectOption('[data-testid=prop-wave]', 'pulse');
    for (const [k, v] of Object.entries({ v1: '0', v2: '1', td: '0', tr: '1n', tf: '1n', pw: '1', per: '2' }))
      await page.fill(`[data-testid=prop-${k}]`, v);
    // R1 = 1k, C1 = 1u: tau = 1 ms; .tran 10u 10m (defaults).
    assert.match(await page.locator('[data-testid=netlist-editor]').innerText(), /PULSE\(0 1 0 1n 1n 1 2\)/);

    // Probe the wire between R1 and C1: it runs the simulation.
    const net = await page.locator('[data-testid=wire]').nth(2).getAttribute('data-net');
    await page.click('[data-testid=tool-probe]');
    await clickGrid(page, 14, 4);
    const status = await waitForRunEnd(page);
    assert.match(status, /^done/, status);
    const v = await page.evaluate((n) => window.__simcore.valueAt(`v(${n})`, 5e-3, 'tran'), net);
    const exact = 1 - Math.exp(-5);
    assert.ok(Math.abs(v - exact) / exact < 0.01, `v(${net}) at 5 tau = ${v}, expected ${exact}`);
    // The plot shows that signal.
    assert.ok(Number(await page.locator('[data-testid=plot]').getAttribute('data-points')) > 100);
    await page.screenshot({ path: `${OUT}e2e-rc-built.png` });
    await page.close();
  });

  it('streams the buck converter: points are plotted before the run ends', async () => {
    const page = await openApp();
    await loadExample(page, 'buck');
    let status = await waitForRunEnd(page, 120_000);
    assert.match(status, /^done/, status);
    // The example's 2 ms run can end within a few frames on an idle machine: run it eight times
    // longer (16 ms, 390,000 rows) by editing its .tran, so that the run certainly spans frames.
    const text = readFileSync(new URL('../../web/src/features/examples/circuits/buck_converter.cir', import.meta.url), 'utf8');
    assert.match(text, /^\.tran 50n 2m$/m);
    await page.evaluate(() => {
      window.__samples = [];
      const tick = () => {
        const s = document.querySelector('[data-testid=status]')?.getAttribute('data-state');
        const charts = [...document.querySelectorAll('[data-testid=plot] .chart')];
        const drawn = Math.max(0, ...charts.map((c) => Number(c.getAttribute('data-points') || 0)));
        window.__samples.push({ s, drawn });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await pasteNetlist(page, text.replace(/^\.tran 50n 2m$/m, '.tran 50n 16m'));
    // the edited netlist's run: it starts (a frame sees it running) and ends
    await page.waitForFunction(() => window.__samples.some((x) => x.s === 'running'), null, { timeout: 60_000 });
    status = await waitForRunEnd(page, 120_000);
    assert.match(status, /^done/, status);
    const samples = await page.evaluate(() => window.__samples);
    const during = samples.filter((x) => x.s === 'running' && x.drawn > 0);
    const rows = await page.evaluate(() => window.__simcore.signals()[0].rows);
    assert.ok(rows > 300_000, `the 16 ms run has ${rows} rows`);
    assert.ok(during.some((x) => x.drawn < rows), `no partial plot drawn while running (${samples.length} frames sampled)`);
    const vout = await page.evaluate(() => window.__simcore.valueAt('v(out)', 16e-3, 'tran'));
    assert.ok(vout > 4.5 && vout < 6.5, `buck v(out) at 16 ms = ${vout}`);
    await page.screenshot({ path: `${OUT}e2e-buck.png` });
    await page.close();
  });

  it('a pasted broken netlist puts the error marker on the right line', async () => {
    const page = await openApp();
    const broken = ['broken divider', 'V1 in 0 DC 1', 'R1 in out 4k7', 'R2 out 0 1k', '.op', '.end', ''].join('\n');
    // the page opens on its example and runs it: paste once that has settled (a paste
    // that lands first is replaced by the example's text, and its run's end is shown)
    await waitForRunEnd(page);
    await pasteNetlist(page, broken);
    // (the page's own example may still be running, or have just finished, when the paste
    // lands: wait for the pasted netlist's error, not for the end of whichever run is shown)
    await page.waitForSelector('[data-testid=status][data-state=error]', { timeout: 60_000 });
    const status = await page.locator('[data-testid=status]').innerText();
    assert.match(status, /error.*line 3/, status);
    await page.waitForSelector('[data-testid=netlist-editor] .cm-lintRange-error');
    const line = await page.evaluate(() => {
      const lines = [...document.querySelectorAll('[data-testid=netlist-editor] .cm-line')];
      return lines.findIndex((l) => l.querySelector('.cm-lintRange-error')) + 1;
    });
    assert.equal(line, 3);
    const marked = await page.locator('[data-testid=netlist-editor] .cm-lintRange-error').innerText();
    assert.equal(marked, '4k7');
    await page.screenshot({ path: `${OUT}e2e-broken.png` });
    await page.close();
  });

  it('AC analysis of the RC low-pass shows -3 dB and -45 degrees at the corner', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    await waitForRunEnd(page);
    await page.click('[data-testid=analysis-ac]');
    await page.click('[data-testid=run-button]');
    const status = await waitForRunEnd(page);
    assert.match(status, /^done/, status);
    const fc = 1 / (2 * Math.PI * 1e3 * 1e-6);
    const db = await page.evaluate((f) => window.__simcore.valueAt('v(out)', f, 'ac', 'db'), fc);
    const ph = await page.evaluate((f) => window.__simcore.valueAt('v(out)', f, 'ac', 'phase'), fc);
    assert.ok(Math.abs(db + 3.0103) < 0.1, `|v(out)| at fc = ${db} dB`);
    assert.ok(Math.abs(ph + 45) < 1, `phase at fc = ${ph}`);
    assert.equal(await page.locator('[data-testid=plot] .chart').count(), 2); // magnitude and phase
    await page.screenshot({ path: `${OUT}e2e-ac.png` });
    // The CSV export is the file `simcore run` writes (the wasm module's writer): dB and phase columns.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    const csv = readFileSync(await download.path(), 'utf8').split('\n');
    assert.match(csv[0], /^frequency,(vdb\([^)]+\),vp\([^)]+\),?)+/, csv[0]);
    assert.ok(csv[0].includes('vdb(out),vp(out)'), csv[0]);
    assert.ok(csv.length > 10, `${csv.length} lines`);
    await page.close();
  });

  it('reloads offline after a first visit and still simulates (service worker)', async () => {
    const page = await openApp();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    // Make sure everything is precached before going offline.
    await page.waitForFunction(async () => {
      const keys = await caches.keys();
      for (const k of keys) {
        const c = await caches.open(k);
        const reqs = await c.keys();
        if (reqs.some((r) => r.url.endsWith('.wasm'))) return true;
      }
      return false;
    }, null, { timeout: 30_000 });
    await env.browser.context.setOffline(true);
    try {
      await page.reload();
      await page.waitForSelector('[data-testid=run-button]');
      await loadExample(page, 'rc');
      const status = await waitForRunEnd(page);
      assert.match(status, /^done/, status);
    } finally {
      await env.browser.context.setOffline(false);
    }
    await page.close();
  });
});
