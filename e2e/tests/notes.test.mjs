// .meas results and engine warnings of a run shown under the plot (run notes), in real Chromium
// with the wasm engine: a pasted netlist with .meas cards and an option the engine ignores.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUT, staticApp, waitForRunEnd, pasteNetlist } from '../lib.mjs';

const env = staticApp();

describe('run notes', () => {
  it('a pasted netlist with .meas cards shows their values, a failed one with its reason, and the warning', async () => {
    const page = await env.browser.context.newPage();
    await page.goto(env.url);
    await page.waitForSelector('[data-testid=run-button]');
    const text = [
      'rc with measurements',
      '.options acct',
      'V1 in 0 PULSE(0 1 0 1n 1n 1 2)',
      'R1 in out 1k',
      'C1 out 0 1u',
      '.tran 10u 5m',
      '.meas tran trise TRIG v(out) VAL=0.1 RISE=1 TARG v(out) VAL=0.9 RISE=1',
      '.meas tran never WHEN v(out)=2',
      '.end',
      '',
    ].join('\n');
    await pasteNetlist(page, text);
    assert.match(await waitForRunEnd(page), /^done/);
    const notes = page.locator('[data-testid=run-notes]');
    await notes.waitFor();
    const items = await notes.locator('li').evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), text: e.textContent })));
    const trise = items.find((i) => i.text.startsWith('trise = '));
    assert.ok(trise && trise.kind === 'measure', JSON.stringify(items));
    const v = Number(trise.text.slice('trise = '.length));
    assert.ok(Math.abs(v - 1e-3 * Math.log(9)) < 2e-5, `10-90 % rise of the RC step: ${v} s, tau ln 9 expected`);
    assert.ok(items.some((i) => i.kind === 'measure-failed' && i.text.startsWith('never: not measured')), JSON.stringify(items));
    assert.ok(items.some((i) => i.kind === 'warning' && /line 2: .*acct/.test(i.text)), JSON.stringify(items));
    await page.screenshot({ path: `${OUT}e2e-run-notes.png` });
    await page.close();
  });
});
