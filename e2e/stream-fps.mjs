// Frame rate of the page while a long local transient streams into the plot: the buck
// converter example over 20 ms (10x its gallery length, ~480k points), local wasm engine,
// headless chromium. Reports frames per second during the run and the longest frame.
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
} finally {
  await browser.close();
  server.close();
}
