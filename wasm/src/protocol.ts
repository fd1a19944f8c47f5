// Messages between the page and the engine Web Worker. One source of truth
// for wasm/src/worker.ts (the worker side) and wasm/src/engine.ts (the page
// side); the web app only uses engine.ts.
//
// page -> worker : RunRequest, CancelRequest, DescribeRequest
// worker -> page : ReadyEvent (once), then per run: HeaderEvent per analysis,
//                  ChunkEvent* (ArrayBuffers transferred, not copied),
//                  AnalysisEndEvent per analysis, then DoneEvent or ErrorEvent;
//                  per DescribeRequest: DescribedEvent or ErrorEvent (answered
//                  at once, also while a run is in progress).

export type AnalysisType = 'op' | 'dc' | 'ac' | 'tran';
export type SignalKind = 'voltage' | 'current';

export interface RunOptions {
  /** Only these signals, e.g. ["v(out)", "i(vin)"]; default: .save cards or everything. */
  save?: string[];
  /** Rows per chunk sent to the page (default 1024). */
  chunkRows?: number;
  /** Top-level .param overrides (sliders), names lower case. */
  params?: Record<string, number>;
  /** Time-point limit (0 = none). */
  maxTimePoints?: number;
  /** Measure time in load/factor/solve (costs ~20 % in wasm; default false in the worker). */
  phaseTimes?: boolean;
}

export interface RunRequest {
  type: 'run';
  id: number;
  netlist: string;
  fileName?: string;
  options?: RunOptions;
}

export interface CancelRequest {
  type: 'cancel';
  id: number;
}

export interface DescribeOptions {
  /** Top-level .param overrides, names lower case. */
  params?: Record<string, number>;
  /** Analysis cards replacing the netlist's, e.g. [".tran 1n 10u"]. */
  analyses?: string[];
  /** Overrides tstop of every .tran (s). */
  tstop?: number;
}

/** The size of a netlist without running it (the engine's simcore/describe.hpp). */
export interface CircuitDescription {
  title: string;
  /** Distinct non-ground nodes. */
  nodes: number;
  /** Branch-current unknowns (V, L, E, H). */
  branches: number;
  /** nodes + branches (internal nodes behind series resistances not counted). */
  unknowns: number;
  devices: { letter: string; kind: string; count: number }[];
  /** Expected rows per analysis, in netlist order. */
  analyses: { type: AnalysisType; points: number }[];
  /** Sum over the analyses (at least 1). */
  points: number;
}

export interface DescribeRequest {
  type: 'describe';
  id: number;
  netlist: string;
  fileName?: string;
  options?: DescribeOptions;
}

export type ToWorker = RunRequest | CancelRequest | DescribeRequest;

export interface SignalInfo {
  name: string; // "v(out)", "i(vin)"
  kind: SignalKind;
}

export interface ReadyEvent {
  type: 'ready';
  version: string;
}

export interface HeaderEvent {
  type: 'header';
  id: number;
  analysis: AnalysisType;
  index: number; // position among the netlist's analyses
  xName: string; // "time", "frequency", swept source, "" for op
  complex: boolean; // ac: re and im arrays
  signals: SignalInfo[];
}

export interface ChunkEvent {
  type: 'chunk';
  id: number;
  index: number; // analysis index
  rows: number;
  x: Float64Array; // empty for op
  re: Float64Array[]; // one per signal
  im: Float64Array[]; // one per signal when complex, else []
}

export interface AnalysisEndEvent {
  type: 'analysisEnd';
  id: number;
  index: number;
  rows: number;
}

export interface RunStats {
  acceptedPoints: number;
  rejectedSteps: number;
  newtonIterations: number;
  factorizations: number;
  refactorizations: number;
  unknowns: number;
  seconds: number;
}

export interface DoneEvent {
  type: 'done';
  id: number;
  stats: RunStats;
}

export interface EngineError {
  code: string; // "Parse", "Semantic", "Topology", "Singular", "Convergence", "TimestepTooSmall", "Cancelled", "Limit", "Internal"
  message: string;
  file: string;
  line: number; // 1-based, 0 = unknown
  col: number; // 1-based, 0 = unknown
}

export interface ErrorEvent {
  type: 'error';
  id: number;
  error: EngineError;
}

export interface DescribedEvent {
  type: 'described';
  id: number;
  description: CircuitDescription;
}

export type FromWorker = ReadyEvent | HeaderEvent | ChunkEvent | AnalysisEndEvent | DoneEvent | ErrorEvent | DescribedEvent;
