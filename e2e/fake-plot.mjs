// Visual check of the plot panel without the engine: injects fake results into the page (not a test).
import { launch, serveDist, OUT } from './lib.mjs';
const { server, url } = await serveDist();
const { context, close } = await launch();
const page = await context.newPage();
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForSelector('[data-testid=run-button]');
await page.evaluate((kind) => {
  const n = 400;
  const mk = (analysis, complex, names, fx, fy) => {
    const x = new Float64Array(n), re = names.map(() => new Float64Array(n)), im = complex ? names.map(() => new Float64Array(n)) : [];
    for (let i = 0; i < n; i++) { x[i] = fx(i); names.forEach((_, s) => { const v = fy(x[i], s); re[s][i] = v[0]; if (complex) im[s][i] = v[1]; }); }
    return { index: 0, analysis, xName: analysis === 'ac' ? 'frequency' : 'time', complex, signals: names.map((name) => ({ name, kind: 'voltage' })), rows: n, ended: true, x, re, im };
  };
  const a = kind === 'ac'
    ? mk('ac', true, ['v(out)'], (i) => 10 ** (0 + (5 * i) / (n - 1)), (f) => { const w = f / 159.15; return [1 / (1 + w * w), -w / (1 + w * w)]; })
    : mk('tran', false, ['v(n1)', 'v(out)'], (i) => (i / (n - 1)) * 10e-3, (t, s) => [s === 0 ? 1 : 1 - Math.exp(-t / 1e-3)]);
  const results = { analyses: [a], version: 1, list: [a], find: (k) => (a.analysis === k ? a : undefined) };
  const sim = window.__simcore.sim;
  sim.state.set({ ...sim.state.get(), status: 'done', runId: 99, results, dataVersion: 1, stats: { acceptedPoints: n, rejectedSteps: 0, newtonIterations: n, factorizations: 1, refactorizations: 0, unknowns: 3, seconds: 0.002 }, origin: 'schematic', elapsedMs: 12 });
}, process.argv[2] ?? 'tran');
await page.waitForTimeout(400);
const box = await page.locator('[data-testid=plot] .u-over').first().boundingBox();
if (box) {
  await page.mouse.click(box.x + box.width * 0.1, box.y + 40);
  await page.mouse.click(box.x + box.width * 0.5, box.y + 40);
}
await page.waitForTimeout(200);
await page.screenshot({ path: `${OUT}fake-plot-${process.argv[2] ?? 'tran'}.png` });
await close();
server.close();
