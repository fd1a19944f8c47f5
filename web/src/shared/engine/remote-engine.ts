// RemoteEngine: runs netlists on a `simcore serve` server over gRPC-Web and
// turns its columnar WaveformChunks into the same RunEvents the wasm worker
// sends, so plots, the status line and diagnostics cannot tell the two apart.
//
// One run: CreateSession(netlist) -> StartSimulation(options) ->
// StreamWaveforms(job) -> GetJob(job) for the statistics. cancel() aborts
// the stream and sends StopSimulation (if StartSimulation is still in flight,
// as soon as it answers with the job id). Errors carry the server's ErrorDetail
// (grpc-status-details-bin) as an EngineError with file/line/col.
//
// Loaded with a dynamic import by EngineSwitch, so the protobuf/connect code
// is only fetched by users who actually run something remotely.
import { Code, ConnectError, createClient, type Client, type Transport } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import {
  AnalysisType as PbAnalysisType,
  ErrorCode as PbErrorCode,
  ErrorDetailSchema,
  type ErrorDetail,
  SignalKind as PbSignalKind,
  Simulator,
  type RunStats as PbRunStats,
  type SimulationOptions,
  type WaveformChunk,
} from '@/gen/simcore/v1/simulator_pb';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { SimulationOptionsSchema } from '@/gen/simcore/v1/simulator_pb';
import type { AnalysisType, Engine, EngineError, RunEvent, RunHandle, RunOptions, RunStats, RunWarning, SignalInfo } from './types';
import { settleOnce } from './types';

export interface RemoteEngineOptions {
  /** Server base URL, e.g. "http://127.0.0.1:8080" (no trailing slash). */
  baseUrl: string;
  /** Bearer token, read at the start of every run. */
  token?: () => string | undefined;
  /** A ready transport (tests: createRouterTransport). Default: gRPC-Web over fetch to baseUrl. */
  transport?: Transport;
  /** fetch for the default transport (tests). */
  fetch?: typeof globalThis.fetch;
  /** Session name: stem of the server's result file names. */
  sessionName?: string;
}

type SimulatorClient = Client<typeof Simulator>;

export class RemoteEngine implements Engine {
  readonly mode = 'remote' as const;
  readonly baseUrl: string;
  private readonly client: SimulatorClient;
  private readonly token: () => string | undefined;
  private readonly sessionName: string;
  private nextId = 1;

  constructor(o: RemoteEngineOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.token = o.token ?? (() => undefined);
    this.sessionName = o.sessionName ?? 'circuit';
    const transport =
      o.transport ??
      createGrpcWebTransport({
        baseUrl: this.baseUrl,
        useBinaryFormat: true,
        ...(o.fetch ? { fetch: o.fetch } : {}),
      });
    this.client = createClient(Simulator, transport);
  }

  /** "host:port" of the server, for the status line. */
  get host(): string {
    try {
      return new URL(this.baseUrl).host;
    } catch {
      return this.baseUrl;
    }
  }

  run(netlist: string, options: RunOptions, onEvent: (ev: RunEvent) => void): RunHandle {
    const id = this.nextId++;
    const abort = new AbortController();
    const token = this.token();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const client = this.client;
    let cancelled = false;
    let jobId = '';
    const { done, finish, settled } = settleOnce();
    const emit = (ev: RunEvent) => {
      if (!cancelled && !settled()) onEvent(ev);
    };
    const stopJob = () => {
      if (!jobId) return;
      // Fire and forget: the stream is already aborted on our side.
      client.stopSimulation({ jobId }, { headers, timeoutMs: 5000 }).catch(() => undefined);
    };

    (async () => {
      const session = await client.createSession(
        { source: { case: 'netlist', value: netlist }, name: this.sessionName },
        { headers, signal: abort.signal },
      );
      if (cancelled) return;
      // Not aborted by cancel(): once the request is sent the server may have
      // queued the job, and only its answer tells us which job to stop.
      const job = await client.startSimulation({ sessionId: session.id, options: simulationOptions(options) }, { headers });
      jobId = job.id;
      if (cancelled) return stopJob();
      const mapper = new ChunkMapper(id);
      for await (const chunk of client.streamWaveforms({ jobId }, { headers, signal: abort.signal })) {
        if (cancelled) return;
        for (const ev of mapper.events(chunk)) emit(ev);
      }
      if (cancelled) return;
      let stats: RunStats;
      try {
        const final = await client.getJob({ jobId }, { headers, signal: abort.signal, timeoutMs: 10_000 });
        stats = final.stats ? toRunStats(final.stats) : mapper.fallbackStats();
      } catch {
        stats = mapper.fallbackStats(); // the run itself succeeded; statistics are a nicety
      }
      // the session's warnings (the netlist reader's), then the job's own (floating nodes tied to ground)
      const warnings = [...session.warnings.map((message) => ({ message, line: 0, col: 0 })), ...(stats.warnings ?? [])];
      if (warnings.length) stats = { ...stats, warnings };
      if (cancelled) return;
      emit({ type: 'done', id, stats });
      finish({ ok: true, cancelled: false, stats });
    })().then(
      () => {
        if (cancelled) finish({ ok: false, cancelled: true });
      },
      (e: unknown) => {
        if (cancelled) return finish({ ok: false, cancelled: true });
        const error = toEngineError(e);
        emit({ type: 'error', id, error });
        finish({ ok: false, cancelled: error.code === 'Cancelled', error });
      },
    );

    return {
      cancel() {
        if (cancelled || settled()) return;
        cancelled = true;
        abort.abort();
        stopJob();
        finish({ ok: false, cancelled: true });
      },
      done,
    };
  }
}

