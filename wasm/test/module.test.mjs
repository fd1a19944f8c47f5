// The Embind module directly: events, options, error values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadSimcore } from '../lib/load.mjs';
import { CIRCUITS, FIXTURES } from './helpers.mjs';

let M;
before(async () => { M = await loadSimcore(); });

function runAll(sim, budget = 500) {
  const events = [];
  for (;;) {
    const st = sim.advance(budget);
    events.push(...sim.takeEvents());
    if (st.state !== 'running') return { st, events };
  }
}

test('runs a netlist: header, Float64Array chunks of chunkRows, analysisEnd', () => {
  const sim = new M.Simulation();
  try {
    const text = readFileSync(join(CIRCUITS, 'rc_lowpass_step.cir'), 'utf8');
    assert.equal(sim.load(text, 'rc_lowpass_step.cir', { chunkRows: 100, save: ['v(out)'] }, null), null);
    const { st, events } = runAll(sim);
    assert.equal(st.state, 'done');
    const headers = events.filter((e) => e.type === 'header');
    // (ngspice's order, by kind: the deck's .ac runs before its .tran)
    assert.deepEqual(headers.map((h) => h.analysis), ['ac', 'tran']);
    assert.deepEqual(headers[1].signals, [{ name: 'v(out)', kind: 'voltage' }]);
    assert.equal(headers[0].complex, true);
    const chunks = events.filter((e) => e.type === 'chunk' && e.index === 1);
    assert.ok(chunks.length > 1);
    for (const c of chunks.slice(0, -1)) assert.equal(c.rows, 100);
    for (const c of chunks) {
      assert.ok(c.x instanceof Float64Array && c.re[0] instanceof Float64Array);
      assert.equal(c.x.length, c.rows);
      assert.equal(c.x.buffer.byteLength, c.rows * 8, 'each column owns its buffer (transferable)');
    }
    const ends = events.filter((e) => e.type === 'analysisEnd');
    assert.equal(ends[1].rows, chunks.reduce((s, c) => s + c.rows, 0));
    const ac = events.filter((e) => e.type === 'chunk' && e.index === 0);
    assert.equal(ac[0].im.length, 1);
    const s = sim.stats();
    assert.ok(s.acceptedPoints > 0 && s.unknowns === 3);
  } finally {
    sim.delete();
  }
});

test('options as a JSON string, params override .param', () => {
  const net = 'divider\n.param rb=1k\nV1 in 0 DC 1\nR1 in out 1k\nR2 out 0 {rb}\n.op\n.end\n';
  const value = (opts) => {
    const sim = new M.Simulation();
    try {
      assert.equal(sim.load(net, 'd.cir', opts, null), null);
      const { events } = runAll(sim);
      const h = events.find((e) => e.type === 'header');
      const c = events.find((e) => e.type === 'chunk');
      return c.re[h.signals.findIndex((s) => s.name === 'v(out)')][0];
    } finally {
      sim.delete();
    }
  };
  assert.ok(Math.abs(value(null) - 0.5) < 1e-12);
  assert.ok(Math.abs(value('{"params": {"rb": 3000}}') - 0.75) < 1e-12);
  assert.ok(Math.abs(value({ params: { rb: 3000 } }) - 0.75) < 1e-12);
});

test('a bad netlist is an error value with file, line and column', () => {
  const sim = new M.Simulation();
  try {
    const err = sim.load(readFileSync(join(FIXTURES, 'bad.cir'), 'utf8'), 'bad.cir', {}, null);
    assert.equal(err.code, 'Semantic');
    assert.equal(err.file, 'bad.cir');
    assert.equal(err.line, 3);
    assert.ok(err.col > 0);
    assert.match(err.message, /undefined_param/);
    const st = sim.advance(10);
    assert.equal(st.state, 'error');
  } finally {
    sim.delete();
  }
});

test('bad options and a failing include are errors, not exceptions', () => {
  const sim = new M.Simulation();
  try {
    assert.match(sim.load('t\nR1 a 0 1\n.op\n', 't', '{not json', null).message, /JSON/);
    assert.match(sim.load('t\nR1 a 0 1\n.op\n', 't', { chunkRows: 0 }, null).message, /chunkRows/);
    const err = sim.load('t\n.include nothere.inc\nR1 a 0 1\n.op\n', 't.cir', {}, () => ({ error: 'nothere.inc: No such file or directory' }));
    assert.equal(err.line, 2);
    assert.match(err.message, /nothere/);
    // no resolver: .include is an error too
    assert.ok(sim.load('t\n.include x.inc\n.op\n', 't.cir', {}, null));
  } finally {
    sim.delete();
  }
});

test('maxTimePoints stops a transient with a Limit error', () => {
  const sim = new M.Simulation();
  try {
    const text = readFileSync(join(CIRCUITS, 'rc_lowpass_step.cir'), 'utf8');
    assert.equal(sim.load(text, 'rc.cir', { maxTimePoints: 50 }, null), null);
    const { st } = runAll(sim);
    assert.equal(st.state, 'error');
    assert.equal(st.error.code, 'Limit');
  } finally {
    sim.delete();
  }
});

test('error codes: the engine\'s, in PascalCase, are the proto ErrorCode values 1..9 in order', () => {
  // proto/simcore/v1/simulator.proto is the wire's copy of the engine's table; the web app
  // derives remote codes from it the same way (ERROR_CODE_TIMESTEP_TOO_SMALL -> TimestepTooSmall).
  const proto = readFileSync(join(import.meta.dirname, '..', '..', 'proto', 'simcore', 'v1', 'simulator.proto'), 'utf8');
  const engine = [...proto.matchAll(/^\s*ERROR_CODE_(\w+) = (\d+);/gm)]
    .filter((m) => Number(m[2]) >= 1 && Number(m[2]) < 100)
    .sort((a, b) => Number(a[2]) - Number(b[2]))
    .map((m) => m[1].toLowerCase().replace(/(^|_)(\w)/g, (_m, _u, c) => c.toUpperCase()));
  assert.deepEqual(M.errorCodes(), engine);
  assert.ok(engine.includes('TimestepTooSmall') && engine.length === 9);
});

