// engine.ts + worker.ts (compiled to wasm/dist by tsc) in a node:worker_threads worker.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CIRCUITS, FIXTURES, WASM, nodeWorker } from './helpers.mjs';

const built = existsSync(join(WASM, 'dist', 'engine.js'));
const skip = built ? false : 'wasm/dist missing: run `npx tsc -p wasm` (make wasm-test does)';
let engine;

before(async () => {
  if (!built) return;
  const { createEngine } = await import(join(WASM, 'dist', 'engine.js'));
  engine = await createEngine({ createWorker: nodeWorker });
});
after(() => engine?.dispose());

test('run streams header, chunks and analysisEnd, resolves with stats', { skip }, async () => {
  const events = [];
  const run = engine.run(readFileSync(join(CIRCUITS, 'rc_lowpass_step.cir'), 'utf8'), { fileName: 'rc.cir', chunkRows: 256 }, (e) => events.push(e));
  const summary = await run.done;
  assert.ok(summary.stats.acceptedPoints > 0);
  assert.ok(summary.stats.seconds >= 0);
  // (ngspice's order, by kind: the deck's .ac runs before its .tran)
  assert.deepEqual(summary.analyses.map((a) => a.analysis), ['ac', 'tran']);
  assert.equal(events[0].type, 'header');
  const chunks = events.filter((e) => e.type === 'chunk' && e.index === 1);
  assert.ok(chunks.every((c) => c.x instanceof Float64Array && c.re.length === 3));
  assert.equal(summary.analyses[1].rows, chunks.reduce((s, c) => s + c.rows, 0));
});

test('the stats of a run name its switching mode', { skip }, async () => {
  // An ideal diode half-wave rectifier: piecewise linear, so event mode with two configurations.
  const pwl = 'rect\nV1 a 0 SIN(0 1 1k)\nD1 a b DI\n.model DI PWLDIODE(von=0.1)\nR1 b 0 1k\n.tran 10u 2m\n.end\n';
  const ev = (await engine.run(pwl).done).stats;
  assert.equal(ev.switchingMode, 'event');
  assert.equal(ev.configurations, 2);
  assert.ok(ev.events >= 4, `${ev.events} events`);
  assert.ok(ev.factorCacheHits > 0);
  const sp = (await engine.run(pwl.replace('.tran', '.options switching=spice\n.tran')).done).stats;
  assert.equal(sp.switchingMode, 'spice');
  const rc = (await engine.run('rc\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1u\n.tran 10u 1m\n.end\n').done).stats;
  assert.equal(rc.switchingMode, 'linear');
  assert.equal((await engine.run('rc\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n').done).stats.switchingMode, '');
});

test('describe answers through the worker, also while a run is in progress', { skip }, async () => {
  const rc = readFileSync(join(CIRCUITS, 'rc_lowpass_step.cir'), 'utf8');
  const d = await engine.describe(rc, { fileName: 'rc.cir' });
  assert.equal(d.unknowns, 3);
  assert.ok(d.points > 1);
  const run = engine.run(rc, { fileName: 'rc.cir' });
  const during = await engine.describe('t\nV1 a 0 1\nR1 a b 1\nR2 b 0 1\n.tran 1u 1m\n.end\n', { tstop: 2e-3 });
  assert.equal(during.unknowns, 3);
  assert.equal(during.points, 2001);
  await run.done;
  await assert.rejects(engine.describe('t\nR1 a\n.end\n', { fileName: 'bad.cir' }), (e) => {
    assert.equal(e.code, 'Parse');
    assert.equal(e.file, 'bad.cir');
    assert.equal(e.line, 2);
    return true;
  });
});

test('convert turns a netlist into the circuit model and back (docs/interop.md)', { skip }, async () => {
  const rc = readFileSync(join(CIRCUITS, 'rc_lowpass_step.cir'), 'utf8');
  const model = JSON.parse(await engine.convert(rc, 'json', 'rc.cir'));
  assert.equal(model.format, 'simcore.circuit');
  assert.ok(model.cards.some((c) => c.type === 'element' && c.kind === 'r'));
  const back = await engine.convert(JSON.stringify(model), 'spice');
  assert.deepEqual(JSON.parse(await engine.convert(back, 'json', 'rc.cir')).cards, model.cards);
  model.cards[0] = { type: 'element', name: 'R1', kind: 'r', nodes: ['a b'] };
  await assert.rejects(engine.convert(JSON.stringify(model), 'spice'), (e) => {
    assert.equal(e.code, 'Parse');
    assert.match(e.message, /^\/cards\/0\/nodes\/0: /);
    return true;
  });
});

test('a bad netlist rejects with an EngineError carrying line and col', { skip }, async () => {
  const run = engine.run(readFileSync(join(FIXTURES, 'bad.cir'), 'utf8'), { fileName: 'bad.cir' });
  await assert.rejects(run.done, (e) => {
    assert.equal(e.code, 'Semantic');
    assert.equal(e.file, 'bad.cir');
    assert.equal(e.line, 3);
    assert.ok(e.col > 0);
    assert.ok(e instanceof Error);
    return true;
  });
});

