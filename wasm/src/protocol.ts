// Messages between the page and the engine Web Worker. One source of truth
// for wasm/src/worker.ts (the worker side) and wasm/src/engine.ts (the page
// side); the web app only uses engine.ts.
//
// page -> worker : RunRequest, CancelRequest, ExportRequest, DescribeRequest, ConvertRequest
// worker -> page : ReadyEvent (once), WarmedUpEvent (once), then per run: HeaderEvent per analysis,
//                  ChunkEvent* (ArrayBuffers transferred, not copied),
//                  AnalysisEndEvent per analysis, then DoneEvent or ErrorEvent;
//                  per ExportRequest: ExportedEvent or ErrorEvent (same id);
//                  per DescribeRequest: DescribedEvent or ErrorEvent (answered
//                  at once, also while a run is in progress); per ConvertRequest:
//                  ConvertedEvent or ErrorEvent (likewise at once).

/** pss: one period at steady state (like tran); fra: a switching circuit's frequency response (complex, like ac);
 * noise: .noise spectral densities over frequency; noise_total: its integrated noise and tf: .tf's values (one row, like op);
 * pz: .pz's poles and zeros (one complex row: pole(1).., zero(1).. in rad/s);
 * sp: .sp's S-parameters over frequency (complex: s_i_j, y_i_j, z_i_j, ...). */
export type AnalysisType = 'op' | 'dc' | 'ac' | 'tran' | 'pss' | 'fra' | 'losses' | 'noise' | 'noise_total' | 'tf' | 'pz' | 'pss_spectrum' | 'sens' | 'sp';
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
  /** Transient rows on the .tran tstep grid (the engine's dense output) instead of every accepted step. */
  interpolate?: boolean;
  /**
   * Files the netlist's .include/.lib cards (and models' losses="...") may name, by the path
   * they write ("models/power/packs.lib"); a path relative to the including file is tried too.
   */
  files?: Record<string, string>;
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

/** Result file formats the module writes (io/, the bytes of `simcore run`). */
export type ResultFormat = 'csv' | 'json' | 'raw';

/** One whole analysis in columns (a HeaderEvent's fields and the rows of its chunks). */
export interface AnalysisColumns {
  analysis: AnalysisType;
  xName: string;
  complex: boolean;
  signals: SignalInfo[];
  rows: number;
  x: Float64Array; // ignored for op
  re: Float64Array[];
  im: Float64Array[]; // when complex
}

/** Write one analysis as the file `simcore run` writes for it. */
export interface ExportRequest {
  type: 'export';
  id: number;
  format: ResultFormat;
  title: string;
  analysis: AnalysisColumns;
}


