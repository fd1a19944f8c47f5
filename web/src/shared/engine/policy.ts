// Where a run goes: this browser's wasm engine or a `simcore serve` server.
// Pure functions (no I/O), so every decision is unit-tested.
//
// Cost model: unknowns x expected points, both from the engine's own
// describe() (wasm/src/protocol.ts CircuitDescription: nodes + branch
// currents of the elaborated circuit, and the points the analysis cards ask
// for). The engine's work per accepted point grows at least linearly with the
// matrix size. It ignores device complexity and adaptive stepping: it only
// has to separate "a few thousand unknowns for hundreds of points" from "ten
// unknowns for tens of thousands of points".
//
// Until both engines' speeds are measured (speeds.ts: a short local probe, then every finished
// run), a fixed threshold decides; afterwards the predicted times do (calibratedChoice).
// Threshold: REMOTE_COST_THRESHOLD = 500 000.
//  - power_grid_50x50 (shared/circuits): 2 501 mesh/pad nodes + 25 pad
//    nodes + 1 supply node = 2 527 nodes, + 1 V source + 25 pad inductors =
//    about 2 553 unknowns; .tran 20p 6n -> 301 points; cost ~ 7.7e5 -> remote.
//  - the largest built-in examples are the buck and boost converters:
//    9 unknowns x .tran 50n 2m (40 001 points) ~ 3.6e5 -> local. They run in
//    about a quarter of a second in wasm, less than a server round trip plus
//    job start-up buys back.
//  Everything else in features/examples is below 1e5.

import type { CircuitDescription } from '@simcore/wasm/protocol';
import type { EngineError } from './types';
import { predictMs, type SpeedModel } from './speeds';

export type EngineChoice = 'auto' | 'local' | 'remote';

/** The `auth` field of the server's /healthz: "none" = `simcore serve --insecure-no-auth`. */
export type ServerAuth = 'none' | 'jwt';

export const REMOTE_COST_THRESHOLD = 500_000;

/**
 * Calibrated policy (both engines' speeds measured, speeds.ts): below this cost a run stays
 * local (a server round trip cannot pay off); above, it goes where it is predicted to finish
 * first, the server only when at least REMOTE_MARGIN faster.
 */
export const MIN_REMOTE_COST = 100_000;
export const REMOTE_MARGIN = 0.85;

export interface CostEstimate {
  unknowns: number;
  points: number;
  cost: number;
}

/** Cost of a described netlist: unknowns (nodes + branch currents) x expected points over its analyses. */
export function costOf(d: Pick<CircuitDescription, 'unknowns' | 'points'>): CostEstimate {
  const unknowns = Math.max(1, d.unknowns);
  const points = Math.max(1, d.points);
  return { unknowns, points, cost: unknowns * points };
}

export interface PolicyInput {
  mode: EngineChoice;
  /** /healthz answered ok (recently). */
  serverReachable: boolean;
  /** A bearer token is stored. */
  hasToken: boolean;
  /** The server refused the stored token (expired, revoked): auto mode treats it as no token. */
  tokenRefused?: boolean;
  /** How the server authenticates, from /healthz (undefined: not said, assume a token is needed). */
  serverAuth?: ServerAuth;
  cost: number;
  threshold?: number;
  /** Host shown in messages. */
  serverHost?: string;
  /** Measured engine speeds; with both rates known they replace the fixed threshold. */
  speeds?: SpeedModel;
}

/** Whether the measured speeds decide (both engines measured); the local/remote prediction then. */
export function calibratedChoice(cost: number, speeds?: SpeedModel): { engine: 'local' | 'remote'; reason: string } | null {
  if (!speeds) return null;
  const t = predictMs(cost, speeds);
  if (t.local === undefined || t.remote === undefined) return null;
  if (cost <= MIN_REMOTE_COST) return { engine: 'local', reason: `small circuit (cost ${fmt(cost)} <= ${fmt(MIN_REMOTE_COST)})` };
  const said = `predicted ${secs(t.local)} here, ${secs(t.remote)} on the server`;
  return t.remote < REMOTE_MARGIN * t.local ? { engine: 'remote', reason: `server faster: ${said}` } : { engine: 'local', reason: `this browser is fast enough: ${said}` };
}

const secs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

export type Decision =
  | { engine: 'local' | 'remote'; reason: string }
  | { engine: 'error'; error: EngineError };

/** Which engine runs this netlist. */
export function decide(p: PolicyInput): Decision {
  const threshold = p.threshold ?? REMOTE_COST_THRESHOLD;
  const host = p.serverHost ? ` at ${p.serverHost}` : '';
  switch (p.mode) {
    case 'local':
      return { engine: 'local', reason: 'local engine selected' };
    case 'remote':
      if (!p.serverReachable)
        return {
          engine: 'error',
          error: {
            code: 'Unavailable',
            message: `the simcore server${host} is unreachable; choose the auto or local engine to run in this browser`,
            file: '',
            line: 0,
            col: 0,
          },
        };
      return { engine: 'remote', reason: 'remote engine selected' };
    case 'auto':
    default:
      const calibrated = calibratedChoice(p.cost, p.speeds);
      if (calibrated?.engine === 'local') return calibrated;
      if (!calibrated && p.cost <= threshold) return { engine: 'local', reason: `small circuit (cost ${fmt(p.cost)} <= ${fmt(threshold)})` };
      if (p.serverAuth !== 'none') {
        if (!p.hasToken) return { engine: 'local', reason: 'no server token' };
        if (p.tokenRefused) return { engine: 'local', reason: 'the server refused the saved token' };
      }
      if (!p.serverReachable) return { engine: 'local', reason: 'no reachable server' };
      return calibrated ?? { engine: 'remote', reason: `large circuit (cost ${fmt(p.cost)} > ${fmt(threshold)})` };
  }
}

const fmt = (n: number) => (n >= 1e4 ? n.toExponential(1) : String(Math.round(n)));