test('cancel stops a long run and frees the worker', { skip }, async () => {
  // Cancelled as soon as the first rows arrive, long before the run would end (~4 s).
  let cancelAt = 0;
  let run;
  const firstChunk = new Promise((resolve) => {
    run = engine.run(readFileSync(join(CIRCUITS, 'power_grid_100x100.cir'), 'utf8'), { chunkRows: 16 }, (e) => {
      if (e.type === 'chunk' && !cancelAt) resolve();
    });
  });
  await firstChunk;
  cancelAt = performance.now();
  run.cancel();
  await assert.rejects(run.done, (e) => e.code === 'Cancelled');
  // The worker is free again within a slice: a small run finishes right after.
  const s = await engine.run('rc\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n').done;
  assert.equal(s.analyses[0].analysis, 'op');
  // How long that took is a figure, not a pass/fail threshold (no timing limits in tests).
  console.log(`# next run done ${Math.round(performance.now() - cancelAt)} ms after the cancel`);
});

test('a new run cancels the running one', { skip }, async () => {
  const first = engine.run(readFileSync(join(CIRCUITS, 'power_grid_100x100.cir'), 'utf8'));
  await new Promise((r) => setTimeout(r, 300));
  const second = engine.run('rc\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n');
  await assert.rejects(first.done, (e) => e.code === 'Cancelled');
  const s = await second.done;
  assert.equal(s.analyses.length, 1);
});

test('exportAnalysis writes the file `simcore run` writes, through the worker', { skip }, async () => {
  const events = [];
  await engine.run(readFileSync(join(CIRCUITS, 'rc_lowpass_step.cir'), 'utf8'), { chunkRows: 64 }, (e) => events.push(e)).done;
  const header = events.find((e) => e.type === 'header' && e.analysis === 'ac');
  const chunks = events.filter((e) => e.type === 'chunk' && e.index === header.index);
  const cat = (cols) => Float64Array.from(cols.flatMap((c) => Array.from(c)));
  const analysis = {
    analysis: 'ac', xName: header.xName, complex: true, signals: header.signals,
    rows: chunks.reduce((s, c) => s + c.rows, 0),
    x: cat(chunks.map((c) => c.x)),
    re: header.signals.map((_, k) => cat(chunks.map((c) => c.re[k]))),
    im: header.signals.map((_, k) => cat(chunks.map((c) => c.im[k]))),
  };
  const csv = new TextDecoder().decode(await engine.exportAnalysis('csv', analysis));
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'frequency,vdb(in),vp(in),vdb(out),vp(out),db(i(vin)),ph(i(vin))');
  assert.equal(lines.length, analysis.rows + 1);
  const json = JSON.parse(new TextDecoder().decode(await engine.exportAnalysis('json', analysis, 'rc')));
  assert.equal(json.title, 'rc');
  assert.equal(json.rows.length, analysis.rows);
  await assert.rejects(engine.exportAnalysis('hdf5', analysis), (e) => e.code === 'Semantic' && /unknown format/.test(e.message));
});

test('.pz streams one complex row of poles and zeros, exported as real/imag columns', { skip }, async () => {
  const events = [];
  const net = 'pz\nv1 in 0 dc 0 ac 1\nr1 in 1 10\nl1 1 2 1m\nc1 2 out 1u\nr2 out 0 10\n.pz in 0 out 0 vol pz\n.end\n';
  const summary = await engine.run(net, {}, (e) => events.push(e)).done;
  assert.deepEqual(summary.analyses.map((a) => a.analysis), ['pz']);
  const header = events.find((e) => e.type === 'header');
  assert.equal(header.analysis, 'pz');
  assert.equal(header.complex, true);
  assert.deepEqual(header.signals.map((s) => s.name), ['pole(1)', 'pole(2)', 'zero(1)']);
  const chunk = events.find((e) => e.type === 'chunk');
  assert.equal(chunk.rows, 1);
  assert.ok(Math.abs(chunk.re[0][0] + 10000) < 1e-6);  // -R/2L with R = 20 ohm, L = 1 mH
  assert.ok(chunk.im[0][0] > 0 && chunk.im[1][0] === -chunk.im[0][0]);
  const analysis = {
    analysis: 'pz', xName: '', complex: true, signals: header.signals, rows: 1, x: new Float64Array(0),
    re: chunk.re.map((c) => c.slice(0, 1)), im: chunk.im.map((c) => c.slice(0, 1)),
  };
  const csv = new TextDecoder().decode(await engine.exportAnalysis('csv', analysis));
  assert.equal(csv.split('\n')[0], 'real(pole(1)),imag(pole(1)),real(pole(2)),imag(pole(2)),real(zero(1)),imag(zero(1))');
});

test('a .step point runs every analysis with its label in the header and the summary', { skip }, async () => {
  const net = 'step\nV1 in 0 1\nR1 in out {rx}\nR2 out 0 1k\n.param rx=1k\n.step param rx list 1k 3k\n.op\n.end\n';
  const events = [];
  const summary = await engine.run(net, { fileName: 'step.cir' }, (e) => events.push(e)).done;
  const headers = events.filter((e) => e.type === 'header');
  assert.deepEqual(headers.map((h) => h.variant), ['rx=1000', 'rx=3000']);
  assert.deepEqual(summary.analyses.map((a) => a.variant), ['rx=1000', 'rx=3000']);
  const plain = await engine.run('plain\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n').done;
  assert.equal(plain.analyses[0].variant, undefined);
});
