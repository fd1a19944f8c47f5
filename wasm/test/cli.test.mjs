// node wasm/cli.mjs against the native `simcore run`: same files, byte for
// byte (same numbers from the same engine sources, same formatting), same
// exit codes and error lines.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSimcore } from '../lib/load.mjs';
import { CIRCUITS, FIXTURES, nativeSimcore, runCli, runNative, tmp } from './helpers.mjs';

const native = nativeSimcore();
const skipNative = native ? false : 'no native simcore (set SIMCORE or build it)';

// Identical bytes expected (same engine sources, same number formatting).
const CIRCUITS_SAME = ['rc_lowpass_step', 'controlled_sources', 'cmos_inverter_vtc', 'bjt_diff_pair'];
// The last bits of a few results differ (clang's complex division, musl's
// libm): same files, numbers equal to 1e-9 of each column's range.
const CIRCUITS_CLOSE = ['lc_ladder_filter', 'opamp_inverting', 'diode_clipper'];

function maxRelDiff(a, b) {
  const ra = a.trimEnd().split('\n'), rb = b.trimEnd().split('\n');
  assert.equal(ra[0], rb[0], 'header');
  assert.equal(ra.length, rb.length, 'rows');
  const A = ra.slice(1).map((l) => l.split(',').map(Number)), B = rb.slice(1).map((l) => l.split(',').map(Number));
  let worst = 0;
  for (let k = 0; k < (B[0] || []).length; ++k) {
    let lo = Infinity, hi = -Infinity;
    for (const r of B) { lo = Math.min(lo, r[k]); hi = Math.max(hi, r[k]); }
    const span = Math.max(hi - lo, Math.abs(hi), Math.abs(lo), 1e-30);
    for (let i = 0; i < B.length; ++i) {
      let d = Math.abs(A[i][k] - B[i][k]);
      if (B[i][k] !== B[i][k] || A[i][k] !== A[i][k]) d = A[i][k] !== A[i][k] && B[i][k] !== B[i][k] ? 0 : Infinity;
      worst = Math.max(worst, d / span);
    }
  }
  return worst;
}

for (const name of CIRCUITS_CLOSE) {
  test(`${name}: csv equal to the native CLI within 1e-9`, { skip: skipNative }, () => {
    const dn = tmp(), dw = tmp();
    const rn = runNative(['run', `${name}.cir`, '--out', dn, '--quiet'], CIRCUITS);
    const rw = runCli(['run', `${name}.cir`, '--out', dw, '--quiet'], CIRCUITS);
    assert.equal(rw.status, rn.status, rw.stderr);
    const files = readdirSync(dn).sort();
    assert.deepEqual(readdirSync(dw).sort(), files);
    for (const f of files) {
      const d = maxRelDiff(readFileSync(join(dw, f), 'utf8'), readFileSync(join(dn, f), 'utf8'));
      assert.ok(d <= 1e-9, `${f}: largest difference ${d} of the column range`);
    }
  });
}

for (const name of CIRCUITS_SAME) {
  test(`${name}: csv identical to the native CLI`, { skip: skipNative }, () => {
    const dn = tmp(), dw = tmp();
    const rn = runNative(['run', `${name}.cir`, '--out', dn, '--quiet'], CIRCUITS);
    const rw = runCli(['run', `${name}.cir`, '--out', dw, '--quiet'], CIRCUITS);
    assert.equal(rw.status, rn.status, rw.stderr);
    assert.equal(rw.status, 0);
    const files = readdirSync(dn).sort();
    assert.deepEqual(readdirSync(dw).sort(), files);
    for (const f of files) {
      const a = readFileSync(join(dw, f), 'utf8'), b = readFileSync(join(dn, f), 'utf8');
      if (a === b) continue;
      // Report the first differing cell.
      const la = a.split('\n'), lb = b.split('\n');
      const i = la.findIndex((l, k) => l !== lb[k]);
      assert.fail(`${f} line ${i + 1}:\n wasm   ${la[i].slice(0, 200)}\n native ${lb[i].slice(0, 200)}`);
    }
  });
}

