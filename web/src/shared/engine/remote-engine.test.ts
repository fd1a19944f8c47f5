import { describe, expect, it, vi } from 'vitest';
import { Code, ConnectError } from '@connectrpc/connect';
import { create, toBinary } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { AnalysisType, ErrorCode, ErrorDetailSchema } from '@/gen/simcore/v1/simulator_pb';
import { StatusSchema } from '@/gen/google/rpc/status_pb';
import { createSimulation } from '@/features/simulation/controller';
import { ResultSet, signalIndex, signalValues } from '@/features/simulation/results';
import { RemoteEngine, detailCode, toEngineError, isServerGone, simulationOptions } from './remote-engine';
import { analysisChunks, createFakeServer, errorDetail, STATS, type FakeScript } from './testing/fake-server';
import type { RunEvent } from './types';

const now = (cb: () => void) => cb();

function engineFor(script: (n: string) => FakeScript, token = 'tok123') {
  const fake = createFakeServer(script);
  const engine = new RemoteEngine({ baseUrl: 'http://127.0.0.1:8080/', token: () => token, transport: fake.transport });
  return { fake, engine };
}

async function collect(engine: RemoteEngine, netlist: string, options = {}) {
  const events: RunEvent[] = [];
  const h = engine.run(netlist, options, (e) => events.push(e));
  const summary = await h.done;
  return { events, summary };
}

const tran = analysisChunks(0, AnalysisType.TRAN, 'time', [['v(in)', 'v'], ['v(out)', 'v'], ['i(v1)', 'i']], [0, 1e-3, 2e-3, 3e-3, 4e-3], [
  [0, 1, 1, 1, 1],
  [0, 0.63, 0.86, 0.95, 0.98],
  [0, -1e-3, -4e-4, -1e-4, -2e-5],
], { rowsPerChunk: 2 });

