// EngineSwitch: the Engine the app uses. Per run it picks the local wasm
// engine or a RemoteEngine (policy.ts), probing the server first when the
// cached answer is stale. An auto-mode remote run that fails because the
// server went away is run again locally, once, with a notice; the probe is
// marked unreachable so later auto runs stay local until /healthz answers again.
// The same for a token the server refuses (expired, revoked): the run is
// repeated locally with a notice and the token is remembered as refused, so
// auto mode stays local until another token is set. A server whose /healthz
// says "auth": "none" (--insecure-no-auth) is used without a token.
// Forced remote mode reports both as errors instead.
import { createStore, type Store } from '@/shared/store/create-store';
import type { CircuitDescription, DescribeOptions } from '@simcore/wasm/protocol';
import { calibratedChoice, costOf, decide, REMOTE_COST_THRESHOLD, type EngineChoice } from './policy';
import type { SpeedTracker } from './speeds';
import { hostOf, resolveBaseUrl, type EngineSettings, type ServerProbe } from './server';
import type { Engine, EngineMode, ErrorEvent, RunEvent, RunHandle, RunOptions, RunSummary } from './types';
import { internalError, settleOnce } from './types';

export interface ActiveEngine {
  mode: EngineMode;
  /** "local (wasm)" or "remote (host:port)". */
  label: string;
}

export interface EngineStatus {
  /** The engine of the current or last run. */
  active: ActiveEngine;
  /** Last probe of the server (undefined: never probed). */
  serverReachable?: boolean;
  /** Why the last run went where it went. */
  reason: string;
  /** Something the user should know about the last run ('' = nothing). */
  notice: string;
}

export type RemoteFactory = (baseUrl: string, token: () => string | undefined) => Promise<Engine>;

export interface EngineSwitchDeps {
  /** The local engine; its describe() sizes a netlist for the auto policy. */
  local: Engine & { warmUp?(): Promise<unknown>; describe(netlist: string, options?: DescribeOptions): Promise<CircuitDescription> };
  settings: Store<EngineSettings>;
  probe: ServerProbe;
  /** Creates a RemoteEngine; the app passes a dynamic import so the gRPC code loads on demand. */
  loadRemote: RemoteFactory;
  /** Origin used when settings.baseUrl is empty (default: the page's). */
  origin?: string;
  threshold?: number;
  /**
   * Measured speeds (auto mode): every finished auto run is recorded, and once both engines
   * are measured the predicted times decide instead of the threshold.
   */
  speeds?: SpeedTracker;
  /** A short timed local run that records the local speed (called once, before the first large auto run). */
  calibrate?: () => Promise<void>;
  /** Clock for the speed measurements, ms. */
  now?: () => number;
}

export const LOCAL_LABEL = 'local (wasm)';
export const FALLBACK_NOTICE = 'server unreachable — ran locally';
export const TOKEN_REFUSED_NOTICE = "the server refused the saved token — ran locally; open the server's ready URL again to renew it";
export const TOKEN_MISSING_NOTICE = "the server asked for a token — ran locally; open the server's ready URL to get one";

export class EngineSwitch implements Engine {
  readonly status: Store<EngineStatus>;
  private remote: { baseUrl: string; engine: Promise<Engine> } | null = null;
  private calibration: Promise<void> | null = null;

  constructor(private readonly deps: EngineSwitchDeps) {
    this.status = createStore<EngineStatus>({ active: { mode: 'local', label: LOCAL_LABEL }, reason: '', notice: '' });
    deps.probe.onChange = (ok) => this.status.set((s) => (s.serverReachable === ok ? s : { ...s, serverReachable: ok }));
  }

  get mode(): EngineMode {
    return this.status.get().active.mode;
  }

  get settings(): Store<EngineSettings> {
    return this.deps.settings;
  }

  get baseUrl(): string {
    return resolveBaseUrl(this.deps.settings.get(), this.deps.origin);
  }

  /** Load the wasm module and probe the server (unless the user chose local). */
  warmUp(): Promise<unknown> {
    const jobs: Promise<unknown>[] = [this.deps.local.warmUp?.() ?? Promise.resolve()];
    const s = this.deps.settings.get();
    // auto without a token too: /healthz may say the server needs none.
    if (s.mode === 'remote' || s.mode === 'auto') jobs.push(this.deps.probe.reachable(this.baseUrl));
    return Promise.all(jobs).catch(() => undefined);
  }

  setMode(mode: EngineChoice) {
    this.deps.settings.set((s) => ({ ...s, mode }));
  }

  private remoteEngine(baseUrl: string): Promise<Engine> {
    if (!this.remote || this.remote.baseUrl !== baseUrl) {
      const engine = this.deps.loadRemote(baseUrl, () => this.deps.settings.get().token || undefined);
      engine.catch(() => {
        if (this.remote?.engine === engine) this.remote = null; // retry the import next time
      });
      this.remote = { baseUrl, engine };
    }
    return this.remote.engine;
  }

  /** Cost of a run (policy.ts) from the local engine's describe(); 0 when the engine cannot read the netlist (the local run then says why). */
  private async cost(netlist: string, options: RunOptions): Promise<number> {
    try {
      const d = await this.deps.local.describe(netlist, { params: options.params, analyses: options.analyses, tstop: options.tstop });
      return costOf(d).cost;
    } catch {
      return 0;
    }
  }

  /** The local probe, once (a failed probe leaves the threshold in charge). */
  private calibrateOnce(): Promise<void> {
    this.calibration ??= (this.deps.calibrate?.() ?? Promise.resolve()).catch(() => undefined);
    return this.calibration;
  }

