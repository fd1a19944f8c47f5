import { describe, expect, it } from 'vitest';
import { Code, ConnectError } from '@connectrpc/connect';
import { AnalysisType } from '@/gen/simcore/v1/simulator_pb';
import { createStore } from '@/shared/store/create-store';
import { createSimulation } from '@/features/simulation/controller';
import { EngineSwitch, FALLBACK_NOTICE, LOCAL_LABEL, TOKEN_REFUSED_NOTICE } from './engine-switch';
import { RemoteEngine } from './remote-engine';
import { ServerProbe, type EngineSettings } from './server';
import { MockEngine, rcScript } from './testing/mock-engine';
import { analysisChunks, createFakeServer, errorDetail, type FakeScript } from './testing/fake-server';
import type { RunEvent } from './types';
import { SpeedTracker } from './speeds';

const now = (cb: () => void) => cb();
const BIG = 'big\nV1 a 0 1\nR1 a b 1\nR2 b 0 1\n.tran 1p 1u\n.end'; // 3 unknowns x 1e6 points
const SMALL = 'small\nV1 a 0 1\nR1 a 0 1\n.op\n.end';

const remoteChunks = analysisChunks(0, AnalysisType.TRAN, 'time', [['v(a)', 'v']], [0, 1, 2], [[7, 7, 7]]);

function setup(o: { settings?: Partial<EngineSettings>; healthy?: boolean[]; auth?: string; script?: (n: string) => FakeScript; speeds?: SpeedTracker; calibrate?: () => Promise<void>; now?: () => number } = {}) {
  const settings = createStore<EngineSettings>({ mode: 'auto', baseUrl: '', token: 'tok', ...o.settings });
  const health = [...(o.healthy ?? [true])];
  const probes: string[] = [];
  let t = 0;
  const probe = new ServerProbe({
    now: () => t,
    fetch: (async (url: string) => {
      probes.push(url);
      if (!(health.shift() ?? false)) throw new TypeError('Failed to fetch');
      return Response.json(o.auth === undefined ? { status: 'ok' } : { status: 'ok', auth: o.auth });
    }) as typeof fetch,
  });
  const fake = createFakeServer(o.script ?? (() => ({ chunks: remoteChunks })));
  const local = new MockEngine(rcScript(1e-3, 10, 1));
  const loads: string[] = [];
  const sw = new EngineSwitch({
    local,
    settings,
    probe,
    origin: 'http://127.0.0.1:8080',
    ...(o.speeds ? { speeds: o.speeds, calibrate: o.calibrate, now: o.now } : {}),
    loadRemote: async (baseUrl, token) => {
      loads.push(baseUrl);
      return new RemoteEngine({ baseUrl, token, transport: fake.transport });
    },
  });
  return { sw, settings, local, fake, probes, loads, advance: (ms: number) => (t += ms) };
}

async function run(sw: EngineSwitch, netlist: string) {
  const events: RunEvent[] = [];
  const summary = await sw.run(netlist, {}, (e) => events.push(e)).done;
  return { events, summary };
}

