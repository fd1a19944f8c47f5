#!/usr/bin/env -S node --no-concurrent-recompilation
// `simcore run` on the WebAssembly engine (build/wasm from `make wasm`), for
// Node: the same files, exit codes and messages as the native CLI
// (app/cli/run.cpp), so the conformance suite can run through wasm.
//
//   node wasm/cli.mjs run CIRCUIT.cir [--out DIR] [--format csv|json|raw] [--save SIG,...]
//                         [--interpolate] [--stats] [--quiet]
//   node wasm/cli.mjs --version
//
// Exit status: 0 ok, 1 simulation failure, 2 bad input or usage.
// $SIMCORE_WASM_DIR selects the directory holding simcore.mjs + simcore.wasm.
//
// --no-concurrent-recompilation (shebang; pass it when running `node cli.mjs`
// by hand in loops): Node 20 can deadlock at exit when a background TurboFan
// job waits for a GC while the main thread drains platform tasks
// (nodejs/node#54918); seen once in a few hundred runs under load. Compiling
// optimised JS on the main thread avoids it at no measurable cost here.
// The result files are written by the wasm module itself (io/ in memory,
// Simulation.writeTo / takeFiles): the same bytes as the native CLI's.
import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadSimcore } from './lib/load.mjs';

const SLICE_ROWS = 2000;

// strerror()'s text for the errors a CLI meets (the native messages).
function strerror(e) {
  const m = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory', ENOSPC: 'No space left on device', EROFS: 'Read-only file system', EEXIST: 'File exists' };
  return m[e && e.code] || (e && e.message) || String(e);
}

// Writes the files the module finished into dir; returns an error message or ''.
function writeFiles(sim, dir, written) {
  for (const f of sim.takeFiles()) {
    const path = `${dir}/${f.name}`;
    try {
      writeFileSync(path, f.bytes);
    } catch (e) {
      return `cannot open '${path}' for writing: ${strerror(e)}`;
    }
    written.push({ path, analysis: f.analysis, rows: f.rows, partial: f.partial, variant: f.variant });
  }
  return '';
}

function dirOf(path) {
  const p = path.lastIndexOf('/');
  return p < 0 ? '.' : p === 0 ? '/' : path.slice(0, p);
}

function stemOf(path) {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? base : base.slice(0, dot);
}

// Error::format(): "FILE:LINE:COL: error: message", unknown parts left out.
export function formatError(e) {
  let out = e.file || '';
  if (e.line > 0) {
    if (out) out += ':';
    out += String(e.line);
    if (e.col > 0) out += ':' + e.col;
  }
  if (out) out += ': ';
  return out + 'error: ' + e.message;
}

// "FILE:LINE:COL: warning: message", as the native CLI's warningText
function warningText(message, loc) {
  const e = formatError({ file: loc.file, line: loc.line, col: loc.col, message: '' });
  return e.slice(0, e.length - 'error: '.length) + 'warning: ' + message;
}

// A .control script's output as the native CLI gives it: its text on stdout, the commands
// that failed on stderr, its files below `dir` (relative names without '..', made by the
// engine; a missing sub-folder is made). False when a file cannot be written.
function emitScriptOutput(s, dir, quiet) {
  if (s.scriptOutput) process.stdout.write(s.scriptOutput);
  for (const e of s.scriptErrors ?? []) process.stderr.write(e + '\n');
  let ok = true;
  for (const f of s.scriptFiles ?? []) {
    const path = !dir || dir === '.' ? f.name : `${dir}/${f.name}`;
    const slash = path.lastIndexOf('/');
    try {
      if (f.name.includes('/') && slash > 0 && isDirectory(!dir ? '.' : dir) && !exists(path.slice(0, slash))) {
        mkdirSync(path.slice(0, slash), { recursive: true });
        if (!quiet) process.stderr.write(`note: made the folder ${path.slice(0, slash)} for the script's file\n`);
      }
      writeFileSync(path, f.data);
      if (!quiet) process.stderr.write(`note: the .control script wrote ${path} (${Buffer.byteLength(f.data)} bytes)\n`);
    } catch (e) {
      process.stderr.write(`simcore run: error: cannot write the script's file '${path}': ${strerror(e)}\n`);
      ok = false;
    }
  }
  return ok;
}