  private clock(): number {
    return this.deps.now?.() ?? performance.now();
  }

  private setActive(active: ActiveEngine, reason: string, notice = '') {
    this.status.set((s) => ({ ...s, active, reason, notice }));
  }

  run(netlist: string, options: RunOptions, onEvent: (ev: RunEvent) => void): RunHandle {
    let cancelled = false;
    let inner: RunHandle | null = null;
    const { done, finish, settled } = settleOnce();
    const forward = (ev: RunEvent) => {
      if (!cancelled && !settled()) onEvent(ev);
    };
    const runOn = async (engine: Engine, hold: boolean): Promise<{ summary: RunSummary; held: ErrorEvent | null }> => {
      let held: ErrorEvent | null = null;
      const h = engine.run(netlist, options, (ev) => {
        if (hold && ev.type === 'error') held = ev;
        else forward(ev);
      });
      inner = h;
      if (cancelled) h.cancel();
      return { summary: await h.done, held };
    };
    let cost = 0;
    const runLocal = async (reason: string, notice = '') => {
      this.setActive({ mode: 'local', label: LOCAL_LABEL }, reason, notice);
      const t0 = this.clock();
      const { summary } = await runOn(this.deps.local, false);
      if (summary.ok && !summary.cancelled && cost > 0) this.deps.speeds?.recordLocal(cost, this.clock() - t0);
      finish(summary);
    };

    (async () => {
      const settings = this.deps.settings.get();
      const baseUrl = this.baseUrl;
      const host = hostOf(baseUrl);
      cost = settings.mode === 'auto' ? await this.cost(netlist, options) : 0;
      if (cancelled) return finish({ ok: false, cancelled: true });
      const threshold = this.deps.threshold ?? REMOTE_COST_THRESHOLD;
      const speeds = this.deps.speeds;
      if (settings.mode === 'auto' && speeds && speeds.model().localRate === undefined && cost > threshold) await this.calibrateOnce();
      if (cancelled) return finish({ ok: false, cancelled: true });
      const model = speeds?.model();
      const calibrated = calibratedChoice(cost, model);
      // Ask the server only when its answer can change the decision (a small
      // auto run starts at once, without waiting for /healthz).
      // (Also without a usable token: /healthz says whether the server needs one.)
      const needProbe = settings.mode === 'remote' || (settings.mode === 'auto' && (calibrated ? calibrated.engine === 'remote' : cost > threshold));
      const reachable = needProbe ? await this.deps.probe.reachable(baseUrl) : (this.deps.probe.cached(baseUrl) ?? false);
      if (cancelled) return finish({ ok: false, cancelled: true });
      const token = settings.token;
      const d = decide({
        mode: settings.mode,
        serverReachable: reachable,
        hasToken: !!token,
        tokenRefused: !!token && settings.refusedToken === token,
        serverAuth: reachable ? this.deps.probe.auth(baseUrl) : undefined,
        cost,
        serverHost: host,
        threshold,
        ...(model ? { speeds: model } : {}),
      });

      if (d.engine === 'error') {
        this.setActive({ mode: 'remote', label: `remote (${host})` }, d.error.message);
        forward({ type: 'error', id: 0, error: d.error });
        return finish({ ok: false, cancelled: false, error: d.error });
      }
      if (d.engine === 'local') return runLocal(d.reason);

      let remote: Engine;
      try {
        remote = await this.remoteEngine(baseUrl);
      } catch (e) {
        const error = internalError(`cannot load the remote engine: ${e instanceof Error ? e.message : String(e)}`);
        if (settings.mode === 'auto') return runLocal('remote engine not loadable', `${error.message} — ran locally`);
        forward({ type: 'error', id: 0, error });
        return finish({ ok: false, cancelled: false, error });
      }
      if (cancelled) return finish({ ok: false, cancelled: true });
      this.setActive({ mode: 'remote', label: `remote (${host})` }, d.reason);
      // In auto mode an error is held back until we know it is not "server gone".
      const t0 = this.clock();
      const { summary, held } = await runOn(remote, settings.mode === 'auto');
      if (summary.ok && !summary.cancelled && cost > 0) this.deps.speeds?.recordRemote(cost, this.clock() - t0);
      const failed = !summary.ok && !summary.cancelled ? summary.error?.code : undefined;
      const gone = failed === 'Unavailable';
      if (gone) this.deps.probe.mark(baseUrl, false);
      if (gone && settings.mode === 'auto' && !cancelled) return runLocal('the server became unreachable', FALLBACK_NOTICE);
      if (failed === 'Unauthenticated') {
        // Remember the refused token (unless the user has replaced it meanwhile).
        if (token) this.deps.settings.set((s) => (s.token === token && s.refusedToken !== token ? { ...s, refusedToken: token } : s));
        if (settings.mode === 'auto' && !cancelled)
          return runLocal(token ? 'the server refused the saved token' : 'the server asked for a token', token ? TOKEN_REFUSED_NOTICE : TOKEN_MISSING_NOTICE);
      }
      if (held) forward(held);
      finish(summary);
    })().catch((e: unknown) => {
      const error = internalError(e instanceof Error ? e.message : String(e));
      forward({ type: 'error', id: 0, error });
      finish({ ok: false, cancelled: false, error });
    });

    return {
      cancel() {
        if (cancelled || settled()) return;
        cancelled = true;
        inner?.cancel();
        finish({ ok: false, cancelled: true });
      },
      done,
    };
  }
}
