// The first-time user's list (issue 13) in Debian's chromium against the production build
// with the real wasm engine: Bode plots with a zero trace, group rotation, select all, net
// labels, stale state, Tab in the netlist editor, zoomed axis labels, y axes per unit,
// measurements, math traces, FFT, the signal search, slider ranges, re-run on a value edit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clickGrid, OUT, runToEnd, waitForRunEnd, staticApp, pasteNetlist as pasteText } from '../lib.mjs';

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

async function loadExample(page, id) {
  return runToEnd(page, async () => {
    await page.click('[data-testid=examples-button]');
    await page.click(`[data-testid=example-${id}]`);
  });
}

/** Replace the netlist editor's text by a paste (the app runs a pasted netlist). */
async function pasteNetlist(page, text) {
  return runToEnd(page, async () => {
    await pasteText(page, text);
  });
}

const netlistText = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid=netlist-editor] .cm-line')].map((l) => l.textContent).join('\n'));
const fileName = (page) => page.evaluate(() => window.__simcore.workspace.get().fileName);
const valueAt = (page, sig, x, kind = 'tran') => page.evaluate(([s, t, k]) => window.__simcore.valueAt(s, t, k), [sig, x, kind]);

/** Element cards (name and nodes) of a netlist, in order, without the title and dot cards. */
const cards = (text) =>
  text
    .split('\n')
    .filter((l) => /^[A-Z]/i.test(l));

