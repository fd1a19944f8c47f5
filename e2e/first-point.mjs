// Measures, for every example of the gallery, the time from clicking Run to
// the first result on screen and to the end of the run, in Debian's chromium
// against the production build (local wasm engine, static server).
// Usage: node e2e/first-point.mjs (after make web)
//
// Each example is opened once (that run compiles and warms up), then Run is
// clicked inside the page and timed with performance.now():
//   first shown   first animation frame in which the plot pane shows this run's
//                 data: a chart with data-points > 0 (transient, DC, AC tab), or
//                 the operating-point table (op tab, data-points > 0 on the pane).
//                 Labelled by the analysis of the tab shown first: for a
//                 transient tab it is the first plotted point; for op/dc/ac it
//                 is "first result rendered" (those analyses arrive in one piece).
//   run done      the run's handle resolved (window.__simcore.sim.engine.run is
//                 wrapped through the debug hook to see it).
// A run only counts once the controller's runId changed and its own events
// arrived, so stale charts of the previous run are never taken for new ones
// (the old script waited for a "reset" frame that a fast run never shows, and
// op-first examples have no chart at all: each burned the 120 s in-page limit,
// ~10 minutes in all, so an outer 600 s time limit killed chromium on the last
// example: "Target page, context or browser has been closed").
import { launch, serveDist, waitForRunEnd } from './lib.mjs';

const RUN_TIMEOUT = 120_000;
const { server, url } = await serveDist();
const browser = await launch();
const rows = [];
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid=run-button]');
  await waitForRunEnd(page);
  // Wrap the engine's run() once: each run records when its events arrived and when it ended.
  await page.evaluate(() => {
    const eng = window.__simcore.sim.engine;
    const run = eng.run;
    eng.run = function (netlist, options, onEvent) {
      const rec = (window.__simcoreRun = { start: performance.now(), firstData: null, doneAt: null });
      const h = run.call(this, netlist, options, (ev) => {
        if (ev.type === 'chunk') rec.firstData ??= performance.now();
        onEvent(ev);
      });
      h.done.then(() => (rec.doneAt = performance.now()));
      return h;
    };
  });
  await page.click('[data-testid=examples-button]');
  const ids = await page.$$eval('[data-testid^=example-]', (els) =>
    els.map((e) => e.getAttribute('data-testid').slice('example-'.length)).filter((id) => id !== 'button'),
  );
  for (const id of ids) {
    const sel = `[data-testid=example-${id}]`;
    if (!(await page.isVisible(sel))) await page.click('[data-testid=examples-button]');
    await page.click(sel);
    await waitForRunEnd(page, RUN_TIMEOUT); // the example runs once on load (compiles, warms up)
    const r = await page.evaluate(
      (timeout) =>
        new Promise((resolve) => {
          const { sim } = window.__simcore;
          const before = sim.state.get().runId;
          const pane = () => document.querySelector('[data-testid=plot]');
          const shown = () => {
            const charts = [...document.querySelectorAll('[data-testid=plot] .chart')];
            if (charts.length) return charts.some((c) => Number(c.getAttribute('data-points') || 0) > 0);
            return pane()?.getAttribute('data-analysis') === 'op' && Number(pane().getAttribute('data-points') || 0) > 0;
          };
          let first = null;
          let analysis = '';
          const t0 = performance.now();
          const tick = () => {
            const now = performance.now();
            const rec = window.__simcoreRun;
            const ours = sim.state.get().runId !== before && rec && rec.start >= t0;
            if (ours && first === null && rec.firstData !== null && shown()) {
              first = now - t0;
              analysis = pane()?.getAttribute('data-analysis') ?? '';
            }
            const status = sim.state.get().status;
            if (ours && rec.doneAt !== null && (first !== null || status !== 'done'))
              return resolve({ first, done: rec.doneAt - t0, analysis, status });
            if (now - t0 > timeout) return resolve({ first, done: null, analysis, status: `${status}, timed out` });
            requestAnimationFrame(tick);
          };
          document.querySelector('[data-testid=run-button]').click();
          requestAnimationFrame(tick);
        }),
      RUN_TIMEOUT,
    );
    const what = !r.analysis ? '–' : r.analysis === 'tran' ? 'first point (tran)' : `first result rendered (${r.analysis})`;
    rows.push({ id, what, ...r });
    console.error(`${id}: ${what} ${r.first?.toFixed(0)} ms, run done ${r.done?.toFixed(0)} ms (${r.status})`);
  }
  await page.close();
} finally {
  await browser.close();
  server.close();
}

const ms = (x) => (x == null ? '–' : x.toFixed(0));
console.log('\nLocal (wasm) engine, headless chromium, one timed run after the loading run; ms from the Run click.\n');
console.log('| example | tab shown first: measurement | first shown (ms) | run done (ms) | status |');
console.log('|---|---|---:|---:|---|');
for (const r of rows) console.log(`| ${r.id} | ${r.what} | ${ms(r.first)} | ${ms(r.done)} | ${r.status} |`);
