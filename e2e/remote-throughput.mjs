// Measurement (not a test, no thresholds): how fast results reach the page,
// remote (simcore serve over gRPC-Web) against local (wasm worker).
//
//   node e2e/remote-throughput.mjs [--rounds N]     (after make web and a build of build/bin/simcore)
//
// Starts `simcore serve` (lib.mjs startServer), opens the app from the URL it
// prints (token included), and for rc_ladder_1k, power_grid_50x50 (both from
// ../shared/circuits) and examples/buck_converter.cir, with the engine forced
// to remote and then to local: opens the netlist (that run is the warm-up),
// then clicks Run N times (default 3) and prints medians as a markdown table.
//
// All times are taken inside the page with performance.now(), from just
// before the Run click. The engine's run() is wrapped through the debug hook
// (window.__simcore.sim.engine) to see every event the controller gets:
//   first point  first animation frame in which a chart shows data (data-points > 0)
//   done         the run's handle resolved (the status line flips in the same task)
//   samples      rows x signals, summed over all chunks of all analyses
//   samples/s    samples / done
//   stream/s     samples / (last chunk - first chunk): the rate once data flows
//   handler ms   time spent in the app's event callback (ResultSet.apply, store)
//   engine ms    the run's own statistics (RunStats.seconds: server wall time / wasm run time)
// Environment: SIMCORE (server binary), SIMCORE_SHARED (circuits dir).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, REPO, runToEnd, startServer, waitForRunEnd } from './lib.mjs';

const args = process.argv.slice(2);
const ri = args.indexOf('--rounds');
const ROUNDS = ri >= 0 ? Math.max(1, Number(args[ri + 1]) || 3) : 3;
const SHARED = process.env.SIMCORE_SHARED ?? join(REPO, '../shared/circuits');
const CIRCUITS = [
  { name: 'rc_ladder_1k', path: join(SHARED, 'rc_ladder_1k.cir') },
  { name: 'power_grid_50x50', path: join(SHARED, 'power_grid_50x50.cir') },
  { name: 'buck_converter', path: join(REPO, 'examples/buck_converter.cir') },
];
const MODES = ['remote', 'local'];
const RUN_TIMEOUT = 600_000;

for (const c of CIRCUITS) if (!existsSync(c.path)) throw new Error(`missing ${c.path}`);
const server = await startServer();
if (!server) throw new Error('no build/bin/simcore with an HTTP port (build it first)');
const browser = await launch();

/** Wrap the engine's run() once per page: every run records its events in window.__simcoreRun. */
async function instrument(page) {
  await page.evaluate(() => {
    const eng = window.__simcore.sim.engine;
    if (eng.__measured) return;
    const run = eng.run;
    eng.run = function (netlist, options, onEvent) {
      const rec = (window.__simcoreRun = { start: performance.now(), chunks: 0, rows: 0, samples: 0, firstChunk: null, lastChunk: null, handlerMs: 0, doneAt: null, ok: null });
      const h = run.call(this, netlist, options, (ev) => {
        const t = performance.now();
        if (ev.type === 'chunk') {
          rec.chunks++;
          rec.rows += ev.rows;
          rec.samples += ev.rows * ev.re.length;
          rec.firstChunk ??= t;
          rec.lastChunk = t;
        }
        onEvent(ev);
        rec.handlerMs += performance.now() - t;
      });
      h.done.then((s) => {
        rec.doneAt = performance.now();
        rec.ok = s.ok;
      });
      return h;
    };
    eng.__measured = true;
  });
}