describe('issue 13: broken', () => {
  it('Bode: the CE amplifier keeps its plot when a trace is zero at every frequency', async () => {
    const page = await openApp();
    await loadExample(page, 'ce-amp');
    await page.click('[data-testid=plot-tab-ac]');
    await page.waitForSelector('[data-testid=plot] .chart[data-yranges]');
    const silent = await page.locator('[data-testid=no-signal-trace]').allInnerTexts();
    assert.ok(silent.length >= 1, 'no trace listed as "no signal"');
    assert.ok(silent.every((t) => /no signal$/.test(t)), silent.join());
    assert.equal(await page.locator('[data-testid=plot] .chart').count(), 2);
    for (const r of await page.locator('[data-testid=plot] .chart').evaluateAll((cs) => cs.map((c) => JSON.parse(c.getAttribute('data-yranges')))))
      for (const y of r) assert.ok(Number.isFinite(y.min) && Number.isFinite(y.max) && y.max > y.min, JSON.stringify(r));
    assert.match(await page.locator('[data-testid=no-signal]').innerText(), /nothing drives this node/);
    await page.screenshot({ path: `${OUT}e2e-bode-no-signal.png` });
    await page.close();
  });

  it('Bode of a circuit without an AC magnitude says so', async () => {
    const page = await openApp();
    const status = await pasteNetlist(page, ['scratch rc', 'V1 in 0 DC 1', 'R1 in out 1k', 'C1 out 0 1u', '.ac dec 10 10 100k', '.end', ''].join('\n'));
    assert.match(status, /^done/, status);
    assert.match(await page.locator('[data-testid=no-signal]').innerText(), /no source has an AC magnitude.*AC magnitude/);
    await page.close();
  });

  it('Ctrl+A / Cmd+A on the canvas select every part; R turns the group about its centre, wires attached', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    const v0 = await valueAt(page, 'v(out)', 2e-3);
    const before = cards(await netlistText(page));
    // Ctrl+A outside the canvas does not select parts.
    await page.click('[data-testid=plot]');
    await page.keyboard.press('Control+A');
    assert.equal(await page.evaluate(() => window.__simcore.editor.get().selection.length), 0);
    await page.evaluate(() => window.getSelection().removeAllRanges());
    await clickGrid(page, 30, 16); // empty canvas: focuses it
    await page.keyboard.press('Control+A');
    const { sel, all, text } = await page.evaluate(() => {
      const d = window.__simcore.docStore.doc();
      return { sel: window.__simcore.editor.get().selection.length, all: Object.keys(d.elements).length + Object.keys(d.wires).length, text: window.getSelection().toString() };
    });
    assert.equal(sel, all);
    assert.equal(text, '', 'the page text got selected');
    await clickGrid(page, 30, 16);
    assert.equal(await page.evaluate(() => window.__simcore.editor.get().selection.length), 0);
    await page.keyboard.press('Meta+A');
    assert.equal(await page.evaluate(() => window.__simcore.editor.get().selection.length), all);
    await page.keyboard.press('r');
    const after = cards(await netlistText(page));
    assert.deepEqual(after, before);
    assert.doesNotMatch(await page.locator('body').innerText(), /unconnected pins|shorted/);
    const status = await runToEnd(page, () => page.click('[data-testid=run-button]'));
    assert.match(status, /^done/);
    assert.ok(Math.abs((await valueAt(page, 'v(out)', 2e-3)) - v0) < 1e-9);
    const rots = await page.evaluate(() => Object.values(window.__simcore.docStore.doc().elements).map((e) => `${e.name}:${e.rot}`));
    assert.ok(rots.includes('R1:2') && rots.includes('C1:1'), rots.join());
    await page.screenshot({ path: `${OUT}e2e-group-rotated.png` });
    await page.close();
  });

  it('a new net label has a fresh name; one that shorts a part is warned about', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    await page.click('[data-testid=palette-label]');
    await clickGrid(page, 6, 4); // on the V1-R1 wire
    await page.keyboard.press('Escape');
    const labels = await page.evaluate(() => Object.values(window.__simcore.docStore.doc().elements).filter((e) => e.kind === 'label').map((e) => e.props.net));
    assert.deepEqual(labels.sort(), ['net1', 'out']);
    assert.match(await netlistText(page), /^R1 (net1 out|out net1) 1k$/m);
    assert.doesNotMatch(await page.locator('body').innerText(), /shorted/);
    // Renamed to an existing net's name: R1 is shorted, and the user is told.
    await page.click('[data-testid=tool-select]');
    await clickGrid(page, 7, 4);
    await page.fill('[data-testid=prop-net]', 'out');
    assert.match(await netlistText(page), /^R1 out out 1k$/m);
    await page.waitForSelector('text=R1 is shorted');
    await page.close();
  });

  it('stale state: New clears plot and name; a pasted netlist is named by its title; a failed run says what failed', async () => {
    const page = await openApp();
    await loadExample(page, 'buck');
    assert.equal(await fileName(page), 'Buck converter');
    await page.click('[data-testid=new-doc]');
    assert.equal(await fileName(page), 'untitled');
    assert.equal(await page.locator('[data-testid=plot] .chart').count(), 0);
    assert.equal(await page.locator('[data-testid=plot]').getAttribute('data-points'), '0');
    assert.match(await page.locator('[data-testid=plot]').innerText(), /No results yet/);
    await pasteNetlist(page, ['pasted divider', 'V1 in 0 DC 1', 'R1 in out 1k', 'R2 out 0 1k', '.op', '.end', ''].join('\n'));
    assert.equal(await fileName(page), 'pasted divider');
    const status = await pasteNetlist(page, ['broken divider', 'V1 in 0 DC 1', 'R1 in out 4k7', 'R2 out 0 1k', '.op', '.end', ''].join('\n'));
    assert.match(status, /error/);
    assert.equal(await fileName(page), 'broken divider');
    const err = await page.locator('[data-testid=plot-error]').innerText();
    assert.match(err, /failed \(line 3\)/);
    assert.doesNotMatch(await page.locator('[data-testid=plot]').innerText(), /No results yet/);
    await page.close();
  });

  it('Tab leaves the netlist editor and never flips the app into netlist mode; opted in, Tab indents and Esc, Tab leaves', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    const text0 = await netlistText(page);
    await page.click('[data-testid=netlist-editor] .cm-content');
    await page.keyboard.press('Tab');
    const inEditor = () => page.evaluate(() => !!document.activeElement?.closest('.cm-editor'));
    assert.equal(await inEditor(), false);
    assert.equal(await netlistText(page), text0);
    assert.equal(await page.evaluate(() => window.__simcore.workspace.get().source), 'schematic');
    await page.check('[data-testid=tab-indents]');
    await page.click('[data-testid=netlist-editor] .cm-line >> nth=2');
    await page.keyboard.press('Home');
    await page.keyboard.press('Tab');
    assert.equal(await inEditor(), true);
    assert.notEqual(await netlistText(page), text0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.equal(await inEditor(), false);
    await page.uncheck('[data-testid=tab-indents]');
    await page.close();
  });

  it('zoomed plots: x tick labels do not overlap (transient) nor vanish (Bode, log axis)', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    const zoomAndCheck = async (times) => {
      const chart = page.locator('[data-testid=plot] .chart').first();
      const box = await chart.boundingBox();
      await page.mouse.move(box.x + box.width * 0.47, box.y + box.height * 0.4);
      for (let i = 0; i < times; i++) await page.mouse.wheel(0, -600);
      await page.waitForTimeout(150);
      const { ticks, widths } = await chart.evaluate((c) => {
        const ticks = JSON.parse(c.getAttribute('data-xticks'));
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
        return { ticks, widths: ticks.map((t) => ctx.measureText(t.label).width) };
      });
      assert.ok(ticks.length >= 2, JSON.stringify(ticks));
      const labels = ticks.map((t) => t.label);
      assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
      for (let i = 1; i < ticks.length; i++) {
        const gap = ticks[i].px - ticks[i - 1].px;
        assert.ok(gap > (widths[i] + widths[i - 1]) / 2 + 2, `labels ${labels[i - 1]} and ${labels[i]} overlap (${gap} px apart)`);
      }
      return labels;
    };
    await zoomAndCheck(14);
    await page.screenshot({ path: `${OUT}e2e-zoomed-axis.png` });
    await page.click('[data-testid=analysis-ac]');
    await runToEnd(page, () => page.click('[data-testid=run-button]'));
    await page.waitForSelector('[data-testid=plot] .chart[data-xticks]');
    for (const times of [3, 3, 3]) await zoomAndCheck(times);
    await page.close();
  });
});