function isDirectory(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p) {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function exitCodeFor(code) {
  return code === 'Parse' || code === 'Semantic' || code === 'Topology' ? 2 : 1;
}

function readText(path) {
  if (path === '-') return readFileSync(0, 'utf8');
  if (statSync(path).isDirectory()) { const e = new Error('Is a directory'); e.code = 'EISDIR'; throw e; }
  return readFileSync(path, 'utf8');
}

function printUsage(out, version) {
  out.write(`simcore ${version} - SPICE-class circuit simulator (WebAssembly engine)

usage:
  node wasm/cli.mjs run CIRCUIT.cir [options]   run every analysis of the netlist ('-' reads stdin)
  node wasm/cli.mjs --version

run options:
  --out DIR            write results into DIR (created if needed; default: .)
                       one file per analysis: DIR/<stem>.<op|dc|ac|tran>.<ext>
  --format FMT         csv (default), json or raw (ngspice binary raw); hdf5 only natively
  --save SIG,...       only these signals, e.g. v(out),i(vin) (default: .save cards,
                       else every node voltage and voltage-source current)
  --interpolate        transient rows on the .tran tstep grid instead of every accepted step
  --max-points N       stop a transient after N time points (exit status 1; rows so far are kept)
  --stats              print run statistics to stderr
  --quiet              print nothing but errors

exit status: 0 ok, 1 simulation failure, 2 bad input or usage
`);
}

function printStats(s, wall) {
  const f4 = (v) => v.toFixed(4);
  let t = 'statistics:\n' +
    `  unknowns              ${s.unknowns} (matrix nonzeros ${s.nonzeros})\n` +
    `  accepted time points  ${s.acceptedPoints}\n` +
    `  rejected steps        ${s.rejectedSteps}\n` +
    `  newton iterations     ${s.newtonIterations} (failed solves ${s.newtonFailures})\n` +
    `  lu factorizations     ${s.factorizations}\n` +
    `  lu refactorizations   ${s.refactorizations}\n` +
    `  lu solves             ${s.solves}\n` +
    `  switching events      ${s.events}\n` +
    `  time: setup ${f4(s.setupSeconds)} s, load ${f4(s.loadSeconds)} s, factor ${f4(s.factorSeconds)} s, ` +
    `solve ${f4(s.solveSeconds)} s, total ${f4(wall)} s\n`;
  if (s.opStrategies && s.opStrategies.length) t += '  operating points:' + s.opStrategies.map((o) => ` ${o};`).join('') + '\n';
  process.stderr.write(t);
}

function splitSave(list, save) {
  let depth = 0, cur = '';
  for (const c of list) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      if (cur) save.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur) save.push(cur);
}