test('.include is resolved relative to the netlist; json and raw formats match', { skip: skipNative }, () => {
  for (const format of ['csv', 'json']) {
    const dn = tmp(), dw = tmp();
    const rn = runNative(['run', join(FIXTURES, 'with_include.cir'), '--out', dn, '--format', format], '/');
    const rw = runCli(['run', join(FIXTURES, 'with_include.cir'), '--out', dw, '--format', format], '/');
    assert.equal(rw.status, 0, rw.stderr);
    assert.equal(rn.status, 0, rn.stderr);
    const f = `with_include.op.${format}`;
    assert.equal(readFileSync(join(dw, f), 'utf8'), readFileSync(join(dn, f), 'utf8'));
  }
});

test('~/ is $HOME and a path not beside the netlist is the working directory\'s, in both CLIs', { skip: skipNative }, () => {
  const home = tmp(), project = tmp();
  writeFileSync(join(home, 'home.inc'), 'R1 in out 1k\n');
  mkdirSync(join(project, 'decks'));
  mkdirSync(join(project, 'lib'));
  writeFileSync(join(project, 'lib', 'parts.inc'), 'R2 out 0 3k\n');
  writeFileSync(join(project, 'decks', 'deck.cir'), 'paths\nV1 in 0 4\n.include ~/home.inc\n.include lib/parts.inc\n.op\n.end\n');
  const env = { ...process.env, HOME: home };
  const dn = tmp(), dw = tmp();
  const rn = runNative(['run', 'decks/deck.cir', '--out', dn], project, env);
  const rw = runCli(['run', 'decks/deck.cir', '--out', dw], project, env);
  assert.equal(rn.status, 0, rn.stderr);
  assert.equal(rw.status, 0, rw.stderr);
  const op = readFileSync(join(dn, 'deck.op.csv'), 'utf8');
  assert.equal(readFileSync(join(dw, 'deck.op.csv'), 'utf8'), op);
  assert.match(op, /(^|,)3(,|\n|$)/m, op);  // v(out) = 4 V * 3k / 4k
  // from another working directory the second file is not found: the same message, naming it
  const en = runNative(['run', join(project, 'decks', 'deck.cir'), '--out', tmp()], home, env);
  const ew = runCli(['run', join(project, 'decks', 'deck.cir'), '--out', tmp()], home, env);
  assert.equal(en.status, 2);
  assert.equal(ew.stderr, en.stderr);
  assert.match(en.stderr, /deck\.cir:4:\d+: error: .*decks\/lib\/parts\.inc/);
});

test('.meas results and a .control script\'s output, files and failed commands: as the native CLI', { skip: skipNative }, () => {
  const dir = tmp();
  writeFileSync(join(dir, 'meas.cir'),
    'meas\nV1 a 0 SIN(0 1 1k)\nR1 a 0 1k\n.tran 10u 2m\n.meas tran vmax max v(a)\n.meas tran vrms rms v(a)\n' +
    '.meas tran never when v(a)=5\n.control\nrun\nmeas tran vmin min v(a)\necho done\nwrdata out/a.dat v(a)\n' +
    'print nothere\n.endc\n.end\n');
  const dn = tmp(), dw = tmp();
  const rn = runNative(['run', 'meas.cir', '--out', dn, '--script-dir', dn], dir);
  const rw = runCli(['run', 'meas.cir', '--out', dw, '--script-dir', dw], dir);
  assert.equal(rn.status, 0, rn.stderr);
  assert.equal(rw.status, rn.status, rw.stderr);
  // ngspice's lines: "vmax                =  9.998...e-01 at=  2.5...e-04"
  assert.match(rn.stdout, /^vmax {16}= {2}9\.99\d+e-01 at= {2}2\.\d+e-04$/m, rn.stdout);
  assert.match(rn.stdout, /^vmin {16}= {2}-9\.99\d+e-01 at= /m, rn.stdout);
  assert.match(rn.stdout, /^done$/m);
  const body = (out, d) => out.split('\n').filter((l) => !l.includes(' s') || l.includes('=')).join('\n').replaceAll(d, 'DIR');
  assert.equal(body(rw.stdout, dw), body(rn.stdout, dn));
  assert.equal(rw.stderr.replaceAll(dw, 'DIR'), rn.stderr.replaceAll(dn, 'DIR'));
  assert.match(rn.stderr, /warning: \.meas 'never' failed/);
  assert.match(rn.stderr, /'print'|nothere/);
  assert.equal(readFileSync(join(dw, 'out', 'a.dat'), 'utf8'), readFileSync(join(dn, 'out', 'a.dat'), 'utf8'));
});