/** Click Run (in the page) and measure until the run is done and a chart shows data. */
function measure(page) {
  return page.evaluate(
    (timeout) =>
      new Promise((resolve, reject) => {
        const { sim } = window.__simcore;
        if (sim.state.get().status === 'running') return reject(new Error('a run is still going'));
        const before = sim.state.get().runId;
        const charted = () => Math.max(0, ...[...document.querySelectorAll('[data-testid=plot] .chart')].map((c) => Number(c.getAttribute('data-points') || 0)));
        let first = null;
        const t0 = performance.now();
        const tick = () => {
          const now = performance.now();
          const rec = window.__simcoreRun;
          const ours = sim.state.get().runId !== before && rec && rec.start >= t0;
          if (ours && first === null && rec.firstChunk !== null && charted() > 0) first = now - t0;
          if (ours && rec.doneAt !== null && (first !== null || !rec.ok)) {
            const streamMs = rec.lastChunk - rec.firstChunk;
            return resolve({
              first,
              done: rec.doneAt - t0,
              samples: rec.samples,
              rows: rec.rows,
              chunks: rec.chunks,
              rate: rec.samples / ((rec.doneAt - t0) / 1000),
              stream: streamMs > 0 ? rec.samples / (streamMs / 1000) : NaN,
              handlerMs: rec.handlerMs,
              engineMs: (sim.state.get().stats?.seconds ?? NaN) * 1000,
              status: sim.state.get().status,
              engine: document.querySelector('[data-testid=engine-mode]')?.getAttribute('data-engine'),
            });
          }
          if (now - t0 > timeout) return reject(new Error(`no end after ${timeout} ms`));
          requestAnimationFrame(tick);
        };
        document.querySelector('[data-testid=run-button]').click();
        requestAnimationFrame(tick);
      }),
    RUN_TIMEOUT,
  );
}

const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const sci = (x) => (Number.isFinite(x) ? x.toExponential(2) : '–');

const rows = [];
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(server.url);
  await page.waitForSelector('[data-testid=run-button]');
  await waitForRunEnd(page); // the start-up example
  await instrument(page);
  for (const c of CIRCUITS) {
    const text = readFileSync(c.path, 'utf8');
    for (const mode of MODES) {
      await page.selectOption('[data-testid=engine-select]', mode);
      // Opening the file runs it once: the warm-up.
      const warm = await runToEnd(
        page,
        () => page.setInputFiles('[data-testid=file-input]', { name: `${c.name}.cir`, mimeType: 'text/plain', buffer: Buffer.from(text) }),
        RUN_TIMEOUT,
      );
      if (!/^done/.test(warm)) throw new Error(`${c.name} ${mode}: warm-up ended with ${warm}`);
      const runs = [];
      for (let r = 0; r < ROUNDS; r++) {
        const m = await measure(page);
        if (m.status !== 'done' || m.engine !== mode) throw new Error(`${c.name} ${mode}: run ended ${m.status} on ${m.engine}`);
        runs.push(m);
        process.stderr.write(
          `${c.name} ${mode} #${r + 1}: first ${fmt(m.first)} ms, done ${fmt(m.done)} ms, ${m.samples} samples (${m.rows} rows, ${m.chunks} chunks), handler ${fmt(m.handlerMs)} ms\n`,
        );
      }
      const med = (k) => median(runs.map((m) => m[k]));
      rows.push({ circuit: c.name, mode, first: med('first'), done: med('done'), samples: med('samples'), rows: med('rows'), chunks: med('chunks'), rate: med('rate'), stream: med('stream'), handlerMs: med('handlerMs'), engineMs: med('engineMs') });
    }
  }
  await page.close();
} finally {
  await browser.close();
  await server.stop();
}

console.log(`\nMedians over ${ROUNDS} round(s) after one warm-up run each; times from the Run click, measured in the page (headless chromium, loopback server).\n`);
console.log('| circuit | engine | first point (ms) | run done (ms) | samples (rows × signals) | rows | chunks | samples/s (÷ done) | samples/s (first→last chunk) | app handler (ms) | engine run time, own stats (ms) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(`| ${r.circuit} | ${r.mode} | ${fmt(r.first)} | ${fmt(r.done)} | ${r.samples} | ${r.rows} | ${r.chunks} | ${sci(r.rate)} | ${sci(r.stream)} | ${fmt(r.handlerMs)} | ${fmt(r.engineMs)} |`);
