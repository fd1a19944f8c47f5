// Page side of the wasm engine: one Web Worker (src/worker.ts) per engine,
// runs streamed back as HeaderEvent / ChunkEvent / AnalysisEndEvent.
//
//   const engine = await createEngine();
//   const run = engine.run(netlistText, { save: ['v(out)'] }, (ev) => plot(ev));
//   run.cancel();                      // rejects run.done with code 'Cancelled'
//   const summary = await run.done;    // or an EngineRunError with line / col
//   const csv = await engine.exportAnalysis('csv', columns);  // the bytes `simcore run` writes
//   const d = await engine.describe(netlistText);  // {unknowns, points, devices, ...} without running
//   const json = await engine.convert(netlistText, 'json');  // the JSON circuit model (docs/interop.md)
//   engine.dispose();                  // terminates the worker
import type {
  AnalysisColumns, AnalysisEndEvent, AnalysisType, ChunkEvent, CircuitDescription, ConvertedEvent, DescribedEvent, DescribeOptions, EngineError,
  ExportedEvent, FromWorker, HeaderEvent, ResultFormat, RunOptions, RunStats, SignalInfo, ToWorker,
} from './protocol';

type OneShotAnswer = ExportedEvent | DescribedEvent | ConvertedEvent;

export type StreamEvent = HeaderEvent | ChunkEvent | AnalysisEndEvent;

/** What engine.run() needs of a Worker (a browser Worker, or an adapter around node:worker_threads). */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  addEventListener(type: 'message', fn: (e: { data: FromWorker }) => void): void;
  addEventListener(type: 'error', fn: (e: { message?: string }) => void): void;
  terminate(): void;
}

export interface EngineOptions {
  /** Makes the worker; default: new Worker(new URL('./worker.ts', import.meta.url), {type: 'module'}). */
  createWorker?: () => WorkerLike;
  /** Reject createEngine() when the module is not ready after this many ms (default 30000). */
  readyTimeoutMs?: number;
}

export interface AnalysisSummary {
  index: number;
  analysis: AnalysisType;
  xName: string;
  complex: boolean;
  signals: SignalInfo[];
  rows: number;
  /** The circuit variant it ran on (a .step point, a .temp value); absent for the circuit itself. */
  variant?: string;
}

export interface Summary {
  id: number;
  stats: RunStats;
  analyses: AnalysisSummary[];
}

export interface RunHandle {
  id: number;
  /** Stops the run; `done` rejects with code 'Cancelled' (unless it already settled). */
  cancel(): void;
  done: Promise<Summary>;
}

export interface RunCallOptions extends RunOptions {
  /** Name used in error messages (default "<netlist>"). */
  fileName?: string;
}

export interface DescribeCallOptions extends DescribeOptions {
  /** Name used in error messages (default "<netlist>"). */
  fileName?: string;
}

export interface Engine {
  readonly version: string;
  run(netlist: string, options?: RunCallOptions, onEvent?: (ev: StreamEvent) => void): RunHandle;
  /** One analysis as the file `simcore run` writes for it (csv, json or raw), written by the module. */
  exportAnalysis(format: ResultFormat, analysis: AnalysisColumns, title?: string): Promise<Uint8Array>;
  /** The size of a netlist (unknowns, expected points, devices) without running it; rejects with an EngineRunError. */
  describe(netlist: string, options?: DescribeCallOptions): Promise<CircuitDescription>;
  /**
   * Netlist text -> the JSON circuit model (to 'json', JSON text) or a model -> its netlist
   * (to 'spice'), docs/interop.md; rejects with an EngineRunError (line/column, or the model's
   * JSON Pointer at the start of the message).
   */
  convert(text: string, to: 'json' | 'spice', fileName?: string): Promise<string>;
  dispose(): void;
}

/** An EngineError (protocol.ts) that is also an Error, as run.done rejects with. */
export class EngineRunError extends Error implements EngineError {
  code: string;
  file: string;
  line: number;
  col: number;
  constructor(e: EngineError) {
    super(e.message);
    this.name = 'EngineRunError';
    this.code = e.code;
    this.file = e.file;
    this.line = e.line;
    this.col = e.col;
  }
}

function defaultWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

interface Pending {
  resolve: (s: Summary) => void;
  reject: (e: EngineRunError) => void;
  onEvent?: (ev: StreamEvent) => void;
  analyses: Map<number, AnalysisSummary>;
}