/** RunOptions -> the server's SimulationOptions. */
export function simulationOptions(o: RunOptions): MessageInitShape<typeof SimulationOptionsSchema> {
  const out: Partial<Omit<SimulationOptions, '$typeName' | '$unknown'>> = {};
  if (o.analyses?.length) out.analyses = o.analyses;
  if (o.tstop !== undefined) out.tstop = o.tstop;
  if (o.maxStep !== undefined) out.maxStep = o.maxStep;
  if (o.params && Object.keys(o.params).length) out.params = { ...o.params };
  if (o.save?.length) out.save = o.save;
  if (o.interpolate) out.interpolate = true;
  if (o.chunkRows) out.chunkRows = Math.min(65536, Math.max(1, Math.round(o.chunkRows)));
  return out;
}

const ANALYSIS: Record<number, AnalysisType> = {
  [PbAnalysisType.OP]: 'op',
  [PbAnalysisType.DC]: 'dc',
  [PbAnalysisType.AC]: 'ac',
  [PbAnalysisType.TRAN]: 'tran',
  [PbAnalysisType.PSS]: 'pss',
  [PbAnalysisType.FRA]: 'fra',
  [PbAnalysisType.LOSSES]: 'losses',
  [PbAnalysisType.NOISE]: 'noise',
  [PbAnalysisType.NOISE_TOTAL]: 'noise_total',
  [PbAnalysisType.PSS_SPECTRUM]: 'pss_spectrum',
  [PbAnalysisType.TF]: 'tf',
  [PbAnalysisType.SENS]: 'sens',
  [PbAnalysisType.SP]: 'sp',
  [PbAnalysisType.PZ]: 'pz',
};

/** Turns the chunks of one job into RunEvents (header, chunk, analysisEnd), per analysis. */
export class ChunkMapper {
  private analyses = new Map<number, { signals: number; complex: boolean; rows: number; ended: boolean }>();
  private totalRows = 0;

  constructor(private readonly id: number) {}

  events(c: WaveformChunk): RunEvent[] {
    const out: RunEvent[] = [];
    const index = c.analysisIndex;
    if (c.header) {
      const h = c.header;
      const signals: SignalInfo[] = h.signals.map((s) => ({ name: s.name, kind: s.kind === PbSignalKind.CURRENT ? 'current' : 'voltage' }));
      this.analyses.set(index, { signals: signals.length, complex: h.complex, rows: 0, ended: false });
      out.push({ type: 'header', id: this.id, analysis: ANALYSIS[h.type] ?? 'tran', index, xName: h.xName, complex: h.complex, signals, ...(h.variant ? { variant: h.variant } : {}) });
    }
    const a = this.analyses.get(index);
    if (!a) throw new ConnectError(`waveform chunk of analysis ${index} before its header`, Code.Internal);
    if (c.rows > 0) {
      const rows = c.rows;
      const re: Float64Array[] = [];
      const im: Float64Array[] = [];
      for (let s = 0; s < a.signals; s++) {
        const v = c.values[s];
        re.push(column(v?.re, rows));
        if (a.complex) im.push(column(v?.im, rows));
      }
      out.push({ type: 'chunk', id: this.id, index, rows, x: c.x.length ? column(c.x, rows) : new Float64Array(0), re, im });
      a.rows += rows;
      this.totalRows += rows;
    }
    if (c.analysisEnd && !a.ended) {
      a.ended = true;
      out.push({ type: 'analysisEnd', id: this.id, index, rows: a.rows });
    }
    return out;
  }

  /** Statistics when GetJob did not answer: only the point count is known. */
  fallbackStats(): RunStats {
    return { acceptedPoints: this.totalRows, rejectedSteps: 0, newtonIterations: 0, factorizations: 0, refactorizations: 0, unknowns: 0, seconds: 0 };
  }
}

function column(v: number[] | undefined, rows: number): Float64Array {
  const out = new Float64Array(rows);
  if (v) out.set(v.length > rows ? v.slice(0, rows) : v);
  return out;
}

/** A job's warning "LINE:COL: text" as a RunWarning. */
function locatedWarning(w: string): RunWarning {
  const m = /^(\d+):(\d+): ([\s\S]*)$/.exec(w);
  return m ? { message: m[3], line: Number(m[1]), col: Number(m[2]) } : { message: w, line: 0, col: 0 };
}