test('a .step deck\'s summary lines name each file\'s variant, as the native CLI\'s', { skip: skipNative }, () => {
  const dir = tmp();
  writeFileSync(join(dir, 'step.cir'), 'step\nV1 a 0 1\nR1 a b 1k\nR2 b 0 {rl}\n.param rl=1k\n.step param rl list 1k 3k\n.op\n.end\n');
  const dn = tmp(), dw = tmp();
  const rn = runNative(['run', 'step.cir', '--out', dn], dir);
  const rw = runCli(['run', 'step.cir', '--out', dw], dir);
  assert.equal(rn.status, 0, rn.stderr);
  assert.equal(rw.status, 0, rw.stderr);
  const lines = (out, d) => out.split('\n').filter((l) => l.includes(' rows -> ')).map((l) => l.replaceAll(d, 'DIR'));
  assert.deepEqual(lines(rw.stdout, dw), lines(rn.stdout, dn));
  assert.match(rw.stdout, /rows -> .*\(rl=3000\)$/m, rw.stdout);
});

test('bad netlist: exit 2 and the same FILE:LINE:COL: error line', { skip: skipNative }, () => {
  const rn = runNative(['run', 'bad.cir', '--out', tmp()], FIXTURES);
  const rw = runCli(['run', 'bad.cir', '--out', tmp()], FIXTURES);
  assert.equal(rw.status, 2);
  assert.equal(rn.status, 2);
  assert.match(rw.stderr, /^bad\.cir:3:\d+: error: /);
  assert.equal(rw.stderr, rn.stderr);
});

test('usage errors and a missing file: exit 2', { skip: skipNative }, () => {
  assert.equal(runCli(['run', '--bogus'], FIXTURES).status, 2);
  assert.equal(runCli(['run'], FIXTURES).status, 2);
  const rw = runCli(['run', 'nothere.cir'], FIXTURES);
  const rn = runNative(['run', 'nothere.cir'], FIXTURES);
  assert.equal(rw.status, 2);
  assert.equal(rw.stderr, rn.stderr);
});

test('simulation failure (time-point limit): exit 1, partial rows kept', { skip: skipNative }, () => {
  const dn = tmp(), dw = tmp();
  const rn = runNative(['run', 'rc_lowpass_step.cir', '--out', dn, '--max-points', '40'], CIRCUITS);
  const rw = runCli(['run', 'rc_lowpass_step.cir', '--out', dw, '--max-points', '40'], CIRCUITS);
  assert.equal(rn.status, 1);
  assert.equal(rw.status, 1);
  assert.equal(rw.stderr.replaceAll(dw, 'DIR'), rn.stderr.replaceAll(dn, 'DIR'));
  assert.equal(readFileSync(join(dw, 'rc_lowpass_step.tran.csv'), 'utf8'), readFileSync(join(dn, 'rc_lowpass_step.tran.csv'), 'utf8'));
});

test('number formatting follows the native layout (io/ in the module)', async () => {
  const M = await loadSimcore();
  const cases = [[0, '0'], [-0, '-0'], [1, '1'], [0.5, '0.5'], [1e-4, '0.0001'], [1e-5, '1e-05'], [123456789012, '123456789012'],
    [1e12, '1e+12'], [-2.5e-300, '-2.5e-300'], [1 / 3, '0.333333333333'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf']];
  const r = M.writeAnalysis('csv', {
    analysis: 'dc', xName: 'v1', complex: false, signals: [{ name: 'v(a)', kind: 'voltage' }], rows: cases.length,
    x: Float64Array.from(cases.map((c, i) => i)), re: [Float64Array.from(cases.map((c) => c[0]))], im: [],
  }, '');
  assert.equal(r.error, undefined);
  const lines = new TextDecoder().decode(r.bytes).trimEnd().split('\n');
  assert.equal(lines[0], 'v1,v(a)');
  cases.forEach(([v, s], i) => assert.equal(lines[i + 1], `${i},${s}`, String(v)));
});

test('--format hdf5 is refused by the wasm CLI (usage, exit 2)', () => {
  const r = runCli(['run', 'with_include.cir', '--out', tmp(), '--format', 'hdf5'], FIXTURES);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not hdf5/);
});