describe('EngineSwitch', () => {
  it('auto: a large circuit goes to a reachable server with a token; a small one stays local without probing', async () => {
    const { sw, local, fake, probes, loads } = setup();
    const small = await run(sw, SMALL);
    expect(small.summary.ok).toBe(true);
    expect(local.runs.length).toBe(1);
    expect(sw.status.get().active).toEqual({ mode: 'local', label: LOCAL_LABEL });
    expect(probes).toEqual([]); // a small run does not wait for /healthz

    const big = await run(sw, BIG);
    expect(big.summary.ok).toBe(true);
    expect(fake.calls.createSession.map((c) => c.netlist)).toEqual([BIG]);
    expect(fake.calls.createSession[0].authorization).toBe('Bearer tok');
    expect(sw.status.get().active).toEqual({ mode: 'remote', label: 'remote (127.0.0.1:8080)' });
    expect(sw.mode).toBe('remote');
    expect(probes).toEqual(['http://127.0.0.1:8080/healthz']);
    expect(loads).toEqual(['http://127.0.0.1:8080']);
    expect(big.events.map((e) => e.type)).toEqual(['header', 'chunk', 'analysisEnd', 'done']);
  });

  it('auto without a token or without a server runs locally', async () => {
    const a = setup({ settings: { token: '' } });
    await run(a.sw, BIG);
    expect(a.local.runs.length).toBe(1);
    expect(a.fake.calls.createSession.length).toBe(0);
    const b = setup({ healthy: [false] });
    await run(b.sw, BIG);
    expect(b.local.runs.length).toBe(1);
    expect(b.sw.status.get()).toMatchObject({ active: { mode: 'local' }, serverReachable: false, reason: 'no reachable server' });
  });

  it('auto without a token: goes remote when /healthz says auth "none" (simcore serve --insecure-no-auth), not for "jwt" or no auth field', async () => {
    const open = setup({ settings: { token: '' }, auth: 'none' });
    const r = await run(open.sw, BIG);
    expect(r.summary.ok).toBe(true);
    expect(open.local.runs.length).toBe(0);
    expect(open.fake.calls.createSession[0].authorization).toBeNull();
    expect(open.sw.status.get().active.mode).toBe('remote');
    // a small circuit still runs here, without asking the server
    await run(open.sw, SMALL);
    expect(open.local.runs.length).toBe(1);

    for (const auth of ['jwt', undefined]) {
      const s = setup({ settings: { token: '' }, auth });
      await run(s.sw, BIG);
      expect(s.local.runs.length).toBe(1);
      expect(s.fake.calls.createSession.length).toBe(0);
      expect(s.sw.status.get().reason).toBe('no server token');
    }
  });

  it('auto: a refused (expired, revoked) token -> the run is repeated locally with a notice; auto stays local until a new token is set', async () => {
    const refused = new ConnectError('token expired', Code.Unauthenticated);
    let tokenOk = false;
    const s = setup({ settings: { token: 'old' }, auth: 'jwt', healthy: [true, true, true], script: () => (tokenOk ? { chunks: remoteChunks } : { chunks: [], createError: refused }) });
    const sim = createSimulation(s.sw, now);
    const st = await sim.run(BIG);
    expect(st.status).toBe('done'); // not "server refused the token"
    expect(st.error).toBeUndefined();
    expect(s.local.runs.length).toBe(1);
    expect(s.fake.calls.createSession.length).toBe(1);
    expect(s.sw.status.get()).toMatchObject({ active: { mode: 'local', label: LOCAL_LABEL }, notice: TOKEN_REFUSED_NOTICE });
    expect(TOKEN_REFUSED_NOTICE).toBe("the server refused the saved token — ran locally; open the server's ready URL again to renew it");
    expect(s.settings.get()).toMatchObject({ token: 'old', refusedToken: 'old' });

    // later large runs: local at once, the server is not asked to run them
    s.advance(60_000);
    const again = await run(s.sw, BIG);
    expect(again.summary.ok).toBe(true);
    expect(s.local.runs.length).toBe(2);
    expect(s.fake.calls.createSession.length).toBe(1);
    expect(s.sw.status.get()).toMatchObject({ reason: 'the server refused the saved token', notice: '' });

    // a new token (e.g. from the ready URL): remote again
    tokenOk = true;
    s.settings.set((x) => ({ ...x, token: 'new' }));
    const fresh = await run(s.sw, BIG);
    expect(fresh.summary.ok).toBe(true);
    expect(s.fake.calls.createSession.map((c) => c.authorization)).toEqual(['Bearer old', 'Bearer new']);
    expect(s.sw.status.get().active.mode).toBe('remote');
  });

  it('remote mode: a refused token stays a clear error (no local run)', async () => {
    const s = setup({ settings: { mode: 'remote', token: 'old' }, script: () => ({ chunks: [], createError: new ConnectError('token expired', Code.Unauthenticated) }) });
    const r = await run(s.sw, SMALL);
    expect(s.local.runs.length).toBe(0);
    expect(r.summary.error?.code).toBe('Unauthenticated');
    expect(r.summary.error?.message).toMatch(/refused the token/);
    expect(r.events.map((e) => e.type)).toEqual(['error']);
    // forced remote keeps sending it; auto would now skip it
    await run(s.sw, SMALL);
    expect(s.fake.calls.createSession.length).toBe(2);
    expect(s.settings.get().refusedToken).toBe('old');
  });

  it('local mode never asks the server', async () => {
    const { sw, probes, fake } = setup({ settings: { mode: 'local' } });
    await run(sw, BIG);
    expect(probes).toEqual([]);
    expect(fake.calls.createSession.length).toBe(0);
  });

  it('remote mode runs small circuits remotely; an unreachable server is a clear error, not a local run', async () => {
    const ok = setup({ settings: { mode: 'remote', token: '' } });
    expect((await run(ok.sw, SMALL)).summary.ok).toBe(true);
    expect(ok.local.runs.length).toBe(0);
    expect(ok.fake.calls.createSession[0].authorization).toBeNull();

    const down = setup({ settings: { mode: 'remote' }, healthy: [false] });
    const r = await run(down.sw, SMALL);
    expect(down.local.runs.length).toBe(0);
    expect(r.summary.ok).toBe(false);
    expect(r.summary.error?.code).toBe('Unavailable');
    expect(r.summary.error?.message).toMatch(/127\.0\.0\.1:8080 is unreachable/);
    expect(r.events).toEqual([{ type: 'error', id: 0, error: r.summary.error }]);
  });

  it('auto: the server vanishing mid-run -> the run is repeated locally once, with a notice; later runs stay local until /healthz answers again', async () => {
    const vanish = new ConnectError('connection reset', Code.Unavailable);
    const s = setup({ healthy: [true, true], script: () => ({ chunks: remoteChunks.slice(0, 1), streamError: vanish }) });
    const sim = createSimulation(s.sw, now);
    const st = await sim.run(BIG);
    expect(st.status).toBe('done'); // the remote error is not reported: the local run succeeded
    expect(st.error).toBeUndefined();
    expect(s.local.runs.length).toBe(1);
    expect(st.results.list[0].signals.map((x) => x.name)).toEqual(['v(in)', 'v(out)']); // the local run's data replaced the remote header
    expect(s.sw.status.get()).toMatchObject({ active: { mode: 'local', label: LOCAL_LABEL }, notice: FALLBACK_NOTICE, serverReachable: false });

    // next auto run: stays local (cached "unreachable"), no new probe
    await run(s.sw, BIG);
    expect(s.local.runs.length).toBe(2);
    expect(s.probes.length).toBe(1);
    expect(s.sw.status.get().notice).toBe('');

    // once the cached answer is stale, /healthz is asked again and the server is used
    s.advance(60_000);
    await run(s.sw, BIG);
    expect(s.probes.length).toBe(2);
    expect(s.fake.calls.createSession.length).toBe(2);
  });

  it('a netlist error from the server is reported as is (no local retry)', async () => {
    const createError = errorDetail(Code.InvalidArgument, 'parse', 'unknown element', 4, 2);
    const s = setup({ script: () => ({ chunks: [], createError }) });
    const sim = createSimulation(s.sw, now);
    const st = await sim.run(BIG);
    expect(st.status).toBe('error');
    expect(st.error).toMatchObject({ code: 'Parse', line: 4, col: 2 });
    expect(s.local.runs.length).toBe(0);
  });

  it('remote mode: the server vanishing is an error, not a local run', async () => {
    const s = setup({ settings: { mode: 'remote' }, script: () => ({ chunks: [], createError: new ConnectError('gone', Code.Unavailable) }) });
    const r = await run(s.sw, BIG);
    expect(r.summary.error?.code).toBe('Unavailable');
    expect(s.local.runs.length).toBe(0);
    expect(s.sw.status.get().serverReachable).toBe(false);
  });

  it('a remote engine that cannot be loaded: auto falls back with a notice', async () => {
    const settings = createStore<EngineSettings>({ mode: 'auto', baseUrl: 'http://srv', token: 't' });
    const local = new MockEngine(rcScript(1e-3, 10, 1));
    const sw = new EngineSwitch({
      local,
      settings,
      probe: new ServerProbe({ fetch: (async () => Response.json({ status: 'ok' })) as typeof fetch }),
      loadRemote: () => Promise.reject(new Error('chunk load failed')),
    });
    expect((await run(sw, BIG)).summary.ok).toBe(true);
    expect(local.runs.length).toBe(1);
    expect(sw.status.get().notice).toMatch(/chunk load failed — ran locally/);
  });

  it('cancel during a remote run ends cancelled and stops the job', async () => {
    const s = setup({ script: () => ({ chunks: remoteChunks.slice(0, 1), hang: true }) });
    let h!: ReturnType<EngineSwitch['run']>;
    h = s.sw.run(BIG, {}, (e) => {
      if (e.type === 'chunk') h.cancel();
    });
    expect(await h.done).toEqual({ ok: false, cancelled: true });
    expect(await s.fake.stopped).toMatch(/^j/);
    expect(s.local.runs.length).toBe(0);
  });

  it('warmUp probes the server only when it may be used', async () => {
    const a = setup({ settings: { mode: 'local' } });
    await a.sw.warmUp();
    expect(a.probes).toEqual([]);
    const n = setup({ settings: { token: '' } }); // auto without a token: the server may not need one
    await n.sw.warmUp();
    expect(n.probes.length).toBe(1);
    const b = setup();
    await b.sw.warmUp();
    expect(b.probes.length).toBe(1);
    expect(b.sw.status.get().serverReachable).toBe(true);
  });

  it('auto, calibrated: a local probe first; after the server was slower on the big run, the next one stays local', async () => {
    const speeds = new SpeedTracker(250);
    const BIG_COST = 3e6; // 3 unknowns x 1e6 points
    let probes = 0;
    // Clock readings: start and end of each measured run, in order.
    const clock = [0, 2300, 10_000, 11_400];
    const { sw, local, fake } = setup({
      speeds,
      calibrate: async () => {
        probes++;
        speeds.recordLocal(BIG_COST, 1500); // as if the probe showed 2000 cost/ms
      },
      now: () => clock.shift() ?? 0,
    });
    await run(sw, BIG); // threshold (server unmeasured): remote, 2.3 s
    expect(probes).toBe(1);
    expect(fake.calls.createSession.length).toBe(1);
    expect(speeds.model().remoteRate! / (BIG_COST / 2050)).toBeCloseTo(1, 5); // the cost is 3 x (1e6 + 1)
    await run(sw, BIG); // predicted 1.5 s here vs 2.3 s there: local
    expect(local.runs.length).toBe(1);
    expect(fake.calls.createSession.length).toBe(1);
    expect(sw.status.get().reason).toMatch(/fast enough: predicted 1.5 s here, 2.3 s on the server/);
    expect(probes).toBe(1);
    // That local run (1.4 s) was recorded too.
    expect(speeds.model().localRate! / Math.sqrt(2000 * (BIG_COST / 1400))).toBeCloseTo(1, 5);
  });

  it('auto, calibrated: a server measured clearly faster keeps getting the large runs', async () => {
    const speeds = new SpeedTracker(250);
    const clock = [0, 450, 1000, 1450];
    const { sw, local, fake } = setup({ speeds, calibrate: async () => speeds.recordLocal(3e6, 1500), now: () => clock.shift() ?? 0 });
    await run(sw, BIG);
    await run(sw, BIG);
    expect(fake.calls.createSession.length).toBe(2);
    expect(local.runs.length).toBe(0);
    expect(sw.status.get().reason).toMatch(/server faster/);
  });
});