function toRunStats(s: PbRunStats): RunStats {
  return {
    acceptedPoints: Number(s.acceptedPoints),
    rejectedSteps: Number(s.rejectedSteps),
    newtonIterations: Number(s.newtonIterations),
    factorizations: Number(s.factorizations),
    refactorizations: Number(s.refactorizations),
    unknowns: s.unknowns,
    seconds: s.wallSeconds,
    switchingMode: s.switchingMode,
    configurations: Number(s.configurations),
    factorCacheHits: Number(s.factorCacheHits),
    events: Number(s.events),
    ...(s.warnings.length ? { warnings: s.warnings.map(locatedWarning) } : {}),
    ...(s.measures.length
      ? { measures: s.measures.map((m) => ({ name: m.name, ok: m.ok, value: m.value, error: m.error, line: m.line })) }
      : {}),
    ...(s.scriptOutput || s.scriptErrors.length || s.scriptFiles.length
      ? {
          script: {
            text: s.scriptOutput,
            errors: [...s.scriptErrors],
            files: s.scriptFiles.map((f) => ({
              name: f.name, sizeBytes: Number(f.sizeBytes), data: f.data, truncated: f.truncated,
            })),
          },
        }
      : {}),
    ...(s.losses.length
      ? {
          losses: s.losses.map((l) => ({
            device: l.device, conductionLoss: l.conductionLoss, switchingLoss: l.switchingLoss,
            conductionEnergy: l.conductionEnergy, switchingEnergy: l.switchingEnergy, tjMax: l.tjMax, tjAvg: l.tjAvg,
            switchingEvents: Number(l.switchingEvents),
          })),
          lossFrom: s.lossFrom, lossTo: s.lossTo, efficiency: s.efficiency, inputPower: s.inputPower,
          outputPower: s.outputPower, lossPower: s.lossPower, thermalStep: s.thermalStep,
        }
      : {}),
  };
}

/**
 * An ErrorDetail's code as the app's EngineError.code: the simcore.v1.ErrorCode name in
 * PascalCase, the form the wasm engine gives the same engine code ("TIMESTEP_TOO_SMALL" ->
 * "TimestepTooSmall"); from a server older than the enum, its engine_code ("timestep_too_small")
 * the same way. The server's job quota is the app's "Limit". "" when the detail has no code.
 */
export function detailCode(detail: Pick<ErrorDetail, 'code' | 'engineCode'>): string {
  const name = (detail.code !== PbErrorCode.UNSPECIFIED && PbErrorCode[detail.code]) || detail.engineCode;
  const code = name.toLowerCase().replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase());
  return code === 'Quota' ? 'Limit' : code;
}

const GRPC_CODES: Partial<Record<Code, string>> = {
  [Code.Canceled]: 'Cancelled',
  [Code.Unavailable]: 'Unavailable',
  [Code.Unauthenticated]: 'Unauthenticated',
  [Code.PermissionDenied]: 'PermissionDenied',
  [Code.ResourceExhausted]: 'Limit',
  [Code.InvalidArgument]: 'InvalidArgument',
  [Code.DeadlineExceeded]: 'Timeout',
  [Code.Aborted]: 'Aborted',
  [Code.NotFound]: 'NotFound',
};

/** True for errors that mean "no server answered" (rather than "the server said no"). */
export function isServerGone(e: unknown): boolean {
  const ce = ConnectError.from(e);
  if (ce.code === Code.Unavailable) return true;
  if (ce.code !== Code.Unknown) return false;
  const cause = ce.cause as { name?: string; message?: string } | undefined;
  const text = `${cause?.name ?? ''} ${cause?.message ?? ''} ${ce.rawMessage}`;
  return cause?.name === 'TypeError' || /failed to fetch|fetch failed|networkerror|load failed|network error/i.test(text);
}

/** A gRPC error as the app's EngineError (server-vanished errors get code "Unavailable"). */
export function toEngineError(e: unknown): EngineError {
  const ce = ConnectError.from(e);
  const detail = ce.findDetails(ErrorDetailSchema)[0];
  if (detail) {
    return {
      code: detailCode(detail) || (GRPC_CODES[ce.code] ?? 'Internal'),
      message: detail.message || ce.rawMessage,
      file: detail.file,
      line: detail.line,
      col: detail.column,
    };
  }
  if (isServerGone(ce)) return { code: 'Unavailable', message: `the simcore server is unreachable (${ce.rawMessage})`, file: '', line: 0, col: 0 };
  const code = GRPC_CODES[ce.code] ?? 'Internal';
  let message = ce.rawMessage || Code[ce.code];
  if (ce.code === Code.Unauthenticated)
    message = `the server refused the token (${message}); open the URL that \`simcore serve\` prints, or set a token in the engine settings`;
  return { code, message, file: '', line: 0, col: 0 };
}
