#!/usr/bin/env node
// Two or more builds of the module against each other (and the native CLI):
// for each circuit, rounds of alternated runs — native `simcore run`, then one
// fresh Node process per module directory running the netlist --warm times
// (bench.mjs --warm-child) — and the medians of the last run's engine time,
// wall and CPU (process.cpuUsage: the main thread plus V8's compiler threads).
//
//   node wasm/bench_builds.mjs --dirs build/wasm,build/wasm-simd [--simcore build/bin/simcore]
//        [--rounds 5] [--warm 3] [--only NAME ...] [--bench-circuits] [--circuits DIR]
//
// Prints one line per circuit: the native CLI's CPU time (user + system of the
// whole process, /usr/bin/time: start-up and writing the CSV included), then
// per directory the warm wall / CPU medians, the CPU ratio to native and to
// the first directory. On a loaded machine compare the CPU columns.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const opts = { dirs: [], simcore: join(ROOT, 'build/bin/simcore'), rounds: 5, warm: 3, only: [], bench: false,
  circuits: process.env.SIMCORE_CIRCUITS || join(ROOT, '../shared/circuits') };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--dirs') opts.dirs = process.argv[++i].split(',').map((d) => resolve(d));
  else if (a === '--simcore') opts.simcore = resolve(process.argv[++i]);
  else if (a === '--rounds') opts.rounds = Number(process.argv[++i]);
  else if (a === '--warm') opts.warm = Number(process.argv[++i]);
  else if (a === '--only') opts.only.push(process.argv[++i]);
  else if (a === '--bench-circuits') opts.bench = true;
  else if (a === '--circuits') opts.circuits = resolve(process.argv[++i]);
  else { console.error(`bench_builds.mjs: unknown option ${a}`); process.exit(2); }
}
if (opts.dirs.length < 1) { console.error('bench_builds.mjs: --dirs A,B required'); process.exit(2); }

const circuits = JSON.parse(readFileSync(join(opts.circuits, 'manifest.json'), 'utf8')).circuits
  .map((c) => ({ name: c.name, file: c.file, dir: opts.circuits }));
if (opts.bench) {
  const bdir = join(ROOT, 'bench/circuits');
  for (const f of readdirSync(bdir).filter((n) => n.endsWith('.cir')).sort())
    circuits.push({ name: f.slice(0, -4), file: f, dir: bdir });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
const work = mkdtempSync(join(tmpdir(), 'simcore-bench-builds-'));
const geo = opts.dirs.map(() => []);
try {
  for (const c of circuits) {
    if (opts.only.length && !opts.only.includes(c.name)) continue;
    const nat = [], wall = opts.dirs.map(() => []), cpu = opts.dirs.map(() => []);
    for (let r = 0; r < opts.rounds; ++r) {
      const p = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', opts.simcore, 'run', c.file, '--out', join(work, 'n')],
        { cwd: c.dir, encoding: 'utf8' });
      const m = /^cpu ([0-9.]+) ([0-9.]+)$/m.exec(p.stderr || '');
      if (m) nat.push(Number(m[1]) + Number(m[2]));
      // alternate the order of the builds from round to round
      const order = opts.dirs.map((_, k) => k);
      if (r % 2) order.reverse();
      for (const k of order) {
        const q = spawnSync(process.execPath, ['--no-concurrent-recompilation', join(HERE, 'bench.mjs'), '--warm-child', c.file,
          String(opts.warm)], { cwd: c.dir, encoding: 'utf8', env: { ...process.env, SIMCORE_WASM_DIR: opts.dirs[k] } });
        const w = /^warm ([0-9.e+-]+)$/m.exec(q.stdout || ''), u = /^warmcpu ([0-9.e+-]+)$/m.exec(q.stdout || '');
        if (w) wall[k].push(Number(w[1]));
        if (u) cpu[k].push(Number(u[1]));
        if (!w) console.error(`${c.name} ${opts.dirs[k]}: ${(q.stderr || '').slice(0, 300)}`);
      }
    }
    const n = median(nat), c0 = median(cpu[0]);
    const cols = opts.dirs.map((d, k) => {
      const cw = median(wall[k]), cc = median(cpu[k]);
      if (cc > 0 && n > 0) geo[k].push(cc / n);
      return `${d.split('/').pop()} ${cw.toFixed(3)}/${cc.toFixed(3)} s (${(cc / n).toFixed(2)}× native${k ? `, ${(cc / c0).toFixed(2)}× first` : ''})`;
    });
    console.log(`${c.name.padEnd(20)} native ${n.toFixed(3)} s  ${cols.join('  ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const gm = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
console.log(`warm CPU / native engine time, geometric mean: ${opts.dirs.map((d, k) => `${d.split('/').pop()} ${gm(geo[k]).toFixed(2)}`).join(', ')}`);
