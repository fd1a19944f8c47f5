// Stand-in for wasm/src/engine.ts while it is not in the tree (see
// vite.config.ts). It is not an engine: every attempt to create one fails
// with a message that says how to get the real one.
import type { AnalysisColumns, CircuitDescription, DescribeOptions, FromWorker, ResultFormat, RunOptions } from '@simcore/wasm/protocol';

export interface WasmRun {
  cancel(): void;
  done: Promise<unknown>;
}
export interface WasmEngine {
  run(netlist: string, options: RunOptions, onEvent: (ev: FromWorker) => void): WasmRun;
  exportAnalysis(format: ResultFormat, analysis: AnalysisColumns, title?: string): Promise<Uint8Array>;
  describe(netlist: string, options?: DescribeOptions): Promise<CircuitDescription>;
  convert(text: string, to: 'json' | 'spice', fileName?: string): Promise<string>;
}

export async function createEngine(): Promise<WasmEngine> {
  throw new Error('the wasm engine is not part of this build (run `make wasm`, then `make web`)');
}
