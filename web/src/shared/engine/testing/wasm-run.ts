// A whole run of the wasm engine (build/wasm) in the test process, without a
// worker: the statistics and every row of the transient, for tests that check
// what a circuit the app generates actually does.
import type { EngineError } from '@simcore/wasm/protocol';
import type { SimStats } from '@simcore/wasm/simcore_module';
import { loadWasmModule } from './wasm-describe';

export interface WasmRun {
  stats: SimStats;
  /** Signal name -> values, the first analysis's rows; "time" (or its x name) included. */
  columns: Record<string, Float64Array>;
}

/** Runs `netlist` to the end (saving `save`, or the default signals); rejects with the EngineError. */
export async function wasmRun(netlist: string, save?: string[]): Promise<WasmRun> {
  const mod = await loadWasmModule();
  const sim = new mod.Simulation();
  try {
    const fail = (e: EngineError) => Object.assign(new Error(e.message), e);
    const err = sim.load(netlist, '<netlist>', save ? { save } : null, null);
    if (err) throw fail(err);
    let names: string[] = [];
    let xName = 'x';
    const parts: Float64Array[][] = [];
    const collect = () => {
      for (const ev of sim.takeEvents()) {
        if (ev.type === 'header' && ev.index === 0) {
          names = ev.signals.map((s) => s.name);
          xName = ev.xName || 'x';
        } else if (ev.type === 'chunk' && ev.index === 0) {
          parts.push([ev.x, ...ev.re]);
        }
      }
    };
    for (;;) {
      const st = sim.advance(100_000);
      collect();
      if (st.state === 'error') throw fail(st.error!);
      if (st.state === 'done') break;
    }
    const join = (k: number) => {
      const out = new Float64Array(parts.reduce((n, p) => n + p[k].length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p[k], at);
        at += p[k].length;
      }
      return out;
    };
    const columns: Record<string, Float64Array> = { [xName]: join(0) };
    names.forEach((n, i) => (columns[n] = join(i + 1)));
    return { stats: sim.stats(), columns };
  } finally {
    sim.delete();
  }
}
