// Measured speeds of the two engines, for the auto policy (policy.ts): cost units (unknowns x
// points, see costOf) per millisecond of wall time, from finished runs and a short local probe.
// A remote run's wall time includes a fixed part (session set-up, first round trip) and a part
// that grows with the cost (computing and streaming every signal); the fixed part is taken out.

export interface SpeedModel {
  /** Local engine: cost per ms (undefined: not measured yet). */
  localRate?: number;
  /** Server, streaming included: cost per ms after the fixed part. */
  remoteRate?: number;
  /** Fixed time of a remote run, ms. */
  remoteFixedMs: number;
}

/** Runs below this cost say little about speed (start-up dominates); they are not recorded. */
export const MIN_MEASURED_COST = 2e4;
export const DEFAULT_REMOTE_FIXED_MS = 250;

/** Geometric blend of the previous estimate and a new measurement (weight 1/2 each). */
const blend = (prev: number | undefined, x: number) => (prev === undefined ? x : Math.sqrt(prev * x));

export class SpeedTracker {
  private local?: number;
  private remote?: number;
  constructor(private readonly remoteFixedMs = DEFAULT_REMOTE_FIXED_MS) {}

  recordLocal(cost: number, ms: number) {
    if (cost >= MIN_MEASURED_COST && ms > 0) this.local = blend(this.local, cost / ms);
  }

  recordRemote(cost: number, wallMs: number) {
    if (cost >= MIN_MEASURED_COST && wallMs > 0) this.remote = blend(this.remote, cost / Math.max(1, wallMs - this.remoteFixedMs));
  }

  model(): SpeedModel {
    return { localRate: this.local, remoteRate: this.remote, remoteFixedMs: this.remoteFixedMs };
  }
}

/** Predicted wall times (ms) of a run of this cost on each engine; undefined where not measured. */
export function predictMs(cost: number, m: SpeedModel): { local?: number; remote?: number } {
  return {
    local: m.localRate ? cost / m.localRate : undefined,
    remote: m.remoteRate ? m.remoteFixedMs + cost / m.remoteRate : undefined,
  };
}

/**
 * The local probe: an RC ladder of `sections` sections driven by a step, over `points` output
 * points: about sections + 2 unknowns x points of cost (8e4 by default), tens of ms in wasm.
 */
export function calibrationNetlist(sections = 200, points = 400): string {
  const l = ['simcore speed probe (RC ladder)', 'V1 n0 0 PULSE(0 1 0 1n 1n 1 2)'];
  for (let i = 0; i < sections; i++) l.push(`R${i + 1} n${i} n${i + 1} 100`, `C${i + 1} n${i + 1} 0 1n`);
  l.push(`.tran ${points === 0 ? 1 : 20 / points}u 20u`, '.end');
  return l.join('\n');
}
