#!/usr/bin/env node
// WebAssembly (Node) vs native: runs every circuit of the conformance suite
// (and, with --bench-circuits, bench/circuits/*.cir) through
// `build/bin/simcore run` and `node wasm/cli.mjs run`, compares the result
// files (byte-identical, else the largest difference relative to the column's
// peak-to-peak; a transient whose steps differ, interpolated at the native
// rows and within 2 % of each column's range) and reports times and wasm /
// native ratios.
//
//   node wasm/bench.mjs [--simcore build/bin/simcore] [--circuits DIR] [--bench-circuits]
//                       [--only NAME ...] [--skip NAME ...] [--rounds N] [--warm N] [--json OUT.json]
//   SIMCORE_WASM_DIR=build/wasm-os node wasm/bench.mjs   (another build of the module)
//   node wasm/bench.mjs --warm-child CIRCUIT.cir N       (internal: N runs in one process)
//
// Columns, each the median of N rounds (default 1), rounds alternated:
//   native, wasm   whole process wall time (wasm includes Node start-up and
//                  compiling the module, ~0.1-0.2 s)
//   engine         the in-process time each CLI prints (read the netlist, run,
//                  write the files): native, and wasm in a fresh Node process,
//                  i.e. while V8 still runs most code in its baseline compiler
//                  (Liftoff) and optimises the hot functions in the background
//   warm           wasm engine time of the last of --warm runs (default 3) of
//                  the same netlist in one Node process: optimised code only
// The ratios are wasm engine / native engine and warm / native engine.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

if (process.argv[2] === '--warm-child') {
  await warmChild(process.argv[3], Number(process.argv[4] || 3));
  process.exit(0);
}

const opts = { simcore: join(ROOT, 'build/bin/simcore'), circuits: process.env.SIMCORE_CIRCUITS || join(ROOT, '../shared/circuits'),
  only: [], skip: [], rounds: 1, warm: 3, benchCircuits: false, json: '' };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--simcore') opts.simcore = resolve(process.argv[++i]);
  else if (a === '--circuits') opts.circuits = resolve(process.argv[++i]);
  else if (a === '--only') opts.only.push(process.argv[++i]);
  else if (a === '--skip') opts.skip.push(process.argv[++i]);
  else if (a === '--rounds') opts.rounds = Number(process.argv[++i]);
  else if (a === '--json') opts.json = process.argv[++i];
  else if (a === '--warm') opts.warm = Number(process.argv[++i]);
  else if (a === '--bench-circuits') opts.benchCircuits = true;
  else { console.error(`bench.mjs: unknown option ${a}`); process.exit(2); }
}

// The CLI runs from the circuits folder: make the module directory absolute.
if (process.env.SIMCORE_WASM_DIR) process.env.SIMCORE_WASM_DIR = resolve(process.env.SIMCORE_WASM_DIR);

// Runs `file` n times in this process (results to memory, CSV as the CLI
// writes by default) and prints the engine time of the last run.
async function warmChild(file, n) {
  const { loadSimcore } = await import('./lib/load.mjs');
  const M = await loadSimcore();
  const text = readFileSync(file, 'utf8');
  const resolver = (path, from) => {
    const p = path[0] === '/' ? path : join(dirname(from), path);
    try { return { name: p, text: readFileSync(p, 'utf8') }; } catch (e) { return { error: `${p}: ${e.message}` }; }
  };
  let last = 0, lastCpu = 0;
  for (let k = 0; k < n; ++k) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const sim = new M.Simulation();
    try {
      const err = sim.load(text, file, { save: [], maxTimePoints: 0, phaseTimes: false, interpolate: false }, resolver);
      if (err) throw new Error(err.message);
      sim.writeTo('csv', 'bench');
      for (;;) {
        const st = sim.advance(2000);
        sim.takeFiles();
        if (st.state === 'error') throw new Error(st.error.message);
        if (st.state === 'done') break;
      }
    } finally {
      sim.delete();
    }
    last = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    lastCpu = (c.user + c.system) / 1e6;
  }
  process.stdout.write(`warm ${last}\nwarmcpu ${lastCpu}\n`);
}

