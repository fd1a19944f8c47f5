// A CIDER numerical device (docs/cider.md) in the browser's own engine: a
// netlist with a one-dimensional numerical diode pasted into the editor runs
// in WebAssembly, and its reverse recovery is the native engine's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runToEnd, staticApp, pasteNetlist } from '../lib.mjs';

const env = staticApp();

const NETLIST = [
  'numerical diode reverse recovery',
  'vpp 1 0 0.7v (PWL 0ns 3.0v 0.1ns 3.0v 0.11ns -6.0v)',
  'r1 1 3 1k',
  'd1 3 0 m_pn area=100',
  '.model m_pn numd level=1',
  '+ options defa=1p',
  '+ x.mesh loc=0.0 n=1',
  '+ x.mesh loc=1.3 n=101',
  '+ domain num=1 material=1',
  '+ material num=1 silicon',
  '+ doping gauss p.type conc=3e20 x.l=0.0 x.h=0.0 char.l=0.100',
  '+ doping unif n.type conc=1e16 x.l=0.0 x.h=1.3',
  '+ doping gauss n.type conc=5e19 x.l=1.3 x.h=1.3 char.l=0.100',
  '+ models bgn srh auger conctau concmob fieldmob',
  '.tran 1p 0.6n',
  '.end',
  '',
].join('\n');

describe('CIDER in the browser', () => {
  it('a numerical diode recovers: forward ~2.2 mA, then a reverse current held by its stored charge', async () => {
    const page = await env.browser.context.newPage();
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    await page.goto(env.url);
    await page.waitForSelector('[data-testid=run-button]');
    await page.waitForSelector('[data-testid=engine-mode][data-engine=local]');
    const status = await runToEnd(page, () => pasteNetlist(page, NETLIST));
    assert.match(status, /^done/, status);
    const at = (t) => page.evaluate(([s, x]) => window.__simcore.valueAt(s, x, 'tran'), ['v(3)', t]);
    // forward: the diode's drop (~0.8 V) with (3 - 0.8) / 1k through it
    const vf = await at(0.09e-9);
    assert.ok(vf > 0.7 && vf < 0.95, `forward drop ${vf}`);
    // after the step to -6 V the stored charge holds the junction forward for a while
    const vs = await at(0.2e-9);
    assert.ok(vs > 0.5, `storage phase v(3) = ${vs}`);
    // and then it blocks: v(3) follows the source to -6 V
    const vr = await at(0.6e-9);
    assert.ok(vr < -5.5, `blocking v(3) = ${vr}`);
    await page.close();
  });
});
