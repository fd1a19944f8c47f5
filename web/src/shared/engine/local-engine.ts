// LocalEngine: the simcore kernel compiled to wasm, running in a Web Worker
// (wasm/src/engine.ts + worker.ts). The worker is created on the first run
// (or describe) and reused; each run gets its own RunHandle.
import { createEngine } from '@simcore/wasm/engine';
import type { AnalysisColumns, Engine, ResultFormat, ResultWriter, RunEvent, RunHandle, RunOptions, RunStats, RunSummary } from './types';
import { internalError, settleOnce } from './types';
import type { CircuitDescription, DescribeOptions, RunOptions as WorkerRunOptions } from '@simcore/wasm/protocol';
import { filesFor } from '@/features/models/library';

type WasmEngine = Awaited<ReturnType<typeof createEngine>>;

export class LocalEngine implements Engine, ResultWriter {
  readonly mode = 'local' as const;
  private engine: Promise<WasmEngine> | null = null;

  /** Start loading the wasm module early (e.g. at app start). */
  warmUp(): Promise<unknown> {
    return this.load().catch(() => undefined);
  }

  private load(): Promise<WasmEngine> {
    if (!this.engine) {
      this.engine = createEngine();
      this.engine.catch(() => {
        this.engine = null; // allow a retry
      });
    }
    return this.engine;
  }

  /** One analysis as the file `simcore run` writes (csv, json or raw), by the wasm module's writer. */
  async exportAnalysis(format: ResultFormat, analysis: AnalysisColumns, title = ''): Promise<Uint8Array> {
    const engine = await this.load();
    return engine.exportAnalysis(format, analysis, title);
  }

  /** The size of a netlist (unknowns, expected points) from the engine, without running it; rejects with its EngineError. */
  describe(netlist: string, options: DescribeOptions = {}): Promise<CircuitDescription> {
    const files = filesFor(netlist);
    return this.load().then((engine) => engine.describe(netlist, files ? { ...options, files } : options));
  }

  /** Netlist text -> the JSON circuit model (to 'json') or a model -> its netlist (to 'spice'), by the engine (docs/interop.md). */
  convert(text: string, to: 'json' | 'spice', fileName?: string): Promise<string> {
    return this.load().then((engine) => engine.convert(text, to, fileName));
  }

  run(netlist: string, options: RunOptions, onEvent: (ev: RunEvent) => void): RunHandle {
    let cancelled = false;
    let inner: { cancel(): void } | null = null;
    const { done, finish, settled } = settleOnce();

    this.load().then(
      (engine) => {
        if (cancelled) return finish({ ok: false, cancelled: true });
        let summary: RunSummary | null = null;
        try {
          const run = engine.run(netlist, workerOptions(options, netlist), (raw) => {
            // Stream events; done/error may also arrive here (older engines) or only via run.done.
            const ev = raw as unknown as RunEvent | { type: 'ready' };
            if (cancelled || settled()) return;
            if (ev.type === 'ready') return;
            if (ev.type === 'done') summary = { ok: true, cancelled: false, stats: ev.stats };
            if (ev.type === 'error')
              summary = { ok: false, cancelled: ev.error.code === 'Cancelled', error: ev.error };
            onEvent(ev as RunEvent);
          });
          inner = run;
          // run.done resolves with a summary carrying the statistics, or
          // rejects with an EngineRunError {code, message, file, line, col}.
          Promise.resolve(run.done).then(
            (s: unknown) => {
              const stats = (s as { stats?: RunStats } | undefined)?.stats;
              finish(cancelled ? { ok: false, cancelled: true } : (summary ?? { ok: true, cancelled: false, stats }));
            },
            (e: unknown) => {
              const error = toEngineError(e);
              finish(
                cancelled || error.code === 'Cancelled'
                  ? { ok: false, cancelled: true }
                  : summary ?? { ok: false, cancelled: false, error },
              );
            },
          );
        } catch (e) {
          finish({ ok: false, cancelled: false, error: toEngineError(e) });
        }
      },
      (e: unknown) => {
        const error = internalError(`cannot start the engine: ${e instanceof Error ? e.message : String(e)}`);
        if (!cancelled) onEvent({ type: 'error', id: 0, error });
        finish({ ok: false, cancelled, error });
      },
    );

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

/** The options the worker understands (the remote-only ones dropped). */
function workerOptions(o: RunOptions, netlist: string): WorkerRunOptions {
  const { analyses: _a, tstop: _t, maxStep: _m, interpolate: _i, ...rest } = o;
  const files = filesFor(netlist);
  return files ? { ...rest, files } : rest;
}

function toEngineError(e: unknown) {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as Record<string, unknown>;
    return {
      code: String(o.code),
      message: String(o.message),
      file: String(o.file ?? ''),
      line: Number(o.line ?? 0),
      col: Number(o.col ?? 0),
    };
  }
  return internalError(e instanceof Error ? e.message : String(e));
}