/** `simcore run`; returns the exit code. */
export async function runCommand(args, M) {
  let input = '', outDir = '.', formatName = 'csv', quiet = false, stats = false, interpolate = false, maxPoints = 0;
  let scriptDir = '.';
  const save = [];
  const usage = (msg) => {
    process.stderr.write(`simcore run: error: ${msg}\ntry 'simcore --help'\n`);
    return 2;
  };
  for (let i = 0; i < args.length; ++i) {
    const a = args[i];
    const value = () => (i + 1 < args.length ? args[++i] : undefined);
    if (a === '--out' || a === '-o') {
      const v = value();
      if (v === undefined) return usage('--out needs a directory');
      outDir = v;
    } else if (a.startsWith('--out=')) {
      outDir = a.slice(6);
    } else if (a === '--format') {
      const v = value();
      if (v === undefined) return usage('--format needs csv, json or raw');
      formatName = v;
    } else if (a.startsWith('--format=')) {
      formatName = a.slice(9);
    } else if (a === '--save' || a.startsWith('--save=')) {
      let list;
      if (a === '--save') {
        list = value();
        if (list === undefined) return usage('--save needs a list of signals');
      } else {
        list = a.slice(7);
      }
      splitSave(list, save);
    } else if (a === '--max-points') {
      const v = value();
      if (v === undefined) return usage('--max-points needs a number');
      if (!/^[+-]?[0-9]+$/.test(v) || Number(v) < 1) return usage(`--max-points needs a positive integer, got '${v}'`);
      maxPoints = Number(v);
    } else if (a === '--script-dir') {
      const v = value();
      if (v === undefined) return usage('--script-dir needs a directory');
      scriptDir = v;
    } else if (a.startsWith('--script-dir=')) {
      scriptDir = a.slice(13);
    } else if (a === '--quiet' || a === '-q') {
      quiet = true;
    } else if (a === '--stats') {
      stats = true;
    } else if (a === '--interpolate') {
      interpolate = true;
    } else if (a === '--help' || a === '-h') {
      printUsage(process.stdout, M.version());
      return 0;
    } else if (a && a[0] === '-' && a !== '-') {
      return usage(`unknown option '${a}'`);
    } else if (!input) {
      input = a;
    } else {
      return usage(`only one netlist file may be given (got '${input}' and '${a}')`);
    }
  }
  if (!input) return usage('no netlist file given');
  if (formatName === 'hdf5') return usage('the WebAssembly engine writes csv, json or raw, not hdf5 (use the native simcore)');
  if (!['csv', 'json', 'raw'].includes(formatName)) return usage(`unknown format '${formatName}' (expected csv, json, raw or hdf5)`);

  const t0 = performance.now();
  let text;
  try {
    text = readText(input);
  } catch (e) {
    process.stderr.write(`${input}: error: cannot read the netlist: ${strerror(e)}\n`);
    return 2;
  }
  // as the native CLI's io::fileResolver: `~/` is $HOME, a relative path the including file's
  // folder, then the working directory (where ngspice looks first)
  const resolver = (path, from) => {
    let p = path;
    if (p && p.startsWith('~/') && process.env.HOME) p = process.env.HOME + p.slice(1);
    if (!p || p[0] !== '/') {
      const base = from === '<stdin>' ? '.' : dirOf(from);
      const near = base + '/' + p;
      try {
        return { name: near, text: readText(near) };
      } catch (e) {
        if (base !== '.') {
          try {
            return { name: p, text: readText(p) };
          } catch { /* reported as the near path's error */ }
        }
        return { error: `${near}: ${strerror(e)}` };
      }
    }
    try {
      return { name: p, text: readText(p) };
    } catch (e) {
      return { error: `${p}: ${strerror(e)}` };
    }
  };
  const sim = new M.Simulation();
  try {
    const err = sim.load(text, input === '-' ? '<stdin>' : input, { save, maxTimePoints: maxPoints, phaseTimes: stats, interpolate }, resolver);
    if (err) {
      process.stderr.write(formatError(err) + '\n');
      return exitCodeFor(err.code);
    }
    const info = sim.info();
    if (!quiet) for (const w of info.warnings) process.stderr.write(formatError({ ...w, message: 'warning: ' + w.message }) + '\n');
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (e) {
      process.stderr.write(`simcore run: error: cannot create directory '${outDir}': ${strerror(e)}\n`);
      return 2;
    }
    const werr = sim.writeTo(formatName, input === '-' ? 'stdin' : stemOf(input));
    if (werr) {
      process.stderr.write(`simcore run: error: ${werr.message}\n`);
      return 2;
    }
    const files = [];
    for (;;) {
      const st = sim.advance(SLICE_ROWS);
      if (st.state === 'error') {
        process.stderr.write(formatError(st.error) + '\n');
        sim.finishPartial();
        const e = writeFiles(sim, outDir, files);
        if (e) process.stderr.write(`simcore run: error: ${e}\n`);
        for (const f of files)
          if (f.partial && f.rows > 0) process.stderr.write(`note: the ${f.rows} rows computed before the failure are in ${f.path}\n`);
        emitScriptOutput(sim.stats(), scriptDir, quiet);
        if (stats) printStats(sim.stats(), (performance.now() - t0) / 1000);
        return exitCodeFor(st.error.code);
      }
      const e = writeFiles(sim, outDir, files);
      if (e) {
        process.stderr.write(`simcore run: error: ${e}\n`);
        return 1;
      }
      if (st.state === 'done') break;
    }
    const s = sim.stats();
    const scriptFilesOk = emitScriptOutput(s, scriptDir, quiet);
    // .meas results as ngspice prints them; a failed one is a warning (as the native CLI)
    for (const m of s.measures ?? []) {
      if (m.ok) process.stdout.write(m.text + '\n');
      else if (!quiet) process.stderr.write(warningText(`.meas '${m.name}' failed: ${m.error}`, m) + '\n');
    }
    const wall = (performance.now() - t0) / 1000;
    if (!quiet) {
      let o = `${input}: ${info.title}\n  ${s.unknowns} unknowns, ${info.devices} devices, ${wall.toFixed(3)} s\n`;
      for (const f of files) o += `  ${f.analysis.padEnd(5)} ${String(f.rows).padStart(8)} rows -> ${f.path}${f.variant ? `  (${f.variant})` : ''}\n`;
      process.stdout.write(o);
    }
    if (stats) printStats(s, wall);
    return scriptFilesOk ? 0 : 1;
  } finally {
    sim.delete();
  }
}

export async function main(argv) {
  const M = await loadSimcore();
  const args = argv.slice(2);
  if (!args.length || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    printUsage(process.stdout, M.version());
    return args.length ? 0 : 2;
  }
  if (args[0] === '--version' || args[0] === 'version') {
    process.stdout.write(`simcore ${M.version()}\n`);
    return 0;
  }
  if (args[0] === 'run') return runCommand(args.slice(1), M);
  process.stderr.write(`simcore: error: unknown command '${args[0]}' (expected: run)\n`);
  printUsage(process.stderr, M.version());
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`simcore: error: ${e && e.message ? e.message : e}\n`); process.exitCode = 1; });
}
