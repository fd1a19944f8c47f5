// The one Engine interface of the app. LocalEngine runs the wasm kernel in a
// Web Worker; RemoteEngine (gRPC-Web to `simcore serve`) implements the same
// interface and EngineSwitch picks one of them per run. Event types are the
// worker protocol's own.
import type {
  AnalysisEndEvent,
  ChunkEvent,
  DoneEvent,
  EngineError,
  ErrorEvent,
  HeaderEvent,
  RunOptions as WorkerRunOptions,
  RunStats,
} from '@simcore/wasm/protocol';

/**
 * Options of one run: the worker protocol's, plus the server's
 * SimulationOptions that the worker does not have. The local engine ignores
 * the remote-only ones (it runs the netlist's own analysis cards).
 */
export interface RunOptions extends WorkerRunOptions {
  /** Remote only: analysis cards replacing the netlist's, e.g. [".tran 1n 10u"]. */
  analyses?: string[];
  /** Remote only: overrides tstop of every .tran (s). */
  tstop?: number;
  /** Remote only: overrides tmax of every .tran (s). */
  maxStep?: number;
  /** Remote only: transient rows on the tstep grid instead of every accepted step. */
  interpolate?: boolean;
}

export type {
  AnalysisColumns,
  AnalysisEndEvent,
  AnalysisType,
  ChunkEvent,
  DoneEvent,
  EngineError,
  ErrorEvent,
  HeaderEvent,
  Measurement,
  ResultFormat,
  RunStats,
  RunWarning,
  ScriptFile,
  ScriptOutput,
  SignalInfo,
  SignalKind,
} from '@simcore/wasm/protocol';

/** Events one run delivers, in order: header, chunk*, analysisEnd per analysis, then done or error. */
export type RunEvent = HeaderEvent | ChunkEvent | AnalysisEndEvent | DoneEvent | ErrorEvent;

/** How a run ended. Exactly one of stats / error is set. */
export interface RunSummary {
  ok: boolean;
  cancelled: boolean;
  stats?: RunStats;
  error?: EngineError;
}

export interface RunHandle {
  /** Stop the run; `done` then resolves with cancelled = true. Idempotent. */
  cancel(): void;
  /** Resolves (never rejects) once the run finished, failed or was cancelled. */
  done: Promise<RunSummary>;
}

export type EngineMode = 'local' | 'remote';

/** Writes result files the way `simcore run` does (the wasm module's io/ writer). */
export interface ResultWriter {
  exportAnalysis(
    format: import('@simcore/wasm/protocol').ResultFormat,
    analysis: import('@simcore/wasm/protocol').AnalysisColumns,
    title?: string,
  ): Promise<Uint8Array>;
}

export interface Engine {
  readonly mode: EngineMode;
  /** Start a run. Events for this run only are passed to onEvent, synchronously in order. */
  run(netlist: string, options: RunOptions, onEvent: (ev: RunEvent) => void): RunHandle;
}

/** The `done` promise of a run, resolved by the first `finish` (later calls are ignored). */
export function settleOnce(): { done: Promise<RunSummary>; finish: (s: RunSummary) => void; settled: () => boolean } {
  let settled = false;
  let resolve!: (s: RunSummary) => void;
  const done = new Promise<RunSummary>((r) => (resolve = r));
  return {
    done,
    finish: (s) => {
      if (settled) return;
      settled = true;
      resolve(s);
    },
    settled: () => settled,
  };
}

export function internalError(message: string, code = 'Internal'): EngineError {
  return { code, message, file: '', line: 0, col: 0 };
}