describe('RemoteEngine', () => {
  it('carries the circuit variant of a .step point into the header and the results', async () => {
    const chunks = analysisChunks(0, AnalysisType.TRAN, 'time', [['v(out)', 'v']], [0, 1e-3], [[0, 0.5]]);
    chunks[0].header = { ...chunks[0].header!, variant: 'rx=2000' } as never;
    const { engine } = engineFor(() => ({ chunks }));
    const { events } = await collect(engine, 'x\n.end\n');
    expect(events[0]).toMatchObject({ type: 'header', variant: 'rx=2000' });
    const results = new ResultSet();
    for (const e of events) results.apply(e);
    expect(results.list[0].variant).toBe('rx=2000');
    // the circuit itself: no variant
    const plain = await collect(engineFor(() => ({ chunks: tran })).engine, 'rc\n.end\n');
    expect(plain.events[0]).not.toHaveProperty('variant');
  });

  it('maps a transient stream to header / chunk / analysisEnd / done with the same names and column order', async () => {
    const { fake, engine } = engineFor(() => ({ chunks: tran }));
    const { events, summary } = await collect(engine, 'rc\nR1 in out 1k\n.end\n', { params: { r: 2000 }, save: ['v(out)'] });
    expect(events.map((e) => e.type)).toEqual(['header', 'chunk', 'chunk', 'chunk', 'analysisEnd', 'done']);
    const h = events[0];
    expect(h).toMatchObject({
      type: 'header',
      analysis: 'tran',
      index: 0,
      xName: 'time',
      complex: false,
      signals: [
        { name: 'v(in)', kind: 'voltage' },
        { name: 'v(out)', kind: 'voltage' },
        { name: 'i(v1)', kind: 'current' },
      ],
    });
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks.map((c) => c.rows)).toEqual([2, 2, 1]);
    const c1 = chunks[1];
    expect(c1.x).toBeInstanceOf(Float64Array);
    expect(Array.from(c1.x)).toEqual([2e-3, 3e-3]);
    expect(c1.re.map((a) => Array.from(a))).toEqual([[1, 1], [0.86, 0.95], [-4e-4, -1e-4]]);
    expect(c1.im).toEqual([]);
    expect(events[4]).toMatchObject({ type: 'analysisEnd', index: 0, rows: 5 });
    const stats = { acceptedPoints: 42, rejectedSteps: 2, newtonIterations: 99, factorizations: 7, refactorizations: 5, unknowns: 3, seconds: STATS.wallSeconds, switchingMode: 'event', configurations: 3, factorCacheHits: 37, events: 6 };
    expect(events[5]).toMatchObject({ type: 'done', stats });
    expect(summary).toEqual({ ok: true, cancelled: false, stats });
    // the protocol: bearer token, options mapped, stats from GetJob
    expect(fake.calls.createSession[0]).toMatchObject({ netlist: 'rc\nR1 in out 1k\n.end\n', authorization: 'Bearer tok123' });
    expect(fake.calls.startSimulation[0].options).toMatchObject({ params: { r: 2000 }, save: ['v(out)'], analyses: [], interpolate: false });
    expect(fake.calls.getJob).toEqual([fake.calls.streamWaveforms[0]]);
  });

  it("the session's warnings, then the job's own (a floating node tied to ground) with their line and column", async () => {
    const { engine } = engineFor(() => ({
      chunks: tran,
      sessionWarnings: ['2:5: option \'acct\' has no effect'],
      jobWarnings: ["4:1: nodes 'b', 'c' have no DC path to ground (connected through 'c1' ...)"],
    }));
    const { summary } = await collect(engine, 'rc\n.end\n');
    expect(summary.stats?.warnings).toEqual([
      { message: "2:5: option 'acct' has no effect", line: 0, col: 0 },
      { message: "nodes 'b', 'c' have no DC path to ground (connected through 'c1' ...)", line: 4, col: 1 },
    ]);
    // none at all: no warnings key
    const plain = await collect(engineFor(() => ({ chunks: tran })).engine, 'rc\n.end\n');
    expect(plain.summary.stats).not.toHaveProperty('warnings');
  });

  it('maps the remote-only options (analyses, tstop, max step, interpolate, chunk rows)', () => {
    expect(simulationOptions({ analyses: ['.tran 1n 10u'], tstop: 2e-6, maxStep: 1e-9, interpolate: true, chunkRows: 1e6 })).toEqual({
      analyses: ['.tran 1n 10u'],
      tstop: 2e-6,
      maxStep: 1e-9,
      interpolate: true,
      chunkRows: 65536,
    });
    expect(simulationOptions({})).toEqual({});
  });

  it('sends no authorization header without a token', async () => {
    const { fake, engine } = engineFor(() => ({ chunks: tran }), '');
    await collect(engine, 'x');
    expect(fake.calls.createSession[0].authorization).toBeNull();
  });

  it('AC: complex chunks carry re and im per signal', async () => {
    const f = [10, 100, 1000, 10000];
    const re = f.map((x) => 1 / (1 + (x / 1000) ** 2));
    const im = f.map((x) => -(x / 1000) / (1 + (x / 1000) ** 2));
    const chunks = analysisChunks(0, AnalysisType.AC, 'frequency', [['v(out)', 'v']], f, [re], { complex: true, im: [im] });
    const { events } = await collect(engineFor(() => ({ chunks })).engine, 'ac');
    const h = events[0];
    expect(h).toMatchObject({ type: 'header', analysis: 'ac', complex: true, xName: 'frequency' });
    const c = events[1];
    if (c.type !== 'chunk') throw new Error('expected a chunk');
    expect(Array.from(c.re[0])).toEqual(re);
    expect(Array.from(c.im[0])).toEqual(im);
    // and through the controller: dB at fc is -3 dB
    const sim = createSimulation(engineFor(() => ({ chunks })).engine, now);
    const s = await sim.run('ac');
    const a = s.results.find('ac')!;
    expect(signalValues(a, signalIndex(a, 'v(out)'), 'db')[2]).toBeCloseTo(-3.0103, 3);
  });

  it('pz: one complex row without x, poles then zeros', async () => {
    const chunks = analysisChunks(0, AnalysisType.PZ, '', [['pole(1)', 'v'], ['pole(2)', 'v'], ['zero(1)', 'v']], [],
      [[-5000], [-5000], [0]], { complex: true, im: [[31225], [-31225], [0]] });
    const { events } = await collect(engineFor(() => ({ chunks })).engine, 'pz');
    expect(events[0]).toMatchObject({ type: 'header', analysis: 'pz', complex: true, xName: '' });
    const sim = createSimulation(engineFor(() => ({ chunks })).engine, now);
    const s = await sim.run('pz');
    const a = s.results.find('pz')!;
    expect(a.rows).toBe(1);
    expect(a.signals.map((x) => x.name)).toEqual(['pole(1)', 'pole(2)', 'zero(1)']);
    expect(a.im[1][0]).toBe(-31225);
  });

  it('oscillator pss: the period (time) then its harmonics (frequency, an index of their own)', async () => {
    const chunks = [
      ...analysisChunks(0, AnalysisType.PSS, 'time', [['v(n)', 'v']], [0, 1e-7, 2e-7], [[0, 2, 0]]),
      ...analysisChunks(1, AnalysisType.PSS_SPECTRUM, 'frequency', [['v(n)', 'v']], [0, 5e6, 1e7], [[0, 2, 1e-3]]),
    ];
    const { events } = await collect(engineFor(() => ({ chunks })).engine, 'pss');
    const headers = events.filter((e) => e.type === 'header');
    expect(headers[0]).toMatchObject({ analysis: 'pss', xName: 'time', complex: false });
    expect(headers[1]).toMatchObject({ analysis: 'pss_spectrum', xName: 'frequency', complex: false });
    const sim = createSimulation(engineFor(() => ({ chunks })).engine, now);
    const s = await sim.run('pss');
    const a = s.results.find('pss_spectrum')!;
    expect(a.rows).toBe(3);
    expect(Array.from(a.x.subarray(0, a.rows))).toEqual([0, 5e6, 1e7]);
    expect(a.re[0][1]).toBe(2);
  });

  it('op (no x), then dc, then tran: several analyses keep their indices', async () => {
    const chunks = [
      ...analysisChunks(0, AnalysisType.OP, '', [['v(a)', 'v'], ['i(vin)', 'i']], [], [[1.5], [-2e-3]]),
      ...analysisChunks(1, AnalysisType.DC, 'vin', [['v(a)', 'v']], [-1, 0, 1], [[-0.5, 0, 0.5]]),
      ...analysisChunks(2, AnalysisType.TRAN, 'time', [['v(a)', 'v']], [0, 1], [[0, 1]]),
    ];
    const { events, summary } = await collect(engineFor(() => ({ chunks })).engine, 'multi');
    expect(summary.ok).toBe(true);
    expect(events.map((e) => `${e.type}${'index' in e ? e.index : ''}`)).toEqual([
      'header0', 'chunk0', 'analysisEnd0', 'header1', 'chunk1', 'analysisEnd1', 'header2', 'chunk2', 'analysisEnd2', 'done',
    ]);
    const op = events[1];
    if (op.type !== 'chunk') throw new Error('expected a chunk');
    expect(op.x.length).toBe(0);
    expect(op.rows).toBe(1);
    expect(op.re.map((a) => a[0])).toEqual([1.5, -2e-3]);
    expect(events[3]).toMatchObject({ analysis: 'dc', xName: 'vin' });

    const sim = createSimulation(engineFor(() => ({ chunks })).engine, now);
    const s = await sim.run('multi');
    expect(s.results.list.map((a) => [a.analysis, a.rows])).toEqual([['op', 1], ['dc', 3], ['tran', 2]]);
  });

  it('a netlist error carries the ErrorDetail: code, message, file, line, column', async () => {
    const createError = errorDetail(Code.InvalidArgument, 'parse', "bad number '4k7x'", 3, 8);
    const { events, summary } = await collect(engineFor(() => ({ chunks: [], createError })).engine, 'bad');
    const error = { code: 'Parse', message: "bad number '4k7x'", file: '<netlist>', line: 3, col: 8 };
    expect(events).toEqual([{ type: 'error', id: 1, error }]);
    expect(summary).toEqual({ ok: false, cancelled: false, error });
    // diagnostics in the controller point at the line
    const sim = createSimulation(engineFor(() => ({ chunks: [], createError })).engine, now);
    expect((await sim.run('bad')).error).toMatchObject({ code: 'Parse', line: 3, col: 8 });
  });

  it('a failure during the stream keeps the chunks before it (convergence, timestep too small)', async () => {
    const streamError = errorDetail(Code.Aborted, 'timestep_too_small', 'timestep too small at t=1.2e-6', 0, 0);
    const { events, summary } = await collect(engineFor(() => ({ chunks: tran.slice(0, 2), streamError })).engine, 'x');
    expect(events.map((e) => e.type)).toEqual(['header', 'chunk', 'chunk', 'error']);
    expect(summary.error).toMatchObject({ code: 'TimestepTooSmall', message: 'timestep too small at t=1.2e-6' });
  });

  it('error codes come from simcore.v1.ErrorCode (engine_code only from an older server)', () => {
    const engineCodes = Object.values(ErrorCode).filter((v): v is number => typeof v === 'number' && v >= 1 && v < 100);
    expect(engineCodes.map((code) => detailCode({ code, engineCode: '' }))).toEqual([
      'Parse', 'Semantic', 'Topology', 'Singular', 'Convergence', 'TimestepTooSmall', 'Cancelled', 'Limit', 'Internal',
    ]);
    for (const code of engineCodes)
      expect(detailCode({ code: ErrorCode.UNSPECIFIED, engineCode: ErrorCode[code].toLowerCase() })).toBe(detailCode({ code, engineCode: '' }));
    expect(detailCode({ code: ErrorCode.QUOTA, engineCode: 'quota' })).toBe('Limit');
    expect(detailCode({ code: ErrorCode.CRASHED, engineCode: 'crashed' })).toBe('Crashed');
    expect(detailCode({ code: ErrorCode.UNSPECIFIED, engineCode: '' })).toBe('');
    const e = toEngineError(new ConnectError('x', Code.Aborted, undefined, [
      { desc: ErrorDetailSchema, value: { code: ErrorCode.TIMESTEP_TOO_SMALL, message: 'timestep too small' } },
    ]));
    expect(e).toMatchObject({ code: 'TimestepTooSmall', message: 'timestep too small' });
  });

  it('decodes grpc-status-details-bin from a real gRPC-Web response', async () => {
    const status = create(StatusSchema, {
      code: Code.InvalidArgument,
      message: 'unknown device',
      details: [anyPack(ErrorDetailSchema, create(ErrorDetailSchema, { engineCode: 'semantic', message: "unknown model 'QX'", file: '<netlist>', line: 5, column: 1 }))],
    });
    const b64 = btoa(String.fromCharCode(...toBinary(StatusSchema, status)));
    const trailer = new TextEncoder().encode(`grpc-status: 3\r\ngrpc-message: unknown%20device\r\ngrpc-status-details-bin: ${b64}\r\n`);
    const body = new Uint8Array(5 + trailer.length);
    body[0] = 0x80;
    new DataView(body.buffer).setUint32(1, trailer.length);
    body.set(trailer, 5);
    const seen: { url: string; auth: string | null }[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/grpc-web+proto' } });
    };
    const engine = new RemoteEngine({ baseUrl: 'http://srv:8080', token: () => 'abc', fetch: fetch as typeof globalThis.fetch });
    const { summary } = await collect(engine, 'x');
    expect(summary.error).toEqual({ code: 'Semantic', message: "unknown model 'QX'", file: '<netlist>', line: 5, col: 1 });
    expect(seen[0]).toEqual({ url: 'http://srv:8080/simcore.v1.Simulator/CreateSession', auth: 'Bearer abc' });
    expect(engine.host).toBe('srv:8080');
  });

  it('cancel aborts the stream and stops the job', async () => {
    const { fake, engine } = engineFor(() => ({ chunks: tran.slice(0, 1), hang: true }));
    const events: RunEvent[] = [];
    let handle!: ReturnType<RemoteEngine['run']>;
    handle = engine.run('x', {}, (e) => {
      events.push(e);
      if (e.type === 'chunk') handle.cancel();
    });
    expect(await handle.done).toEqual({ ok: false, cancelled: true });
    expect(await fake.stopped).toBe(fake.calls.streamWaveforms[0]);
    expect(events.map((e) => e.type)).toEqual(['header', 'chunk']); // nothing after the cancel
    handle.cancel(); // idempotent
  });

  it('cancel before the job exists stops it as soon as it is created', async () => {
    const { fake, engine } = engineFor(() => ({ chunks: tran }));
    const h = engine.run('x', {}, () => {});
    h.cancel();
    expect((await h.done).cancelled).toBe(true);
    // either nothing was created, or the job got stopped
    if (fake.calls.startSimulation.length) expect(await fake.stopped).toMatch(/^j/);
  });

  it('cancel while StartSimulation is in flight: the job it queues is stopped when its id arrives', async () => {
    let arrived!: () => void;
    let release!: () => void;
    const started = new Promise<void>((r) => (arrived = r));
    const gate = new Promise<void>((r) => (release = r));
    const { fake, engine } = engineFor(() => ({ chunks: tran, beforeStart: () => (arrived(), gate) }));
    const events: RunEvent[] = [];
    const h = engine.run('x', {}, (e) => events.push(e));
    await started; // CreateSession answered, StartSimulation is on the server
    h.cancel();
    expect(await h.done).toEqual({ ok: false, cancelled: true });
    expect(fake.calls.stopSimulation).toEqual([]); // no job id yet
    release(); // the server queues the job and answers
    await vi.waitFor(() => expect(fake.calls.jobs.length).toBe(1));
    await vi.waitFor(() => expect(fake.calls.stopSimulation).toEqual(fake.calls.jobs));
    expect(fake.calls.streamWaveforms).toEqual([]);
    expect(events).toEqual([]);
  });

  it('a stopped job (CANCELLED from the server) ends as cancelled', async () => {
    const streamError = errorDetail(Code.Canceled, 'cancelled', 'the job was stopped');
    const { summary } = await collect(engineFor(() => ({ chunks: tran.slice(0, 1), streamError })).engine, 'x');
    expect(summary).toMatchObject({ ok: false, cancelled: true });
  });

  it('classifies "server gone" errors as Unavailable, others not', async () => {
    const fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const engine = new RemoteEngine({ baseUrl: 'http://127.0.0.1:1', fetch: fetch as typeof globalThis.fetch });
    const { summary } = await collect(engine, 'x');
    expect(summary.error?.code).toBe('Unavailable');

    const mid = await collect(engineFor(() => ({ chunks: tran.slice(0, 2), streamError: new ConnectError('upstream connect error', Code.Unavailable) })).engine, 'x');
    expect(mid.summary.error?.code).toBe('Unavailable');

    expect(isServerGone(new ConnectError('x', Code.Unavailable))).toBe(true);
    expect(isServerGone(new ConnectError('bad', Code.InvalidArgument))).toBe(false);
    expect(toEngineError(new ConnectError('token expired', Code.Unauthenticated))).toMatchObject({ code: 'Unauthenticated', line: 0 });
    expect(toEngineError(new ConnectError('limit', Code.ResourceExhausted)).code).toBe('Limit');
  });
});
