// Runs netlists on an Engine, one at a time: a new run cancels the previous
// one, and events of a superseded run are dropped. State for the UI lives in
// a store; sample data lives in the ResultSet (mutated in place, with change
// notifications batched to one per animation frame).
import { createStore } from '@/shared/store/create-store';
import type { Engine, EngineError, RunHandle, RunOptions, RunStats } from '@/shared/engine/types';
import { ResultSet } from './results';

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface SimState {
  status: RunStatus;
  runId: number;
  results: ResultSet;
  /** Increments whenever results data changed (batched per frame). */
  dataVersion: number;
  stats?: RunStats;
  error?: EngineError;
  /** Netlist text of the current/last run (diagnostics refer to it). */
  netlist: string;
  /** Wall-clock ms of the last finished run. */
  elapsedMs?: number;
  /** Free-form tag given by the caller (e.g. "schematic" or "netlist"). */
  origin: string;
  /** A run from a slider drag (the UI keeps its plot ranges). */
  live: boolean;
}

export interface SimulationController {
  state: ReturnType<typeof createStore<SimState>>;
  run(netlist: string, options?: RunOptions, meta?: { origin?: string; live?: boolean }): Promise<SimState>;
  cancel(): void;
  /** Cancel any run and forget its results (a new document): status idle, no analyses. */
  clear(): void;
  readonly engine: Engine;
}

type Scheduler = (cb: () => void) => void;
const defaultScheduler: Scheduler =
  typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(() => cb()) : (cb) => setTimeout(cb, 16);

export function createSimulation(engine: Engine, schedule: Scheduler = defaultScheduler): SimulationController {
  const state = createStore<SimState>({
    status: 'idle',
    runId: 0,
    results: new ResultSet(),
    dataVersion: 0,
    netlist: '',
    origin: '',
    live: false,
  });
  let current: RunHandle | null = null;
  let runCounter = 0;
  let pending = false;

  const flush = (runId: number) => {
    pending = false;
    const s = state.get();
    if (s.runId === runId) state.set({ ...s, dataVersion: s.results.version });
  };

  return {
    state,
    engine,
    cancel() {
      current?.cancel();
    },
    clear() {
      current?.cancel();
      current = null;
      const runId = ++runCounter;
      state.set((s) => ({ ...s, status: 'idle', runId, results: new ResultSet(), dataVersion: 0, stats: undefined, error: undefined, netlist: '', origin: '', live: false, elapsedMs: undefined }));
    },
    run(netlist, options = {}, meta = {}) {
      current?.cancel();
      const runId = ++runCounter;
      const results = new ResultSet();
      const started = performance.now();
      state.set((s) => ({
        ...s,
        status: 'running',
        runId,
        results,
        dataVersion: 0,
        stats: undefined,
        error: undefined,
        netlist,
        origin: meta.origin ?? '',
        live: !!meta.live,
        elapsedMs: undefined,
      }));
      let error: EngineError | undefined;
      const handle = engine.run(netlist, options, (ev) => {
        if (state.get().runId !== runId) return;
        if (ev.type === 'error') {
          error = ev.error;
          return;
        }
        if (results.apply(ev)) {
          // Headers and ends go out at once (new panes); chunks once per frame.
          if (ev.type !== 'chunk') flush(runId);
          else if (!pending) {
            pending = true;
            schedule(() => flush(runId));
          }
        }
      });
      current = handle;
      return handle.done.then((summary) => {
        if (state.get().runId !== runId) return state.get();
        if (current === handle) current = null;
        const err = summary.error ?? error;
        const status: RunStatus = summary.cancelled ? 'cancelled' : summary.ok && !err ? 'done' : 'error';
        state.set((s) => ({
          ...s,
          status,
          stats: summary.stats,
          error: status === 'error' ? err : undefined,
          dataVersion: results.version,
          elapsedMs: performance.now() - started,
        }));
        return state.get();
      });
    },
  };
}