describe('issue 13: partly works, measurements', () => {
  it('volts and amps on their own y axes; the signal search finds a signal; math trace v·i in watts', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    await page.click('[data-testid=signal-picker]');
    await page.fill('[data-testid=signal-search]', 'out');
    await page.click('[data-testid=signal-option] >> text=v(out)');
    await page.click('[data-testid=signal-picker]');
    await page.fill('[data-testid=signal-search]', 'i(v1');
    assert.match(await page.locator('[data-testid=signal-count]').innerText(), /1 match/);
    await page.keyboard.press('Enter');
    const panes = await page.evaluate(() => window.__simcore.plots.get().panes);
    assert.deepEqual(panes, [['v(out)', 'i(v1)']]);
    const chart = page.locator('[data-testid=plot] .chart').first();
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=plot] .chart')?.getAttribute('data-yranges') ?? '[]').length === 2);
    const ranges = JSON.parse(await chart.getAttribute('data-yranges'));
    assert.deepEqual(ranges.map((r) => r.unit), ['V', 'A']);
    // The current (mA) has its own scale, not the volts' one.
    assert.ok(ranges[1].max < 0.01 && ranges[0].max > 0.9, JSON.stringify(ranges));
    assert.equal(await chart.locator('.u-axis').count(), 3);
    // Math trace: power delivered by V1 = v(out) * i(v1) is not physical, use the same names.
    await page.click('[data-testid=signal-picker]');
    await page.selectOption('[data-testid=math-op]', 'mul');
    await page.fill('[data-testid=math-a]', 'v(out)');
    await page.fill('[data-testid=math-b]', 'i(v1)');
    await page.click('[data-testid=math-add]');
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=plot] .chart')?.getAttribute('data-yranges') ?? '[]').length === 3);
    assert.deepEqual(JSON.parse(await chart.getAttribute('data-yranges')).map((r) => r.unit), ['V', 'A', 'W']);
    await page.screenshot({ path: `${OUT}e2e-axes-math.png` });
    await page.close();
  });

  it('measurements: buck v(out) mean over the last period, between dragged cursors, THD and FFT', async () => {
    const page = await openApp();
    await loadExample(page, 'buck');
    await page.waitForSelector('[data-testid=measurements]');
    await page.selectOption('[data-testid=measure-trace]', 'v(out)');
    assert.match(await page.locator('[data-testid=measure-window]').innerText(), /last period|whole run/);
    const mean = Number(await page.locator('[data-testid=measure-values]').getAttribute('data-mean'));
    const exact = await page.evaluate(() => {
      const s = window.__simcore.series('v(out)', 'tran');
      return s.y[s.y.length - 1];
    });
    assert.ok(Math.abs(mean - exact) < 0.05 * Math.abs(exact), `mean ${mean}, last value ${exact}`);
    // Cursors A and B by clicks, then drag A.
    const chart = page.locator('[data-testid=plot] .chart .u-over').first();
    const b = await chart.boundingBox();
    await page.mouse.click(b.x + b.width * 0.5, b.y + b.height / 2);
    await page.mouse.click(b.x + b.width * 0.9, b.y + b.height / 2);
    assert.match(await page.locator('[data-testid=measure-window]').innerText(), /between A and B/);
    const w0 = await page.locator('[data-testid=measure-window]').innerText();
    const ticks0 = await page.locator('[data-testid=plot] .chart').first().getAttribute('data-xticks');
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width * 0.7, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    const w1 = await page.locator('[data-testid=measure-window]').innerText();
    assert.notEqual(w1, w0);
    // Dragging a cursor line does not zoom.
    assert.equal(await page.locator('[data-testid=plot] .chart').first().getAttribute('data-xticks'), ticks0);
    const stats = await page.locator('[data-testid=measure-values]').evaluate((e) => ({ min: Number(e.dataset.min), max: Number(e.dataset.max), pp: Number(e.dataset.pp) }));
    assert.ok(Math.abs(stats.max - stats.min - stats.pp) < 1e-12);
    await page.click('[data-testid=fft-toggle]');
    await page.waitForSelector('[data-testid=fft-chart] .chart');
    assert.ok(Number(await page.locator('[data-testid=fft-chart] .chart').getAttribute('data-points')) > 2);
    await page.screenshot({ path: `${OUT}e2e-measure.png` });
    // Efficiency: P_out = v(out)·i(vil) (the inductor current into the output), P_in = v(vin)·i(vin).
    for (const [x, y] of [
      ['v(out)', 'i(vil)'],
      ['v(vin)', 'i(vin)'],
    ]) {
      await page.click('[data-testid=signal-picker]');
      await page.selectOption('[data-testid=math-op]', 'mul');
      await page.fill('[data-testid=math-a]', x);
      await page.fill('[data-testid=math-b]', y);
      await page.click('[data-testid=math-add]');
    }
    await page.click('text=clear A/B');
    await page.selectOption('[data-testid=eff-out]', 'v(out)*i(vil)');
    await page.selectOption('[data-testid=eff-in]', 'v(vin)*i(vin)');
    const eta = Number(await page.locator('[data-testid=efficiency]').getAttribute('data-eta'));
    assert.ok(eta > 0.75 && eta < 1, `efficiency ${eta}`);
    await page.close();
  });

  it('THD of a sine with a 10 % third harmonic; Alt+wheel zooms y, fit restores it', async () => {
    const page = await openApp();
    const status = await pasteNetlist(page, ['thd check', 'V1 a b SIN(0 1 50)', 'V2 b 0 SIN(0 0.1 150)', 'R1 a 0 1k', '.tran 20u 100m', '.end', ''].join('\n'));
    assert.match(status, /^done/, status);
    await page.selectOption('[data-testid=measure-trace]', 'v(a)');
    const thd = Number(await page.locator('[data-testid=measure-thd]').getAttribute('data-thd'));
    const f0 = Number(await page.locator('[data-testid=measure-thd]').getAttribute('data-f0'));
    assert.ok(Math.abs(thd - 0.1) < 0.002, `THD ${thd}`);
    assert.ok(Math.abs(f0 - 50) < 0.5, `f0 ${f0}`);
    // Over the last period: mean 0, RMS sqrt((1 + 0.01) / 2).
    const m = await page.locator('[data-testid=measure-values]').evaluate((e) => ({ mean: Number(e.dataset.mean), rms: Number(e.dataset.rms) }));
    assert.match(await page.locator('[data-testid=measure-window]').innerText(), /last period/);
    assert.ok(Math.abs(m.mean) < 2e-3 && Math.abs(m.rms - Math.sqrt(1.01 / 2)) < 2e-3, JSON.stringify(m));
    // y zoom: Alt+wheel over the chart, then fit.
    const chart = page.locator('[data-testid=plot] .chart').first();
    const y0 = JSON.parse(await chart.getAttribute('data-yranges'))[0];
    const box = await chart.locator('.u-over').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Alt');
    await page.mouse.wheel(0, -400);
    await page.keyboard.up('Alt');
    await page.waitForFunction(() => document.querySelector('[data-testid=plot] .chart')?.getAttribute('data-yzoom') === '1');
    const y1 = JSON.parse(await chart.getAttribute('data-yranges'))[0];
    assert.ok(y1.max - y1.min < 0.7 * (y0.max - y0.min), `${JSON.stringify(y0)} -> ${JSON.stringify(y1)}`);
    await page.click('[data-testid=zoom-fit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=plot] .chart')?.getAttribute('data-yzoom') === '0');
    const y2 = JSON.parse(await chart.getAttribute('data-yranges'))[0];
    assert.ok(Math.abs(y2.max - y0.max) < 1e-9 && Math.abs(y2.min - y0.min) < 1e-9, `${JSON.stringify(y0)} vs ${JSON.stringify(y2)}`);
    await page.close();
  });

  it('a duty-cycle slider stays in [0, 1] and keeps its range after release', async () => {
    const page = await openApp();
    await loadExample(page, 'buck');
    const slider = page.locator('[data-testid=slider-duty]');
    await slider.focus();
    await runToEnd(page, () => page.keyboard.press('End'));
    await page.waitForFunction(() => /duty=1\b/.test(window.__simcore.workspace.get().netlist));
    assert.match(await page.evaluate(() => window.__simcore.workspace.get().netlist), /duty=1\b/);
    // Released at the top: the range did not move, Home goes back to 0.
    await page.keyboard.press('Home');
    await page.waitForFunction(() => /duty=0(\s|$)/m.test(window.__simcore.workspace.get().netlist));
    await page.close();
  });

  it('changing a value re-runs the simulation by itself', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    await page.click('[data-testid=tool-select]');
    await clickGrid(page, 10, 4);
    const status = await runToEnd(page, () => page.fill('[data-testid=prop-value]', '2k'));
    assert.match(status, /^done/);
    const v = await valueAt(page, 'v(out)', 2e-3);
    assert.ok(Math.abs(v - (1 - Math.exp(-1))) < 0.01, `v(out) at tau = ${v}`);
    await page.close();
  });
});

