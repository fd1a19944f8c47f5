// The plot panel's SVG export in real Chromium: the file downloaded is a valid SVG document
// (DOMParser), has one path per trace, axes with units and a legend, and renders (drawn onto a
// canvas through an <img>, the trace colour is on it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { OUT, runToEnd, staticApp, waitForRunEnd } from '../lib.mjs';

const env = staticApp();

async function exportSvg(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-svg]')]);
  assert.match(download.suggestedFilename(), /\.svg$/);
  return readFileSync(await download.path(), 'utf8');
}

/** Parse and render the SVG in the page: structure, and the fraction of pixels of each trace colour. */
async function inspect(page, svg) {
  return page.evaluate(async (text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const err = doc.querySelector('parsererror');
    const paths = [...doc.querySelectorAll('path')].map((p) => ({ label: p.getAttribute('data-label'), color: p.getAttribute('stroke'), len: p.getAttribute('d').length }));
    const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
    const img = new Image();
    img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const hex = (i) => '#' + [px[i], px[i + 1], px[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
    const counts = {};
    for (let i = 0; i < px.length; i += 4) counts[hex(i)] = (counts[hex(i)] ?? 0) + 1;
    const coloured = Object.fromEntries(paths.map((p) => [p.color, counts[p.color.toLowerCase()] ?? 0]));
    return { error: err ? err.textContent : '', paths, texts, width: img.width, height: img.height, coloured };
  }, svg);
}

describe('SVG export of the plots', () => {
  it('a transient: one path per trace, time axis with its unit, volts axis, legend; it renders', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.url);
    // the page opens on its own example and runs it: choose another once that has settled
    // (an example chosen first can be replaced by the page's own when it loads: no AC tab then)
    await waitForRunEnd(page);
    await page.click('[data-testid=examples-button]');
    // (the example's own run, not one that ended before the click: a stale 'done' raced the AC tab)
    assert.match(await runToEnd(page, () => page.click('[data-testid=example-rc]')), /^done/);
    await page.click('[data-testid=plot-tab-tran]');
    const svg = await exportSvg(page);
    writeFileSync(`${OUT}export-tran.svg`, svg);
    const r = await inspect(page, svg);
    assert.equal(r.error, '', r.error);
    assert.ok(r.paths.length >= 2, JSON.stringify(r.paths));
    for (const p of r.paths) {
      assert.ok(p.len > 50, `${p.label}: ${p.len} chars of path`);
      assert.ok(r.texts.includes(p.label), `${p.label} in the legend`);
      assert.ok(r.coloured[p.color] > 100, `${p.label} drawn in ${p.color}: ${r.coloured[p.color]} px`);
    }
    assert.ok(r.texts.includes('time (s)'), r.texts.join('|'));
    assert.ok(r.texts.includes('V'), 'the volts axis is labelled');
    assert.ok(r.texts.some((t) => /ms$/.test(t)), 'time ticks in ms');
    await page.close();
  });

  it('an AC run: magnitude and phase charts on a log frequency axis', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.url);
    // the page opens on its own example and runs it: choose another once that has settled
    // (an example chosen first can be replaced by the page's own when it loads: no AC tab then)
    await waitForRunEnd(page);
    await page.click('[data-testid=examples-button]');
    // (the example's own run, not one that ended before the click: a stale 'done' raced the AC tab)
    assert.match(await runToEnd(page, () => page.click('[data-testid=example-rc]')), /^done/);
    await page.click('[data-testid=plot-tab-ac]');
    const svg = await exportSvg(page);
    writeFileSync(`${OUT}export-ac.svg`, svg);
    const r = await inspect(page, svg);
    assert.equal(r.error, '');
    assert.equal(r.texts.filter((t) => t === 'frequency (Hz)').length, 2, 'two charts share the log frequency axis');
    assert.ok(r.texts.includes('1 kHz') && r.texts.includes('dB'), r.texts.join('|'));
    assert.ok(r.paths.some((p) => p.label.startsWith('|')) && r.paths.some((p) => p.label.startsWith('∠')), JSON.stringify(r.paths));
    await page.close();
  });
});