export async function createEngine(opts: EngineOptions = {}): Promise<Engine> {
  const worker = (opts.createWorker ?? defaultWorker)();
  const pending = new Map<number, Pending>();
  // One-shot requests (export, describe): answered by one event of their id, or an error.
  const requests = new Map<number, { answer: OneShotAnswer['type']; resolve: (m: OneShotAnswer) => void; reject: (e: EngineRunError) => void }>();
  let nextId = 1;
  let disposed = false;
  const failAll = (err: EngineRunError) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    for (const r of requests.values()) r.reject(err);
    requests.clear();
  };
  const request = <T>(msg: ToWorker, answer: OneShotAnswer['type'], pick: (m: OneShotAnswer) => T): Promise<T> => {
    if (disposed)
      return Promise.reject(new EngineRunError({ code: 'Cancelled', message: 'the engine was disposed', file: '', line: 0, col: 0 }));
    return new Promise<T>((resolve, reject) => {
      requests.set(msg.id, { answer, resolve: (m) => resolve(pick(m)), reject });
      worker.postMessage(msg);
    });
  };

  const version = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the engine worker did not start')), opts.readyTimeoutMs ?? 30000);
    worker.addEventListener('message', (e) => {
      const m = e.data;
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.version);
      } else if (m.type === 'error' && m.id === 0) {
        clearTimeout(timer);
        reject(new EngineRunError(m.error));
      }
    });
    worker.addEventListener('error', (e) => {
      clearTimeout(timer);
      const err = new EngineRunError({ code: 'Internal', message: `engine worker failed: ${e.message ?? 'unknown error'}`, file: '', line: 0, col: 0 });
      reject(err);
      failAll(err);
    });
  }).catch((e) => {
    worker.terminate();
    throw e;
  });

  worker.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type === 'ready' || m.type === 'warmedUp') return;
    const r = requests.get(m.id);
    if (r && (m.type === r.answer || m.type === 'error')) {
      requests.delete(m.id);
      if (m.type === 'error') r.reject(new EngineRunError(m.error));
      else r.resolve(m as OneShotAnswer);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return; // a cancelled run's late events
    switch (m.type) {
      case 'header':
        p.analyses.set(m.index, { index: m.index, analysis: m.analysis, xName: m.xName, complex: m.complex, signals: m.signals, rows: 0, ...(m.variant ? { variant: m.variant } : {}) });
        p.onEvent?.(m);
        break;
      case 'chunk':
        p.onEvent?.(m);
        break;
      case 'analysisEnd': {
        const a = p.analyses.get(m.index);
        if (a) a.rows = m.rows;
        p.onEvent?.(m);
        break;
      }
      case 'done':
        pending.delete(m.id);
        p.resolve({ id: m.id, stats: m.stats, analyses: [...p.analyses.values()].sort((a, b) => a.index - b.index) });
        break;
      case 'error':
        pending.delete(m.id);
        p.reject(new EngineRunError(m.error));
        break;
    }
  });

  return {
    version,
    run(netlist, options = {}, onEvent) {
      const id = nextId++;
      const { fileName, ...runOptions } = options;
      let handle!: Pending;
      const done = new Promise<Summary>((resolve, reject) => {
        handle = { resolve, reject, onEvent, analyses: new Map() };
      });
      if (disposed) {
        handle.reject(new EngineRunError({ code: 'Cancelled', message: 'the engine was disposed', file: '', line: 0, col: 0 }));
        return { id, cancel() {}, done };
      }
      pending.set(id, handle);
      worker.postMessage({ type: 'run', id, netlist, fileName, options: runOptions });
      return {
        id,
        cancel() {
          if (!pending.has(id)) return;
          worker.postMessage({ type: 'cancel', id });
          // Settle now; the worker's own Cancelled error (or late chunks) is then ignored.
          pending.delete(id);
          handle.reject(new EngineRunError({ code: 'Cancelled', message: 'the run was cancelled', file: '', line: 0, col: 0 }));
        },
        done,
      };
    },
    exportAnalysis(format, analysis, title = '') {
      return request({ type: 'export', id: nextId++, format, title, analysis }, 'exported', (m) => (m as ExportedEvent).bytes);
    },

    describe(netlist, options = {}) {
      const { fileName, ...describeOptions } = options;
      return request({ type: 'describe', id: nextId++, netlist, fileName, options: describeOptions }, 'described',
        (m) => (m as DescribedEvent).description);
    },
    convert(text, to, fileName) {
      return request({ type: 'convert', id: nextId++, text, to, fileName }, 'converted', (m) => (m as ConvertedEvent).text);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      worker.terminate();
      failAll(new EngineRunError({ code: 'Cancelled', message: 'the engine was disposed', file: '', line: 0, col: 0 }));
    },
  };
}
