// Accessibility in Debian's chromium: axe-core (injected into the page) finds no serious or
// critical violations on the main views, and the main flows work from the keyboard alone:
// place parts, wire them, run, probe.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { OUT, runToEnd, waitForRunEnd, staticApp } from '../lib.mjs';

const env = staticApp();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function openApp() {
  const page = await env.browser.context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(env.url);
  await page.waitForSelector('[data-testid=run-button]');
  await page.waitForSelector('[data-testid=engine-mode][data-engine=local]');
  await waitForRunEnd(page);
  return page;
}

/** Serious and critical axe violations on the page as it is, one line each. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Press keys on whatever has the focus. */
async function press(page, ...keys) {
  for (const k of keys) await page.keyboard.press(k);
}

describe('accessibility', () => {
  it('axe-core: no serious or critical violations on the main views', async () => {
    const page = await openApp();
    const found = {};
    found['schematic with results'] = await seriousViolations(page);
    await page.click('[data-testid=examples-button]');
    found['examples menu'] = await seriousViolations(page);
    await runToEnd(page, () => page.click('[data-testid=example-buck]'), 120_000);
    found['netlist example with plots'] = await seriousViolations(page);
    await runToEnd(page, async () => {
      await page.click('[data-testid=examples-button]');
      await page.click('[data-testid=example-buck-schematic]');
    }, 120_000);
    found['power schematic with live values'] = await seriousViolations(page);
    await page.locator('[data-testid=schematic-canvas]').focus();
    await press(page, 'Control+a', 'Shift+F10');
    await page.waitForSelector('[data-testid=context-menu]');
    found['context menu'] = await seriousViolations(page);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=engine-settings-button]');
    await page.waitForSelector('[data-testid=engine-settings]');
    found['engine settings'] = await seriousViolations(page);
    const report = Object.entries(found).flatMap(([view, list]) => list.map((l) => `${view}: ${l}`));
    assert.deepEqual(report, [], report.join('\n'));
    await page.close();
  });

  it('keyboard only: place a source, a resistor and ground, wire them, run, probe', async () => {
    const page = await openApp();
    await page.locator('[data-testid=new-doc]').focus();
    await press(page, 'Enter');
    assert.equal(await page.evaluate(() => Object.keys(window.__simcore.docStore.doc().elements).length), 0);

    // A part's palette button, Enter: the focus moves to the canvas with the cursor showing.
    const pick = async (kind) => {
      await page.locator(`[data-testid=palette-${kind}]`).focus();
      await press(page, 'Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'schematic-canvas');
      await page.waitForSelector('[data-testid=keyboard-cursor]');
    };
    const cursor = () => page.evaluate(() => {
      const c = document.querySelector('[data-testid=keyboard-cursor] circle');
      return { x: Number(c.getAttribute('cx')) / 20, y: Number(c.getAttribute('cy')) / 20 };
    });

    await pick('vsource');
    const c = await cursor();
    await press(page, 'Enter'); // V1 at c: + (c.x, c.y-2), - (c.x, c.y+2)
    await press(page, 'Escape');
    await pick('resistor');
    await press(page, 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Enter'); // R1 at c+(4,0)
    await press(page, 'Escape');
    await pick('ground');
    await press(page, 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowDown', 'ArrowDown', 'Enter'); // on V1's - pin
    await press(page, 'Escape');
    // Wires: W, then Enter at each end (a wire ending on a pin is finished).
    await press(page, 'w', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'Enter', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Enter');
    await press(page, 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'Enter', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'Enter', 'Escape');
    assert.match(await page.locator('[data-testid=canvas-announce]').innerText(), /select tool, cursor at/);

    const doc = await page.evaluate(() => {
      const d = window.__simcore.docStore.doc();
      return { parts: Object.values(d.elements).map((e) => `${e.name}@${e.x},${e.y}`).sort(), wires: Object.keys(d.wires).length };
    });
    assert.deepEqual(doc.parts, [`GND1@${c.x},${c.y + 2}`, `R1@${c.x + 4},${c.y}`, `V1@${c.x},${c.y}`].sort());
    assert.equal(doc.wires, 2);
    assert.equal(await page.locator('[data-testid=schematic-warnings]').count(), 0);

    // Run from the keyboard, then probe the top wire: P, the cursor onto it, Enter.
    const status = await runToEnd(page, () => press(page, 'Control+Enter'));
    assert.match(status, /^done/, status);
    await press(page, 'p', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowRight', 'ArrowRight');
    assert.match(await page.locator('[data-testid=canvas-announce]').innerText(), /probe tool, cursor at .*on wire on net/);
    await press(page, 'Enter');
    await page.waitForFunction(() => window.__simcore.plots.get().panes.flat().length > 0);
    const [sig] = await page.evaluate(() => window.__simcore.plots.get().panes.flat());
    assert.match(sig, /^v\(/);
    await waitForRunEnd(page);
    const v = await page.evaluate((s) => window.__simcore.valueAt(s, 5e-3, 'tran'), sig);
    assert.ok(Math.abs(v - 1) < 1e-6, `${sig} = ${v} (V1 is 1 V DC)`);
    await page.screenshot({ path: `${OUT}e2e-keyboard-only.png` });
    await page.close();
  });

  it('Tab reaches the palette, the canvas and Run; the canvas says how to use it', async () => {
    const page = await openApp();
    const seen = new Set();
    await page.locator('body').focus();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      seen.add(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? ''));
    }
    for (const id of ['run-button', 'tool-wire', 'palette-resistor', 'schematic-canvas']) assert.ok(seen.has(id), `Tab never reached ${id}`);
    const help = await page.locator('[data-testid=schematic-canvas]').getAttribute('aria-describedby');
    assert.match(await page.locator(`#${help}`).innerText(), /Arrow keys move the cursor/);
    await page.close();
  });
});
