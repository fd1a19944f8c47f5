// Types of the Embind module built from wasm/bindings.cpp (build/wasm/simcore.mjs).
import type {
  AnalysisColumns, AnalysisEndEvent, ChunkEvent, CircuitDescription, DescribeOptions, DeviceLosses, EngineError, HeaderEvent, Measurement,
  ResultFormat,
} from './protocol';

/** Options of Simulation.load(): RunOptions of protocol.ts. */
export interface LoadOptions {
  save?: string[];
  chunkRows?: number;
  params?: Record<string, number>;
  maxTimePoints?: number;
}

/** Without `id` (the worker adds it). */
export type SimEvent =
  | Omit<HeaderEvent, 'id'>
  | Omit<ChunkEvent, 'id'>
  | Omit<AnalysisEndEvent, 'id'>;

export interface AdvanceStatus {
  state: 'running' | 'done' | 'error';
  progress: number;
  error?: EngineError;
}

export interface SimStats {
  acceptedPoints: number;
  rejectedSteps: number;
  newtonIterations: number;
  newtonFailures: number;
  factorizations: number;
  refactorizations: number;
  solves: number;
  events: number;
  /** "event", "spice" or "linear" (the transient's switching mode); "" without a transient */
  switchingMode: string;
  configurations: number;
  factorCacheHits: number;
  unknowns: number;
  nonzeros: number;
  setupSeconds: number;
  loadSeconds: number;
  factorSeconds: number;
  solveSeconds: number;
  opStrategies: string[];
  /** Losses (docs/power.md): per power semiconductor; empty when none were metered. */
  losses: DeviceLosses[];
  lossFrom: number;
  lossTo: number;
  inputPower: number;
  outputPower: number;
  lossPower: number;
  efficiency: number;
  thermalStep: number;
  /** The netlist's .meas results, in order. */
  measures: Measurement[];
  /** A .control script's printed text, failed commands and files (empty without a script). */
  scriptOutput: string;
  scriptErrors: string[];
  scriptFiles: { name: string; data: Uint8Array }[];
}

export interface SimInfo {
  title: string;
  devices: number;
  warnings: EngineError[];
  analyses: { type: 'op' | 'dc' | 'ac' | 'tran'; tstep: number; tstop: number; tstart: number; tmax: number }[];
}

/** .include resolver: file text, or an error message; must not throw. */
export type IncludeResolver = (path: string, fromFile: string) => { name?: string; text: string } | { error: string } | null;

/** A result file written in memory by the module (io/). */
export interface WrittenFile {
  name: string; // "<stem>.<analysis>.<ext>"
  analysis: string;
  rows: number;
  partial: boolean;
  bytes: Uint8Array;
}

export interface Simulation {
  /** null on success, else the error (parse, topology, ...). */
  load(netlist: string, fileName: string, options: LoadOptions | string | null, resolver: IncludeResolver | null): EngineError | null;
  advance(budgetRows: number): AdvanceStatus;
  takeEvents(): SimEvent[];
  /** Results into files in memory (takeEvents() then stays empty); null or an error. */
  writeTo(format: ResultFormat, stem: string): EngineError | null;
  /** Files whose analysis ended since the last call. */
  takeFiles(): WrittenFile[];
  /** After an error: close the open analysis's file as partial (then takeFiles()). */
  finishPartial(): void;
  progress(): number;
  stats(): SimStats;
  info(): SimInfo;
  delete(): void;
}

export interface SimcoreModule {
  version(): string;
  /** Every EngineError.code the engine gives, in the engine's order (its one error-code table). */
  errorCodes(): string[];
  writeAnalysis(format: ResultFormat, analysis: AnalysisColumns, title: string): { bytes?: Uint8Array; error?: EngineError };
  /** The size of a netlist without running it; parse errors as `error`. */
  describe(
    netlist: string,
    fileName: string,
    options: DescribeOptions | null,
    resolver: IncludeResolver | null,
  ): { description: CircuitDescription } | { error: EngineError };
  /** Netlist -> JSON circuit model (to "json") or model -> netlist (to "spice"); errors as `error`. */
  convert(text: string, to: 'json' | 'spice', fileName: string): { text: string } | { error: EngineError };
  Simulation: { new (): Simulation };
}

export interface ModuleArgs {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
  print?: (s: string) => void;
  printErr?: (s: string) => void;
}

export type CreateSimcoreModule = (args?: ModuleArgs) => Promise<SimcoreModule>;
