// A scripted Engine for unit tests only (never used by the app): it replays
// the events a script gives for a netlist, one per macrotask, and honours
// cancel like the real worker. describe() is the real engine's (wasm-describe.ts).
import type { CircuitDescription, DescribeOptions } from '@simcore/wasm/protocol';
import type { Engine, RunEvent, RunHandle, RunOptions, RunSummary } from '../types';
import { wasmDescribe } from './wasm-describe';

export type Script = (netlist: string, options: RunOptions, id: number) => RunEvent[];

export class MockEngine implements Engine {
  readonly mode = 'local' as const;
  runs: { netlist: string; options: RunOptions; cancelled: boolean }[] = [];
  private nextId = 1;
  constructor(private script: Script) {}

  describe(netlist: string, options: DescribeOptions = {}): Promise<CircuitDescription> {
    return wasmDescribe(netlist, options);
  }

  run(netlist: string, options: RunOptions, onEvent: (ev: RunEvent) => void): RunHandle {
    const id = this.nextId++;
    const events = this.script(netlist, options, id);
    const record = { netlist, options, cancelled: false };
    this.runs.push(record);
    let resolve!: (s: RunSummary) => void;
    const done = new Promise<RunSummary>((r) => (resolve = r));
    let i = 0;
    let stopped = false;
    const step = () => {
      if (stopped) return;
      if (i >= events.length) {
        stopped = true;
        return resolve({ ok: true, cancelled: false });
      }
      const ev = events[i++];
      onEvent(ev);
      if (ev.type === 'done') {
        stopped = true;
        return resolve({ ok: true, cancelled: false, stats: ev.stats });
      }
      if (ev.type === 'error') {
        stopped = true;
        return resolve({ ok: false, cancelled: false, error: ev.error });
      }
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
    return {
      cancel() {
        if (stopped) return;
        stopped = true;
        record.cancelled = true;
        resolve({ ok: false, cancelled: true });
      },
      done,
    };
  }
}

/** Events of an RC step response v(out) = 1 - exp(-t/tau), in chunks. */
export function rcScript(tau = 1e-3, rowsPerChunk = 50, chunks = 4): Script {
  return (_n, _o, id) => {
    const evs: RunEvent[] = [
      {
        type: 'header',
        id,
        analysis: 'tran',
        index: 0,
        xName: 'time',
        complex: false,
        signals: [
          { name: 'v(in)', kind: 'voltage' },
          { name: 'v(out)', kind: 'voltage' },
        ],
      },
    ];
    const total = rowsPerChunk * chunks;
    for (let c = 0; c < chunks; c++) {
      const x = new Float64Array(rowsPerChunk);
      const vin = new Float64Array(rowsPerChunk);
      const vout = new Float64Array(rowsPerChunk);
      for (let i = 0; i < rowsPerChunk; i++) {
        const t = ((c * rowsPerChunk + i) / (total - 1)) * 10 * tau;
        x[i] = t;
        vin[i] = 1;
        vout[i] = 1 - Math.exp(-t / tau);
      }
      evs.push({ type: 'chunk', id, index: 0, rows: rowsPerChunk, x, re: [vin, vout], im: [] });
    }
    evs.push({ type: 'analysisEnd', id, index: 0, rows: total });
    evs.push({
      type: 'done',
      id,
      stats: { acceptedPoints: total, rejectedSteps: 0, newtonIterations: total, factorizations: 1, refactorizations: 0, unknowns: 3, seconds: 0.001 },
    });
    return evs;
  };
}
