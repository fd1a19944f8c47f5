// Measures, for every example of the gallery, the time from clicking Run to
// the first plotted point (and to the end of the run), in Debian's chromium
// against the production build. Usage: node e2e/first-point.mjs (after make web)
import { launch, serveDist, waitForRunEnd } from './lib.mjs';

const { server, url } = await serveDist();
const browser = await launch();
const page = await browser.context.newPage();
await page.goto(url);
await page.waitForSelector('[data-testid=run-button]');
await page.click('[data-testid=examples-button]');
const ids = await page.$$eval('[data-testid^=example-]', (els) =>
  els.map((e) => e.getAttribute('data-testid').slice('example-'.length)).filter((id) => id !== 'button'),
);
const rows = [];
for (const id of ids) {
  const sel = `[data-testid=example-${id}]`;
  if (!(await page.isVisible(sel))) await page.click('[data-testid=examples-button]');
  await page.click(sel);
  await waitForRunEnd(page, 120_000);  // the example runs once on load (compiles, warms up)
  const r = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const drawnNow = () =>
          Math.max(0, ...[...document.querySelectorAll('[data-testid=plot] .chart')].map((c) => Number(c.getAttribute('data-points') || 0)));
        const status = () => document.querySelector('[data-testid=status]')?.getAttribute('data-state');
        let reset = false;
        let first = null;
        const t0 = performance.now();
        const tick = () => {
          const d = drawnNow();
          const s = status();
          if (s === 'running' || d === 0) reset = true;
          if (reset && first === null && d > 0) first = performance.now() - t0;
          if (reset && s !== 'running' && d > 0) return resolve({ first: first ?? performance.now() - t0, end: performance.now() - t0, status: s });
          if (performance.now() - t0 > 120000) return resolve({ first, end: null, status: s });
          requestAnimationFrame(tick);
        };
        document.querySelector('[data-testid=run-button]').click();
        requestAnimationFrame(tick);
      }),
  );
  rows.push({ id, ...r });
  console.log(`${id.padEnd(22)} first point ${r.first?.toFixed(0).padStart(6)} ms   run end ${r.end?.toFixed(0).padStart(6)} ms   (${r.status})`);
}
await browser.close();
server.close();
