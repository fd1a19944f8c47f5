// Frame rate of the page while a long local transient streams into the plot: the buck
// converter example over 20 ms (10x its gallery length, ~480k points), local wasm engine,
// headless chromium. Reports frames per second during the run and the longest frame.
// Then the same for the buck schematic (SPICE mode, 20 ms) run from the schematic with the
// live values on the schematic (voltage colours and current dots) on, and with them off.
// Usage: node e2e/stream-fps.mjs (after make web)
import { readFileSync } from 'node:fs';
import { launch, serveDist, waitForRunEnd } from './lib.mjs';

const buck = readFileSync(new URL('../web/src/features/examples/circuits/buck_converter.cir', import.meta.url), 'utf8').replace(/^\.tran .*$/m, '.tran 50n 20m');
const { server, url } = await serveDist();
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=engine-mode][data-engine=local]');
  await waitForRunEnd(page);
  const r = await page.evaluate(async (netlist) => {
    const { sim } = window.__simcore;
    const frames = [];
    let on = true;
    const tick = (t) => {
      frames.push(t);
      if (on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    const s = await sim.run(netlist, {}, { origin: 'netlist' });
    const t1 = performance.now();
    on = false;
    const inRun = frames.filter((t) => t >= t0 && t <= t1);
    let worst = 0;
    for (let i = 1; i < inRun.length; i++) worst = Math.max(worst, inRun[i] - inRun[i - 1]);
    return { ms: t1 - t0, frames: inRun.length, worst, status: s.status, points: s.results.list[0]?.rows ?? 0 };
  }, buck);
  console.log(`\nbuck over 20 ms streamed locally: ${r.points} points in ${r.ms.toFixed(0)} ms (${r.status}); ${((r.frames * 1000) / r.ms).toFixed(1)} frames/s during the run, longest frame ${r.worst.toFixed(0)} ms`);

  // The schematic with live values: open the buck schematic, make its run long, run it from the app.
  await page.click('[data-testid=examples-button]');
  await page.click('[data-testid=example-buck-schematic]');
  await waitForRunEnd(page);
  for (const live of [true, false]) {
    if ((await page.locator('[data-testid=live-toggle]').isChecked()) !== live) await page.click('[data-testid=live-toggle]');
    const q = await page.evaluate(async () => {
      const { sim, docStore } = window.__simcore;
      const frames = [];
      let dots = 0;
      let on = true;
      const tick = (t) => {
        frames.push(t);
        dots = Math.max(dots, document.querySelectorAll('[data-testid=live-dots]').length);
        if (on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const before = sim.state.get().runId;
      const t0 = performance.now();
      docStore.update((d) => ({ ...d, analysis: { ...d.analysis, switching: 'spice', tran: { ...d.analysis.tran, tstop: d.analysis.tran.tstop === '20m' ? '20.001m' : '20m' } } }));
      // The value edit re-runs the schematic by itself (350 ms later): time from its start.
      let start = null;
      await new Promise((resolve) => {
        const poll = () => {
          const s = sim.state.get();
          if (start === null && s.runId > before) start = performance.now();
          if (s.runId > before && s.status !== 'running') return resolve();
          setTimeout(poll, 5);
        };
        poll();
      });
      const t1 = performance.now();
      on = false;
      const inRun = frames.filter((t) => t >= start && t <= t1);
      let worst = 0;
      for (let i = 1; i < inRun.length; i++) worst = Math.max(worst, inRun[i] - inRun[i - 1]);
      const s = sim.state.get();
      return { ms: t1 - start, frames: inRun.length, worst, dots, status: s.status, points: s.results.list[0]?.rows ?? 0, wait: start - t0 };
    });
    console.log(
      `buck schematic over 20 ms (SPICE mode), live values ${live ? 'on ' : 'off'}: ${q.points} points in ${q.ms.toFixed(0)} ms (${q.status}); ${((q.frames * 1000) / q.ms).toFixed(1)} frames/s during the run, longest frame ${q.worst.toFixed(0)} ms, up to ${q.dots} dot runs drawn`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
