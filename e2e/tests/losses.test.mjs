// The loss engine in the browser (issue 16): the buck-losses example runs in the wasm engine,
// its "losses" tab shows the loss table per device, the thermal heat map, the efficiency and
// the junction temperatures plotted over time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, runToEnd, waitForRunEnd, staticApp } from '../lib.mjs';

const env = staticApp();

/** The app with an example run and its Losses tab open. */
async function openLosses(example) {
  const page = await env.browser.context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(env.url);
  await page.waitForSelector('[data-testid=run-button]');
  await waitForRunEnd(page);
  await runToEnd(page, async () => {
    await page.click('[data-testid=examples-button]');
    await page.click(`[data-testid=example-${example}]`);
  });
  await page.click('[data-testid=plot-tab-losses]');
  await page.waitForSelector('[data-testid=loss-table]');
  return page;
}

describe('losses and thermal view', () => {
  it('the buck-losses example shows per-device losses, Tj, the heat map and the efficiency', async () => {
    const page = await openLosses('buck-losses');
    const rows = await page.locator('[data-testid=loss-table] tbody tr[data-device]').evaluateAll((trs) =>
      trs.map((tr) => ({ device: tr.getAttribute('data-device'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
    );
    assert.deepEqual(rows.map((r) => r.device).sort(), ['d1', 's1']);
    for (const r of rows) {
      assert.match(r.cells[3], /[0-9.]+\s*[mµ]?W/, JSON.stringify(r)); // a total in watts
      assert.match(r.cells[4], /°C/, JSON.stringify(r)); // both junctions have a thermal path
    }
    const total = await page.locator('[data-testid=loss-total]').innerText();
    assert.match(total, /W/);
    const eff = await page.locator('[data-testid=efficiency]').innerText();
    const pct = Number(/([0-9.]+) %/.exec(eff)[1]);
    assert.ok(pct > 80 && pct < 100, eff);
    const tiles = Object.fromEntries(
      await page
        .locator('[data-testid=heat-map] [data-temp]')
        .evaluateAll((ds) => ds.map((d) => [`${d.getAttribute('data-kind')}:${d.getAttribute('data-name')}`, Number(d.getAttribute('data-temp'))])),
    );
    // two junctions, the heat sink and the 40 degC ambient: heat flows from the junctions down
    const t = (k) => tiles[k];
    assert.equal(t('node:amb'), 40, JSON.stringify(tiles));
    assert.ok(t('node:hs') > 40, JSON.stringify(tiles));
    assert.ok(t('junction:s1') > t('node:hs') && t('junction:d1') > t('node:hs'), JSON.stringify(tiles));
    // the default traces of the losses tab are the junction temperatures, on a degC axis
    await page.waitForSelector('[data-testid=plot] .chart');
    const legend = await page.locator('[data-testid=plot]').innerText();
    assert.match(legend, /tj\(s1\)/);
    assert.match(legend, /°C/);
    await page.screenshot({ path: `${OUT}e2e-losses.png` });
    await page.close();
  });

  it('a netlist that includes the model library runs in the browser (packs, PLECS loss files)', async () => {
    const page = await openLosses('inverter3-losses');
    const devices = await page.locator('[data-testid=loss-table] tbody tr[data-device]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device')));
    assert.equal(devices.length, 12, devices.join()); // 3 legs x (2 IGBTs + 2 diodes), flattened names
    assert.ok(devices.includes('xa.sh') && devices.includes('xc.dl'), devices.join());
    const pct = Number(/([0-9.]+) %/.exec(await page.locator('[data-testid=efficiency]').innerText())[1]);
    assert.ok(pct > 95 && pct < 100, String(pct)); // the CLI gives 98.12 % for this netlist
    await page.close();
  });

  it('the examples menu lists the model library and adds an .include card', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.url);
    await page.waitForSelector('[data-testid=run-button]');
    await waitForRunEnd(page);
    await page.click('[data-testid=examples-button]');
    const entries = await page.locator('[data-testid^=library-]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')));
    assert.ok(entries.includes('library-models/power/packs.lib') && entries.includes('library-models/diodes.lib'), entries.join());
    await page.click('[data-testid="library-models/diodes.lib"]');
    await page.waitForFunction(() => window.__simcore.workspace.get().netlist.includes('.include models/diodes.lib'));
    const lines = await page.evaluate(() => window.__simcore.workspace.get().netlist.split('\n'));
    assert.equal(lines[1], '.include models/diodes.lib');
    await page.close();
  });
});