describe('issue 13: schematic editing basics', () => {
  const gridPx = async (page, gx, gy) => {
    const box = await page.locator('[data-testid=schematic-canvas]').boundingBox();
    return { x: box.x + 40 + gx * 20, y: box.y + 40 + gy * 20 };
  };
  const names = (page) => page.evaluate(() => Object.values(window.__simcore.docStore.doc().elements).map((e) => e.name).sort());
  const selectedNames = (page) =>
    page.evaluate(() => {
      const d = window.__simcore.docStore.doc();
      return window.__simcore.editor.get().selection.map((id) => d.elements[id]?.name ?? 'wire').sort();
    });

  it('box selection, copy and paste, context menu (rotate, delete, zoom to fit)', async () => {
    const page = await openApp();
    await loadExample(page, 'rc-schematic');
    await page.click('[data-testid=tool-select]');
    // Drag a box around R1 and C1 (R1: x 8..12 at y 4; C1: x 16, y 6..10) with the wire between them.
    const a = await gridPx(page, 7, 2);
    const b = await gridPx(page, 17, 11);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    assert.equal(await page.locator('[data-testid=marquee]').count(), 1);
    await page.mouse.up();
    assert.equal(await page.locator('[data-testid=marquee]').count(), 0);
    const sel = await selectedNames(page);
    assert.ok(sel.includes('R1') && sel.includes('C1') && !sel.includes('V1'), sel.join());
    // Copy, paste: two new parts, named R2 and C2, selected, wired to each other.
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    assert.deepEqual(await names(page), ['C1', 'C2', 'GND1', 'LBL1', 'R1', 'R2', 'V1']);
    const pasted = await selectedNames(page);
    assert.ok(pasted.includes('R2') && pasted.includes('C2'), pasted.join());
    const nl = await netlistText(page);
    const r2 = /^R2 (\S+) (\S+) 1k$/m.exec(nl);
    const c2 = /^C2 (\S+) (\S+) 1u$/m.exec(nl);
    assert.ok(r2 && c2, nl);
    // The copied wire came along (C1's lead inside the box): selected with the parts.
    assert.equal(pasted.filter((n) => n === 'wire').length, sel.filter((n) => n === 'wire').length);
    // Context menu on the pasted R2 (pasted 2 grid right and down of R1): delete it.
    const r2at = await gridPx(page, 10 + 2, 4 + 2);
    await page.mouse.click(r2at.x, r2at.y, { button: 'right' });
    await page.waitForSelector('[data-testid=context-menu]');
    assert.match(await page.locator('[data-testid=context-menu]').innerText(), /Probe current/);
    await page.click('[data-testid=menu-remove]');
    assert.ok(!(await names(page)).includes('R2'));
    // Context menu on R1: rotate (about its origin, wires follow).
    const r1at = await gridPx(page, 10, 4);
    await page.mouse.click(r1at.x, r1at.y, { button: 'right' });
    await page.click('[data-testid=menu-rotate]');
    assert.equal(await page.evaluate(() => Object.values(window.__simcore.docStore.doc().elements).find((e) => e.name === 'R1').rot), 2);
    // Menu on the background: zoom to fit changes the view; Escape closes the menu.
    const empty = await gridPx(page, 40, 14);
    await page.mouse.click(empty.x, empty.y, { button: 'right' });
    const v0 = await page.evaluate(() => window.__simcore.editor.get().view);
    await page.click('[data-testid=menu-fit]');
    const v1 = await page.evaluate(() => window.__simcore.editor.get().view);
    assert.notDeepEqual(v1, v0);
    await page.mouse.click(empty.x, empty.y, { button: 'right' });
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid=context-menu]').count(), 0);
    // From the keyboard: Shift+F10 on the focused canvas opens the menu at the selection,
    // the arrows move between items, Escape closes it and gives the canvas its focus back.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Shift+F10');
    await page.waitForSelector('[data-testid=context-menu]');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    assert.equal(await focused(), 'menu-rotate');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'menu-mirror');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('[data-testid=context-menu]').count(), 0);
    assert.equal(await focused(), 'schematic-canvas');
    await page.screenshot({ path: `${OUT}e2e-editing.png` });
    await page.close();
  });
});