const manifest = JSON.parse(readFileSync(join(opts.circuits, 'manifest.json'), 'utf8'));
for (const c of manifest.circuits) c.dir = opts.circuits;
if (opts.benchCircuits) {
  const bdir = join(ROOT, 'bench/circuits');
  for (const f of readdirSync(bdir).filter((n) => n.endsWith('.cir')).sort())
    manifest.circuits.push({ name: f.slice(0, -4), file: f, dir: bdir });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function run(cmd, args, cwd) {
  const t0 = performance.now();
  const p = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { wall: (performance.now() - t0) / 1000, status: p.status, stdout: p.stdout, stderr: p.stderr };
}

function parseCsv(text) {
  const lines = text.trimEnd().split('\n');
  return { head: lines[0], rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

// Largest |a - b| / max(peak-to-peak of b's column, 1e-300) over all cells.
function compareCsv(a, b) {
  const A = parseCsv(a), B = parseCsv(b);
  if (A.head !== B.head) return { ok: false, why: 'different header' };
  if (A.rows.length !== B.rows.length) return compareResampled(A, B);
  const ncol = B.rows.length ? B.rows[0].length : 0;
  let worst = 0, cells = 0, diffCells = 0;
  for (let k = 0; k < ncol; ++k) {
    let lo = Infinity, hi = -Infinity;
    for (const r of B.rows) { lo = Math.min(lo, r[k]); hi = Math.max(hi, r[k]); }
    const span = Math.max(hi - lo, Math.abs(hi), Math.abs(lo), 1e-300);
    for (let i = 0; i < B.rows.length; ++i) {
      ++cells;
      const d = Math.abs(A.rows[i][k] - B.rows[i][k]);
      if (d > 0 || (Number.isNaN(A.rows[i][k]) !== Number.isNaN(B.rows[i][k]))) ++diffCells;
      if (d / span > worst) worst = d / span;
    }
  }
  return { ok: true, worst, cells, diffCells };
}

// Another sequence of time steps (a transient whose step control took other
// decisions: musl's libm in the module and glibc's natively differ in the last
// bits of exp/log, which a switching circuit may amplify into a step accepted
// on one side and rejected on the other): A interpolated at B's x values; the
// same within 2 % of each column's range (the suite's transient tolerance).
function compareResampled(A, B) {
  const why = `rows ${A.rows.length} vs ${B.rows.length}`;
  const increasing = (R) => R.every((r, i) => i === 0 || r[0] >= R[i - 1][0]);
  if (!A.rows.length || !B.rows.length || !increasing(A.rows) || !increasing(B.rows)) return { ok: false, why };
  const ncol = B.rows[0].length;
  let worst = 0, j = 0;
  const spans = [];
  for (let k = 0; k < ncol; ++k) {
    let lo = Infinity, hi = -Infinity;
    for (const r of B.rows) { lo = Math.min(lo, r[k]); hi = Math.max(hi, r[k]); }
    spans.push(Math.max(hi - lo, Math.abs(hi), Math.abs(lo), 1e-300));
  }
  for (const rb of B.rows) {
    const x = rb[0];
    while (j + 1 < A.rows.length && A.rows[j + 1][0] <= x) ++j;
    const a0 = A.rows[j], a1 = A.rows[Math.min(j + 1, A.rows.length - 1)];
    const w = a1[0] > a0[0] ? Math.min(1, Math.max(0, (x - a0[0]) / (a1[0] - a0[0]))) : 0;
    for (let k = 1; k < ncol; ++k) {
      const d = Math.abs(a0[k] + w * (a1[k] - a0[k]) - rb[k]) / spans[k];
      if (d > worst || Number.isNaN(d)) worst = Number.isNaN(d) ? Infinity : d;
    }
  }
  return { ok: worst <= 0.02, worst, resampled: why };
}

const results = [];
const work = mkdtempSync(join(tmpdir(), 'simcore-wasm-bench-'));
try {
  for (const c of manifest.circuits) {
    if (opts.only.length && !opts.only.includes(c.name)) continue;
    if (opts.skip.includes(c.name)) continue;
    const nat = [], was = [], eng = [], neng = [], warm = [];
    let rn, rw;
    for (let round = 0; round < opts.rounds; ++round) {
      const dn = join(work, c.name, 'native'), dw = join(work, c.name, 'wasm');
      rmSync(join(work, c.name), { recursive: true, force: true });
      rn = run(opts.simcore, ['run', c.file, '--out', dn], c.dir);
      rw = run(process.execPath, ['--no-concurrent-recompilation', join(HERE, 'cli.mjs'), 'run', c.file, '--out', dw], c.dir);
      nat.push(rn.wall);
      was.push(rw.wall);
      const m = /, ([0-9.]+) s\n/.exec(rw.stdout || '');
      if (m) eng.push(Number(m[1]));
      const mn = /, ([0-9.]+) s\n/.exec(rn.stdout || '');
      if (mn) neng.push(Number(mn[1]));
      if (opts.warm > 0 && rw.status === 0) {
        const rr = run(process.execPath, ['--no-concurrent-recompilation', join(HERE, 'bench.mjs'), '--warm-child', c.file, String(opts.warm)], c.dir);
        const mw = /^warm ([0-9.e+-]+)$/m.exec(rr.stdout || '');
        if (mw) warm.push(Number(mw[1]));
      }
    }
    const rec = { name: c.name, nativeExit: rn.status, wasmExit: rw.status, native_s: median(nat), wasm_s: median(was),
      wasmEngine_s: eng.length ? median(eng) : null, nativeEngine_s: neng.length ? median(neng) : null,
      wasmWarm_s: warm.length ? median(warm) : null, files: [] };
    rec.ratio = rec.wasm_s / rec.native_s;
    rec.engineRatio = rec.wasmEngine_s != null && rec.nativeEngine_s ? rec.wasmEngine_s / rec.nativeEngine_s : null;
    rec.warmRatio = rec.wasmWarm_s != null && rec.nativeEngine_s ? rec.wasmWarm_s / rec.nativeEngine_s : null;
    const dn = join(work, c.name, 'native'), dw = join(work, c.name, 'wasm');
    let names = [];
    try { names = readdirSync(dn).sort(); } catch { /* none */ }
    let wnames = [];
    try { wnames = readdirSync(dw).sort(); } catch { /* none */ }
    if (names.join() !== wnames.join()) rec.files.push({ file: '*', ok: false, why: `files ${names} vs ${wnames}` });
    for (const f of names) {
      if (!wnames.includes(f)) continue;
      const a = readFileSync(join(dw, f), 'utf8'), b = readFileSync(join(dn, f), 'utf8');
      if (a === b) { rec.files.push({ file: f, ok: true, identical: true, worst: 0 }); continue; }
      rec.files.push({ file: f, identical: false, ...compareCsv(a, b) });
    }
    results.push(rec);
    const same = rec.files.filter((f) => f.identical).length;
    const worst = Math.max(0, ...rec.files.map((f) => f.worst || 0));
    const f3 = (v) => (v != null ? v.toFixed(3) : '-'), f2 = (v) => (v != null ? v.toFixed(2) : '-');
    console.log(`${c.name.padEnd(20)} exit ${rn.status}/${rw.status}  native ${f3(rec.native_s)} s  wasm ${f3(rec.wasm_s)} s` +
      `  engine native ${f3(rec.nativeEngine_s)} s wasm ${f3(rec.wasmEngine_s)} s (${f2(rec.engineRatio)}) warm ${f3(rec.wasmWarm_s)} s (${f2(rec.warmRatio)})` +
      `  files identical ${same}/${rec.files.length}${worst ? `, worst rel diff ${worst.toExponential(1)}` : ''}` +
      `${rec.files.filter((f) => f.resampled).map((f) => `  steps differ (${f.resampled}), compared interpolated`).join('')}` +
      `${rec.files.some((f) => f.ok === false) ? '  MISMATCH' : ''}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const wasmDir = process.env.SIMCORE_WASM_DIR ? resolve(process.env.SIMCORE_WASM_DIR) : join(ROOT, 'build/wasm');
const wasmFile = join(wasmDir, 'simcore.wasm');
const raw = statSync(wasmFile).size;
const gz = Number(execFileSync('sh', ['-c', `gzip -9 -c '${wasmFile}' | wc -c`]).toString());
const glue = statSync(join(wasmDir, 'simcore.mjs')).size;
const tn = results.reduce((s, r) => s + r.native_s, 0), tw = results.reduce((s, r) => s + r.wasm_s, 0);
const te = results.reduce((s, r) => s + (r.wasmEngine_s || 0), 0);
const tne = results.reduce((s, r) => s + (r.nativeEngine_s || 0), 0);
console.log(`total native ${tn.toFixed(2)} s, wasm ${tw.toFixed(2)} s: ratio ${(tw / tn).toFixed(2)}; engine native ${tne.toFixed(2)} s, wasm ${te.toFixed(2)} s: ratio ${(te / tne).toFixed(2)}`);
const geo = (xs) => (xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : NaN);
const er = results.map((r) => r.engineRatio).filter((x) => x > 0), wr = results.map((r) => r.warmRatio).filter((x) => x > 0);
console.log(`engine ratio wasm / native: geometric mean ${geo(er).toFixed(2)}, worst ${Math.max(...er).toFixed(2)}` +
  (wr.length ? `; warm: geometric mean ${geo(wr).toFixed(2)}, worst ${Math.max(...wr).toFixed(2)}` : ''));
console.log(`simcore.wasm ${raw} bytes raw, ${gz} bytes gzip -9; simcore.mjs ${glue} bytes`);
const bad = results.filter((r) => r.nativeExit !== r.wasmExit || r.files.some((f) => f.ok === false));
if (opts.json) writeFileSync(opts.json, JSON.stringify({ results, wasm: { raw, gzip: gz, glue } }, null, 1));
if (bad.length) { console.log(`differences in: ${bad.map((r) => r.name).join(', ')}`); process.exitCode = 1; }
