#!/usr/bin/env node
// WebAssembly (Node) vs native: runs every circuit of the conformance suite
// through `build/bin/simcore run` and `node wasm/cli.mjs run`, compares the
// result files (byte-identical, else the largest difference relative to the
// column's peak-to-peak) and reports wall times and the wasm / native ratio.
//
//   node wasm/bench.mjs [--simcore build/bin/simcore] [--circuits DIR] [--only NAME ...]
//                       [--rounds N] [--skip NAME ...] [--json OUT.json]
//   SIMCORE_WASM_DIR=build/wasm-os node wasm/bench.mjs   (another build of the module)
//
// Wall time is per process, median of N rounds (default 1): wasm includes
// Node start-up and compiling the module (~0.1-0.2 s); "engine" is the
// in-process time of the wasm run as the CLI reports it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

const opts = { simcore: join(ROOT, 'build/bin/simcore'), circuits: process.env.SIMCORE_CIRCUITS || join(ROOT, '../shared/circuits'),
  only: [], skip: [], rounds: 1, json: '' };
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i];
  if (a === '--simcore') opts.simcore = resolve(process.argv[++i]);
  else if (a === '--circuits') opts.circuits = resolve(process.argv[++i]);
  else if (a === '--only') opts.only.push(process.argv[++i]);
  else if (a === '--skip') opts.skip.push(process.argv[++i]);
  else if (a === '--rounds') opts.rounds = Number(process.argv[++i]);
  else if (a === '--json') opts.json = process.argv[++i];
  else { console.error(`bench.mjs: unknown option ${a}`); process.exit(2); }
}

// The CLI runs from the circuits folder: make the module directory absolute.
if (process.env.SIMCORE_WASM_DIR) process.env.SIMCORE_WASM_DIR = resolve(process.env.SIMCORE_WASM_DIR);

const manifest = JSON.parse(readFileSync(join(opts.circuits, 'manifest.json'), 'utf8'));
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
  if (A.rows.length !== B.rows.length) return { ok: false, why: `rows ${A.rows.length} vs ${B.rows.length}` };
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

const results = [];
const work = mkdtempSync(join(tmpdir(), 'simcore-wasm-bench-'));
try {
  for (const c of manifest.circuits) {
    if (opts.only.length && !opts.only.includes(c.name)) continue;
    if (opts.skip.includes(c.name)) continue;
    const nat = [], was = [], eng = [];
    let rn, rw;
    for (let round = 0; round < opts.rounds; ++round) {
      const dn = join(work, c.name, 'native'), dw = join(work, c.name, 'wasm');
      rmSync(join(work, c.name), { recursive: true, force: true });
      rn = run(opts.simcore, ['run', c.file, '--out', dn], opts.circuits);
      rw = run(process.execPath, ['--no-concurrent-recompilation', join(HERE, 'cli.mjs'), 'run', c.file, '--out', dw], opts.circuits);
      nat.push(rn.wall);
      was.push(rw.wall);
      const m = /, ([0-9.]+) s\n/.exec(rw.stdout || '');
      if (m) eng.push(Number(m[1]));
    }
    const rec = { name: c.name, nativeExit: rn.status, wasmExit: rw.status, native_s: median(nat), wasm_s: median(was),
      wasmEngine_s: eng.length ? median(eng) : null, files: [] };
    rec.ratio = rec.wasm_s / rec.native_s;
    rec.engineRatio = rec.wasmEngine_s != null ? rec.wasmEngine_s / rec.native_s : null;
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
    console.log(`${c.name.padEnd(20)} exit ${rn.status}/${rw.status}  native ${rec.native_s.toFixed(3)} s  wasm ${rec.wasm_s.toFixed(3)} s` +
      ` (engine ${rec.wasmEngine_s != null ? rec.wasmEngine_s.toFixed(3) : '-'} s)  ratio ${rec.ratio.toFixed(2)}` +
      `  files identical ${same}/${rec.files.length}${worst ? `, worst rel diff ${worst.toExponential(1)}` : ''}` +
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
console.log(`total native ${tn.toFixed(2)} s, wasm ${tw.toFixed(2)} s (engine ${te.toFixed(2)} s): ratio ${(tw / tn).toFixed(2)} (engine ${(te / tn).toFixed(2)})`);
console.log(`simcore.wasm ${raw} bytes raw, ${gz} bytes gzip -9; simcore.mjs ${glue} bytes`);
const bad = results.filter((r) => r.nativeExit !== r.wasmExit || r.files.some((f) => f.ok === false));
if (opts.json) writeFileSync(opts.json, JSON.stringify({ results, wasm: { raw, gzip: gz, glue } }, null, 1));
if (bad.length) { console.log(`differences in: ${bad.map((r) => r.name).join(', ')}`); process.exitCode = 1; }
