#!/usr/bin/env node
// The first run in a fresh engine worker (dist/worker.js, as the web app and
// engine.ts start it), with and without the worker's warm-up: for each
// circuit, alternately, a new worker gets the run right after `ready`
// (the warm-up gives way) or after `warmedUp`. Prints the medians of the
// run's time (posted to done) over --rounds fresh workers.
//
//   node wasm/bench_first_run.mjs [--rounds N] [CIRCUIT.cir ...]   (default: three suite circuits)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let rounds = 5;
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--rounds') rounds = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length)
  for (const c of ['buck_converter', 'inverter_chain_50', 'rc_ladder_1k']) files.push(join(HERE, '..', '..', 'shared', 'circuits', `${c}.cir`));

function firstRun(netlist, waitWarm) {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(HERE, 'dist', 'worker.js'));
    let t0 = 0;
    const go = () => { t0 = performance.now(); w.postMessage({ type: 'run', id: 1, netlist }); };
    w.on('message', (m) => {
      if (m.type === 'ready' && !waitWarm) go();
      else if (m.type === 'warmedUp' && waitWarm) go();
      else if (m.id === 1 && m.type === 'done') { const ms = performance.now() - t0; void w.terminate(); resolve(ms); }
      else if (m.id === 1 && m.type === 'error') { void w.terminate(); reject(new Error(m.error.message)); }
    });
    w.on('error', reject);
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log('circuit                     first run (ms)   after warm-up (ms)   ratio');
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const cold = [], warm = [];
  for (let r = 0; r < rounds; ++r) {
    cold.push(await firstRun(text, false));
    warm.push(await firstRun(text, true));
  }
  const c = median(cold), w = median(warm);
  console.log(`${f.split('/').pop().padEnd(28)}${c.toFixed(0).padStart(14)}${w.toFixed(0).padStart(21)}${(c / w).toFixed(2).padStart(8)}`);
}
