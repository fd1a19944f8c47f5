// An in-memory simcore.v1.Simulator for unit tests (createRouterTransport):
// scripted waveform chunks per netlist, error injection, and a record of the
// calls, so RemoteEngine and EngineSwitch can be tested without a server.
import { Code, ConnectError, createRouterTransport, type HandlerContext } from '@connectrpc/connect';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  AnalysisType,
  ErrorDetailSchema,
  JobState,
  RunStatsSchema,
  SignalKind,
  Simulator,
  WaveformChunkSchema,
  type StartSimulationRequest,
} from '@/gen/simcore/v1/simulator_pb';

export type ChunkInit = MessageInitShape<typeof WaveformChunkSchema>;

export interface FakeScript {
  /** Chunks StreamWaveforms sends. */
  chunks: ChunkInit[];
  /** Error the stream ends with after the chunks (default: OK). */
  streamError?: ConnectError;
  /** Error of CreateSession (e.g. a parse error with line/column). */
  createError?: ConnectError;
  /** Stream waits after the chunks until the call is aborted (for cancel tests). */
  hang?: boolean;
  /** StartSimulation waits for this before it creates the job (for cancel-during-start tests). */
  beforeStart?: () => Promise<unknown>;
  /** The session's warnings (the netlist reader's, "LINE:COL: text"). */
  sessionWarnings?: string[];
  /** The finished job's own warnings in its stats ("LINE:COL: text"). */
  jobWarnings?: string[];
}

export interface FakeCalls {
  createSession: { netlist: string; authorization: string | null }[];
  startSimulation: StartSimulationRequest[];
  /** Ids of the jobs StartSimulation created, in order. */
  jobs: string[];
  streamWaveforms: string[];
  stopSimulation: string[];
  getJob: string[];
}

export function errorDetail(code: Code, engineCode: string, message: string, line = 0, column = 0, file = '<netlist>') {
  return new ConnectError(message, code, undefined, [{ desc: ErrorDetailSchema, value: { engineCode, message, file, line, column } }]);
}

export const STATS = { unknowns: 3, acceptedPoints: 42n, rejectedSteps: 2n, newtonIterations: 99n, factorizations: 7n, refactorizations: 5n, wallSeconds: 0.25, switchingMode: 'event', configurations: 3n, factorCacheHits: 37n, events: 6n };

export function createFakeServer(script: (netlist: string) => FakeScript) {
  const calls: FakeCalls = { createSession: [], startSimulation: [], jobs: [], streamWaveforms: [], stopSimulation: [], getJob: [] };
  const sessions = new Map<string, string>();
  const jobs = new Map<string, string>();
  let stopped: (id: string) => void = () => {};
  const stoppedPromise = new Promise<string>((r) => (stopped = r));
  let n = 0;

  const transport = createRouterTransport(({ service }) => {
    service(Simulator, {
      createSession(req, ctx: HandlerContext) {
        const netlist = req.source.case === 'netlist' ? req.source.value : '';
        calls.createSession.push({ netlist, authorization: ctx.requestHeader.get('authorization') });
        const s = script(netlist);
        if (s.createError) throw s.createError;
        const id = `s${++n}`;
        sessions.set(id, netlist);
        return { id, name: req.name, title: netlist.split('\n')[0], warnings: s.sessionWarnings ?? [] };
      },
      async startSimulation(req) {
        calls.startSimulation.push(req);
        const netlist = sessions.get(req.sessionId);
        if (netlist === undefined) throw new ConnectError('no such session', Code.NotFound);
        // Like the real server, the job is queued even if the client stopped waiting.
        await script(netlist).beforeStart?.();
        const id = `j${++n}`;
        jobs.set(id, netlist);
        calls.jobs.push(id);
        return { id, sessionId: req.sessionId, state: JobState.QUEUED, options: req.options };
      },
      async *streamWaveforms(req, ctx) {
        calls.streamWaveforms.push(req.jobId);
        const s = script(jobs.get(req.jobId) ?? '');
        for (const c of s.chunks) yield create(WaveformChunkSchema, c);
        if (s.hang)
          await new Promise<void>((_r, reject) => {
            if (ctx.signal.aborted) reject(new ConnectError('aborted', Code.Canceled));
            ctx.signal.addEventListener('abort', () => reject(new ConnectError('aborted', Code.Canceled)));
          });
        if (s.streamError) throw s.streamError;
      },
      stopSimulation(req) {
        calls.stopSimulation.push(req.jobId);
        stopped(req.jobId);
        return { id: req.jobId, state: JobState.CANCELLED };
      },
      getJob(req) {
        calls.getJob.push(req.jobId);
        const warnings = script(jobs.get(req.jobId) ?? '').jobWarnings ?? [];
        return { id: req.jobId, state: JobState.SUCCEEDED, stats: create(RunStatsSchema, { ...STATS, warnings }) };
      },
    });
  });
  return { transport, calls, stopped: stoppedPromise };
}

/** Chunks of one analysis: header in the first, `end` on the last. */
export function analysisChunks(
  index: number,
  type: AnalysisType,
  xName: string,
  signals: [string, 'v' | 'i'][],
  x: number[],
  columns: number[][],
  opts: { complex?: boolean; im?: number[][]; rowsPerChunk?: number } = {},
): ChunkInit[] {
  const per = opts.rowsPerChunk ?? (x.length || 1);
  const rows = type === AnalysisType.OP || (x.length === 0 && !xName) ? columns[0]?.length ?? 1 : x.length;
  const out: ChunkInit[] = [];
  for (let start = 0; start < rows || out.length === 0; start += per) {
    const end = Math.min(rows, start + per);
    out.push({
      analysisIndex: index,
      header:
        start === 0
          ? {
              type,
              xName,
              complex: !!opts.complex,
              signals: signals.map(([name, k]) => ({ name, kind: k === 'v' ? SignalKind.VOLTAGE : SignalKind.CURRENT })),
            }
          : undefined,
      rows: end - start,
      x: x.slice(start, end),
      values: columns.map((c, s) => ({ re: c.slice(start, end), im: opts.complex ? opts.im![s].slice(start, end) : [] })),
      analysisEnd: end >= rows,
    });
    if (rows === 0) break;
  }
  return out;
}
