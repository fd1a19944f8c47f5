// Live values on the schematic in Debian's chromium with the real wasm engine: wires
// coloured by voltage with a legend, current dots driven by the streamed chunks, values on
// hover after a transient and after an operating point, and the switch that turns it off.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, runToEnd, waitForRunEnd, staticApp } from '../lib.mjs';

const env = staticApp();

async function openApp() {
  const page = await env.browser.context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(env.url);
  await page.waitForSelector('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=engine-mode][data-engine=local]');
  await waitForRunEnd(page);
  return page;
}

/** Move the mouse over grid point (gx, gy) of the canvas at the default view. */
async function hoverGrid(page, gx, gy) {
  const box = await page.locator('[data-testid=schematic-canvas]').boundingBox();
  await page.mouse.move(box.x + 40 + gx * 20, box.y + 40 + gy * 20);
}

const hoverText = (page) => page.locator('[data-testid=hover-value]').textContent();

describe('live values on the schematic', () => {
  it('the RC example: wires coloured by voltage, a legend, values on hover, dots at the cursor time', async () => {
    const page = await openApp();
    await page.waitForSelector('[data-testid=live-overlay]');
    const out = page.locator('[data-testid=live-wire][data-net=out]').first();
    const vOut = Number(await out.getAttribute('data-volts'));
    assert.ok(vOut > 0.99 && vOut <= 1.0001, `v(out) at the end = ${vOut}`);
    // Full scale (1 V, positive): green.
    assert.equal(await out.getAttribute('stroke'), 'rgb(22,163,74)');
    assert.match(await page.locator('[data-testid=live-legend]').innerText(), /Live values[\s\S]*V[\s\S]*t = 10(\.0+)? ms/);
    // The ground net is grey.
    assert.equal(await page.locator('[data-testid=live-wire][data-net="0"]').first().getAttribute('stroke'), 'rgb(148,163,184)');

    // Hover: a wire gives its node voltage, a part its voltage, current and power.
    await hoverGrid(page, 14, 4);
    assert.match(await hoverText(page), /^v\(out\) = (1(\.0+)?|\d{3,4}(\.\d+)?\sm)\s?V$/);
    await hoverGrid(page, 10, 4);
    assert.match(await hoverText(page), /^R1: V = .*V · I = .*A · P = .*W$/);

    // At the end of 10 τ the currents have died away: no dots. Cursor A at the plot's middle
    // (about 5 ms, 1 - e^-5 on out) brings them back, and the values follow the cursor.
    assert.equal(await page.locator('[data-testid=live-dots]').count(), 0);
    const chart = page.locator('[data-testid=plot] .chart').first();
    const cb = await chart.boundingBox();
    await page.mouse.click(cb.x + cb.width * 0.5, cb.y + cb.height * 0.5);
    await page.waitForSelector('[data-testid=live-dots]', { state: 'attached' });
    const t = await page.locator('[data-testid=live-time]').innerText();
    assert.match(t, /ms$/);
    assert.doesNotMatch(t, /t = 10(\.0+)? ms/);
    const v5 = Number(await out.getAttribute('data-volts'));
    assert.ok(v5 > 0.5 && v5 < 0.999, `v(out) at the cursor = ${v5}`);
    // Charging: current flows from the source through R1 into C1, so every dot run moves.
    const speeds = (await page.locator('[data-testid=live-dots]').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-speed')))));
    assert.ok(speeds.length >= 5 && speeds.every((s) => s !== 0), speeds.join());
    // The dots move: the dash offset changes from frame to frame.
    const offsets = await page.evaluate(async () => {
      const l = document.querySelector('[data-testid=live-dots]');
      const a = l.getAttribute('stroke-dashoffset');
      await new Promise((r) => setTimeout(r, 200));
      return [a, l.getAttribute('stroke-dashoffset')];
    });
    assert.notEqual(offsets[0], offsets[1]);
    await page.screenshot({ path: `${OUT}e2e-live-rc.png` });

    // The switch turns it all off, and on again (kept across reloads).
    await page.click('[data-testid=live-toggle]');
    assert.equal(await page.locator('[data-testid=live-overlay]').count(), 0);
    await page.reload();
    await page.waitForSelector('[data-testid=live-legend]');
    assert.equal(await page.locator('[data-testid=live-toggle]').isChecked(), false);
    await waitForRunEnd(page);
    assert.equal(await page.locator('[data-testid=live-overlay]').count(), 0);
    await page.click('[data-testid=live-toggle]');
    await page.waitForSelector('[data-testid=live-overlay]');
    await page.close();
  });

  it('a long transient: colours and dots follow the streamed points while it runs', async () => {
    const page = await openApp();
    await runToEnd(page, async () => {
      await page.click('[data-testid=examples-button]');
      await page.click('[data-testid=example-buck-schematic]');
    });
    // Ten times the gallery's length in SPICE mode, so the run streams for a while; the value
    // edit re-runs by itself.
    await page.evaluate(() => {
      window.__samples = [];
      const tick = () => {
        window.__samples.push({
          s: document.querySelector('[data-testid=status]')?.getAttribute('data-state'),
          t: document.querySelector('[data-testid=live-time]')?.textContent ?? null,
          dots: document.querySelectorAll('[data-testid=live-dots]').length,
          wires: document.querySelectorAll('[data-testid=live-wire]').length,
        });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const status = await runToEnd(
      page,
      () => page.evaluate(() => window.__simcore.docStore.update((d) => ({ ...d, analysis: { ...d.analysis, switching: 'spice', tran: { ...d.analysis.tran, tstop: '20m' } } }))),
      180_000,
    );
    assert.match(status, /^done/, status);
    const samples = await page.evaluate(() => window.__samples);
    const during = samples.filter((x) => x.s === 'running' && x.t);
    assert.ok(during.length > 0, `no live values while running (${samples.length} frames sampled)`);
    assert.ok(new Set(during.map((x) => x.t)).size >= 2, `the live time did not advance while running: ${[...new Set(during.map((x) => x.t))].join()}`);
    assert.ok(during.some((x) => x.dots > 0 && x.wires > 0), 'no dots or colours while running');
    // The inductor current (asked for by the live view) is in the result.
    const sig = await page.evaluate(() => window.__simcore.signals()[0].signals);
    assert.ok(sig.includes('i(l1)'), sig.join());
    await page.screenshot({ path: `${OUT}e2e-live-buck.png` });
    await page.close();
  });

  it('after an operating point, hovering shows the op values', async () => {
    const page = await openApp();
    await runToEnd(page, async () => {
      await page.click('[data-testid=examples-button]');
      await page.click('[data-testid=example-rc-schematic]');
    });
    // V1 at 2 V DC, operating point: 2 V on both sides of R1, no current.
    await runToEnd(page, async () => {
      await page.evaluate(() =>
        window.__simcore.docStore.update((d) => {
          const v1 = Object.values(d.elements).find((e) => e.name === 'V1');
          return { ...d, analysis: { ...d.analysis, kind: 'op' }, elements: { ...d.elements, [v1.id]: { ...v1, props: { ...v1.props, wave: 'dc', dc: '2' } } } };
        }),
      );
      await page.click('[data-testid=run-button]');
    });
    await hoverGrid(page, 6, 4);
    assert.match(await hoverText(page), /^v\(\w+\) = 2(\.0+)?\s?V$/);
    await hoverGrid(page, 16, 8);
    assert.match(await hoverText(page), /^C1: V = 2(\.0+)?\s?V · I = /);
    await hoverGrid(page, 10, 4);
    assert.match(await hoverText(page), /^R1: V = 0(\.0+)?\s?V · I = 0(\.0+)?\s?A · P = 0(\.0+)?\s?W$/);
    await page.close();
  });
});