test('an engine error arrives with its PascalCase code', () => {
  const sim = new M.Simulation();
  try {
    const err = sim.load('loop\nV1 a 0 DC 1\nV2 a 0 DC 2\nR1 a 0 1k\n.op\n.end\n', 'loop.cir', {}, null);
    if (err) {
      assert.equal(err.code, 'Topology');
    } else {
      const { st } = runAll(sim);
      assert.equal(st.error.code, 'Topology');
    }
  } finally {
    sim.delete();
  }
});

test('describe: unknowns, devices and expected points without running; errors as values', () => {
  const net = 'rc\n.param tend=1m\nV1 in 0 DC 1\nR1 in out 1k\nC1 out 0 1u\nL1 out x 1m\nRX x 0 1\n.tran 1u {tend}\n.op\n.end\n';
  const r = M.describe(net, 'rc.cir', null, null);
  assert.ok(r.description, JSON.stringify(r));
  const d = r.description;
  assert.equal(d.title, 'rc');
  assert.equal(d.nodes, 3);
  assert.equal(d.branches, 2); // V1, L1
  assert.equal(d.unknowns, 5);
  // (in ngspice's run order, by kind: the .op before the .tran)
  assert.deepEqual(d.analyses, [{ type: 'op', points: 1 }, { type: 'tran', points: 1001 }]);
  assert.equal(d.points, 1002);
  assert.deepEqual(d.devices.map((k) => [k.letter, k.kind, k.count]), [
    ['r', 'resistor', 2], ['c', 'capacitor', 1], ['l', 'inductor', 1], ['v', 'voltage source', 1],
  ]);
  assert.equal(M.describe(net, '', { params: { tend: 2e-3 } }, null).description.points, 2002);
  assert.equal(M.describe(net, '', { tstop: 5e-3 }, null).description.analyses[1].points, 5001);
  assert.deepEqual(M.describe(net, '', { analyses: ['.ac dec 10 1 1meg'] }, null).description.analyses, [{ type: 'ac', points: 61 }]);
  const bad = M.describe('t\nR1 a 0 1k\nR2 a\n.op\n.end\n', 'bad.cir', null, null);
  assert.equal(bad.description, undefined);
  assert.equal(bad.error.code, 'Parse');
  assert.equal(bad.error.file, 'bad.cir');
  assert.equal(bad.error.line, 3);
  assert.equal(M.describe(net, '', { params: { tend: 'x' } }, null).error.code, 'Parse');
});

test('losses: the analysis "losses" after its transient and the loss summary in stats()', () => {
  const sim = new M.Simulation();
  try {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'buck_losses.cir'), 'utf8');
    assert.equal(sim.load(text, 'buck_losses.cir', {}, null), null);
    const { st, events } = runAll(sim, 5000);
    assert.equal(st.state, 'done');
    const headers = events.filter((e) => e.type === 'header');
    assert.deepEqual(headers.map((h) => h.analysis), ['tran', 'losses']);
    const names = headers[1].signals.map((s) => s.name);
    for (const n of ['p_cond(s1)', 'p_sw(s1)', 'e_cond(s1)', 'e_sw(s1)', 'tj(s1)', 'tj(d1)', 't(hs)', 't(amb)']) assert.ok(names.includes(n), n);
    assert.notEqual(headers[1].index, headers[0].index);
    const s = sim.stats();
    const byName = Object.fromEntries(s.losses.map((l) => [l.device, l]));
    assert.ok(byName.s1.switchingLoss > 5 && byName.s1.conductionLoss > 0);
    assert.ok(byName.d1.switchingLoss > 0, 'reverse recovery at the blocking voltage after the instant');
    assert.ok(s.efficiency > 0.8 && s.efficiency < 0.95, String(s.efficiency));
    assert.ok(Math.abs(s.lossTo - s.lossFrom - 10e-6) < 1e-12);
  } finally {
    sim.delete();
  }
});

test('a .control script: its text, failed commands and files (bytes) in stats()', () => {
  const sim = new M.Simulation();
  try {
    const text = 'script\nV1 in 0 DC 1\nR1 in out 1k\nR2 out 0 1k\n.control\nop\nprint v(out)\nwrdata half.txt v(out)\nprint nosuch\n.endc\n.end\n';
    assert.equal(sim.load(text, 'script.cir', {}, null), null);
    const { st } = runAll(sim);
    assert.equal(st.state, 'done');
    const s = sim.stats();
    assert.equal(s.scriptOutput, 'v(out) = 5.000000e-01\n');
    assert.equal(s.scriptErrors.length, 1);
    assert.match(s.scriptErrors[0], /script\.cir:9:1: error: 'print': no such vector 'nosuch'/);
    assert.equal(s.scriptFiles.length, 1);
    assert.equal(s.scriptFiles[0].name, 'half.txt');
    assert.ok(s.scriptFiles[0].data instanceof Uint8Array);
    // (an op plot's scale is its first vector, v(in) = 1, as ngspice's)
    assert.equal(new TextDecoder().decode(s.scriptFiles[0].data), ' 1.00000000e+00  5.00000000e-01 \n');
  } finally {
    sim.delete();
  }
});