export interface DescribeOptions {
  /** Top-level .param overrides, names lower case. */
  params?: Record<string, number>;
  /** Analysis cards replacing the netlist's, e.g. [".tran 1n 10u"]. */
  analyses?: string[];
  /** Overrides tstop of every .tran (s). */
  tstop?: number;
  /** Files .include/.lib cards may name, as in RunOptions.files. */
  files?: Record<string, string>;
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

/** Netlist text to the JSON circuit model (to 'json'), or a model to its netlist (to 'spice'); docs/interop.md. */
export interface ConvertRequest {
  type: 'convert';
  id: number;
  text: string;
  to: 'json' | 'spice';
  fileName?: string;
}

export type ToWorker = RunRequest | CancelRequest | ExportRequest | DescribeRequest | ConvertRequest;

export interface SignalInfo {
  name: string; // "v(out)", "i(vin)"
  kind: SignalKind;
}

export interface ReadyEvent {
  type: 'ready';
  version: string;
}

/** After ready: the worker's warm-up (a short built-in transient that gets the
 * hot engine code optimised before the first real run) ended, after `ms`;
 * interrupted when a request arrived first (the request wins at once). */
export interface WarmedUpEvent {
  type: 'warmedUp';
  ms: number;
  rows: number;
  interrupted: boolean;
}

export interface HeaderEvent {
  type: 'header';
  id: number;
  analysis: AnalysisType;
  index: number; // position among the netlist's analyses
  xName: string; // "time", "frequency", swept source, "" for op
  complex: boolean; // ac: re and im arrays
  signals: SignalInfo[];
  /** The circuit variant it runs on (a .step point "rload=2000", a .temp value "temp=50"); "" or absent for the circuit itself. */
  variant?: string;
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
  /** The transient's switching mode: "event", "spice" or "linear"; absent or "" without a transient. */
  switchingMode?: string;
  /** Event mode: distinct switch configurations visited. */
  configurations?: number;
  /** Event mode: solves that reused a cached factorization. */
  factorCacheHits?: number;
  /** Switching events located in time. */
  events?: number;
  /** Losses (docs/power.md): per power semiconductor, averaged over [lossFrom, lossTo]; absent without loss data. */
  losses?: DeviceLosses[];
  lossFrom?: number;
  lossTo?: number;
  /** Converter efficiency output / (output + losses); 0 when no source delivers power. */
  efficiency?: number;
  inputPower?: number;
  outputPower?: number;
  lossPower?: number;
  thermalStep?: number;
  /** The netlist's .meas results, in order; absent without .meas cards. */
  measures?: Measurement[];
  /** What a .control script (or .four) printed and wrote; absent without one. */
  script?: ScriptOutput;
  /** What the engine accepted but did not act on (unknown options, ignored cards), with their lines. */
  warnings?: RunWarning[];
}

/** A netlist construct accepted with a warning ("unknown option 'acct' ignored"). */
export interface RunWarning {
  message: string;
  line: number;
  col: number;
}

/** One .meas result: its value, or why it could not be measured (no crossing, signal not saved...). */
/** A .control script's output (docs/netlist.md, "Control scripts"). */
export interface ScriptOutput {
  /** The text it printed, as ngspice prints it (print, echo, fourier). */
  text: string;
  /** Commands that failed: "FILE:LINE:COL: error: ...". */
  errors: string[];
  /** Files it wrote (wrdata, write), in order. */
  files: ScriptFile[];
}

export interface ScriptFile {
  /** As the script named it: "out.txt". */
  name: string;
  sizeBytes: number;
  /** The contents (the first bytes only when truncated: the server caps them). */
  data: Uint8Array;
  truncated: boolean;
}

export interface Measurement {
  name: string;
  ok: boolean;
  value: number;
  error: string;
  /** Line of the .meas card (0: unknown). */
  line: number;
}

/** One power semiconductor's losses: averages over [lossFrom, lossTo], energies and events over the run. */
export interface DeviceLosses {
  device: string;
  conductionLoss: number;
  switchingLoss: number;
  conductionEnergy: number;
  switchingEnergy: number;
  tjMax: number;
  tjAvg: number;
  switchingEvents: number;
}

export interface DoneEvent {
  type: 'done';
  id: number;
  stats: RunStats;
}

export interface EngineError {
  // The engine's error code in PascalCase ("Parse", ..., "TimestepTooSmall", ..., "Internal"): the
  // bindings derive it from the engine's one table (Module.errorCodes() lists them), the web app
  // derives a server's from simcore.v1.ErrorCode the same way.
  code: string;
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

export interface ExportedEvent {
  type: 'exported';
  id: number;
  bytes: Uint8Array; // the file's content (buffer transferred)
}


export interface DescribedEvent {
  type: 'described';
  id: number;
  description: CircuitDescription;
}

export interface ConvertedEvent {
  type: 'converted';
  id: number;
  /** JSON text of the model (one line), or the netlist. */
  text: string;
}

export type FromWorker = ReadyEvent | WarmedUpEvent | HeaderEvent | ChunkEvent | AnalysisEndEvent | DoneEvent | ErrorEvent | ExportedEvent
  | DescribedEvent | ConvertedEvent;
