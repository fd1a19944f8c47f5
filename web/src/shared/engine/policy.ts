// Where a run goes: this browser's wasm engine or a `simcore serve` server.
// Pure functions (no I/O), so every decision is unit-tested.
//
// Cost model: unknowns x expected points. The engine's work per accepted
// point grows at least linearly with the matrix size, and the number of
// points is what the analysis cards ask for (.tran tstop/tstep, the .ac
// sweep, the .dc sweep). It ignores device complexity and adaptive stepping:
// it only has to separate "a few thousand unknowns for hundreds of points"
// from "ten unknowns for tens of thousands of points".
//
// Threshold: REMOTE_COST_THRESHOLD = 500 000.
//  - power_grid_50x50 (shared/circuits): 2 501 mesh/pad nodes + 25 pad
//    nodes + 1 supply node = 2 527 nodes, + 1 V source + 25 pad inductors =
//    about 2 553 unknowns; .tran 20p 6n -> 301 points; cost ~ 7.7e5 -> remote.
//  - the largest built-in examples are the buck and boost converters:
//    9 unknowns x .tran 50n 2m (40 001 points) ~ 3.6e5 -> local. They run in
//    about a quarter of a second in wasm, less than a server round trip plus
//    job start-up buys back.
//  Everything else in features/examples is below 1e5.

import { parseSpiceNumber } from '@/shared/lib/si';
import type { EngineError } from './types';

export type EngineChoice = 'auto' | 'local' | 'remote';

/** The `auth` field of the server's /healthz: "none" = `simcore serve --insecure-no-auth`. */
export type ServerAuth = 'none' | 'jwt';

export const REMOTE_COST_THRESHOLD = 500_000;

/** Points assumed for an analysis card whose numbers cannot be read (e.g. expressions). */
const UNKNOWN_POINTS = 1000;
const MAX_POINTS = 1e9;

export interface CostEstimate {
  unknowns: number;
  points: number;
  cost: number;
}

export interface EstimateOptions {
  /** Analysis cards replacing the netlist's (RunOptions.analyses). */
  analyses?: string[];
  /** Overrides tstop of every .tran. */
  tstop?: number;
  /** .param overrides (lower-case names). */
  params?: Record<string, number>;
}

interface Subckt {
  ports: string[];
  body: string[][];
}

/** Logical lines of a netlist as token lists: title dropped, continuations joined, comments removed. */
function logicalLines(text: string): string[][] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (/^\s*\*/.test(raw)) continue;
    const line = raw.replace(/\s;.*$|^;.*$|\s\$\s.*$/, '');
    if (/^\s*\+/.test(line) && out.length) out[out.length - 1] += ' ' + line.replace(/^\s*\+/, '');
    else if (line.trim()) out.push(line);
  }
  // "a = b" -> "a=b", "( 1 2 )" stays as tokens; parentheses separate tokens.
  return out.map((l) =>
    l
      .replace(/\s*=\s*/g, '=')
      .replace(/[(),]/g, ' ')
      .trim()
      .split(/\s+/),
  );
}

const isGround = (n: string) => n === '0' || n.toLowerCase() === 'gnd';
const looksLikeNode = (t: string | undefined) => !!t && !t.includes('=') && !t.includes('{') && !/^(value|poly|table)$/i.test(t);

/** Node tokens and branch count (V, L, E, H add a current unknown) of one element line. */
function elementNodes(tok: string[], subckts: Map<string, Subckt>): { nodes: string[]; branch: number; sub?: Subckt } {
  const kind = tok[0][0].toLowerCase();
  const args = tok.slice(1);
  const take = (n: number) => args.slice(0, n).filter(looksLikeNode);
  switch (kind) {
    case 'r':
    case 'c':
    case 'd':
    case 'i':
    case 'b':
    case 'w':
      return { nodes: take(2), branch: 0 };
    case 'v':
    case 'l':
      return { nodes: take(2), branch: 1 };
    case 'f':
      return { nodes: take(2), branch: 0 };
    case 'h':
      return { nodes: take(2), branch: 1 };
    case 'e':
    case 'g': {
      const four = looksLikeNode(args[2]) && looksLikeNode(args[3]);
      return { nodes: take(four ? 4 : 2), branch: kind === 'e' ? 1 : 0 };
    }
    case 'q':
    case 'j':
      return { nodes: take(3), branch: 0 };
    case 'm':
    case 's':
    case 't':
      return { nodes: take(4), branch: 0 };
    case 'x': {
      const plain = args.filter((t) => !t.includes('=') && t.toLowerCase() !== 'params:');
      const name = plain[plain.length - 1]?.toLowerCase() ?? '';
      return { nodes: plain.slice(0, -1), branch: 0, sub: subckts.get(name) };
    }
    default:
      return { nodes: [], branch: 0 };
  }
}

/** Unknowns of a list of element lines; `ports` are nodes owned by the caller (not counted). */
function countUnknowns(body: string[][], ports: Set<string>, subckts: Map<string, Subckt>, depth: number): number {
  const nodes = new Set<string>();
  let branches = 0;
  for (const tok of body) {
    if (tok[0].startsWith('.')) continue;
    const { nodes: ns, branch, sub } = elementNodes(tok, subckts);
    for (const n of ns) {
      const k = n.toLowerCase();
      if (!isGround(k) && !ports.has(k)) nodes.add(k);
    }
    branches += branch;
    if (sub && depth < 8) branches += countUnknowns(sub.body, new Set(sub.ports), subckts, depth + 1);
  }
  return nodes.size + branches;
}

function numberOf(text: string | undefined, params: Record<string, number>): number {
  if (text === undefined) return NaN;
  const v = parseSpiceNumber(text);
  if (Number.isFinite(v)) return v;
  const m = /^\{?\s*([a-z_]\w*)\s*\}?$/i.exec(text);
  return m ? (params[m[1].toLowerCase()] ?? NaN) : NaN;
}

/** Expected number of points of one analysis card (tokens, first is ".tran" etc.). */
export function analysisPoints(card: string[], params: Record<string, number> = {}, tstopOverride?: number): number {
  const kind = card[0].toLowerCase();
  const num = (i: number) => numberOf(card[i], params);
  const clamp = (n: number) => (Number.isFinite(n) && n > 0 ? Math.min(MAX_POINTS, Math.ceil(n - 1e-6)) : UNKNOWN_POINTS);
  switch (kind) {
    case '.op':
      return 1;
    case '.tran': {
      const args = card.slice(1).filter((t) => !/^uic$/i.test(t));
      const step = numberOf(args[0], params);
      const stop = tstopOverride ?? numberOf(args[1], params);
      const tmax = numberOf(args[3], params);
      const h = Number.isFinite(tmax) && tmax > 0 && !(tmax >= step) ? tmax : step;
      return clamp(stop / h + 1);
    }
    case '.ac': {
      const type = (card[1] ?? '').toLowerCase();
      const n = num(2);
      const f1 = num(3);
      const f2 = num(4);
      if (type === 'lin') return clamp(n);
      if (!(f1 > 0 && f2 > f1)) return clamp(n);
      if (type === 'dec') return clamp(n * Math.log10(f2 / f1) + 1);
      if (type === 'oct') return clamp(n * Math.log2(f2 / f1) + 1);
      return UNKNOWN_POINTS;
    }
    case '.dc': {
      let total = 1;
      for (let i = 1; i + 3 < card.length; i += 4) {
        const start = num(i + 1);
        const stop = num(i + 2);
        const step = num(i + 3);
        total *= Number.isFinite(start + stop + step) && step !== 0 ? Math.floor(Math.abs(stop - start) / Math.abs(step) + 1e-9) + 1 : UNKNOWN_POINTS;
      }
      return clamp(total);
    }
    default:
      return 0;
  }
}

const ANALYSIS = /^\.(op|tran|ac|dc)$/i;

/** Cost estimate of a netlist: unknowns (nodes + branch currents) x expected points over its analyses. */
export function estimateCost(netlist: string, opts: EstimateOptions = {}): CostEstimate {
  const lines = logicalLines(netlist);
  const subckts = new Map<string, Subckt>();
  const top: string[][] = [];
  const params: Record<string, number> = {};
  let open: Subckt | null = null;
  for (const tok of lines) {
    const head = tok[0].toLowerCase();
    if (head === '.subckt') {
      open = { ports: tok.slice(2).filter((t) => !t.includes('=') && t.toLowerCase() !== 'params:').map((t) => t.toLowerCase()), body: [] };
      subckts.set((tok[1] ?? '').toLowerCase(), open);
      continue;
    }
    if (head === '.ends') {
      open = null;
      continue;
    }
    if (open) open.body.push(tok);
    else {
      top.push(tok);
      if (head === '.param')
        for (const a of tok.slice(1)) {
          const [k, v] = a.split('=');
          const n = parseSpiceNumber(v ?? '');
          if (k && Number.isFinite(n)) params[k.toLowerCase()] = n;
        }
    }
  }
  Object.assign(params, opts.params ?? {});
  const unknowns = Math.max(1, countUnknowns(top, new Set(), subckts, 0));
  const cards = opts.analyses
    ? opts.analyses.map((c) => c.replace(/\s*=\s*/g, '=').replace(/[(),]/g, ' ').trim().split(/\s+/))
    : top.filter((t) => ANALYSIS.test(t[0]));
  let points = 0;
  for (const c of cards) points += analysisPoints(c, params, opts.tstop);
  points = Math.max(1, points);
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
}

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
      if (p.cost <= threshold) return { engine: 'local', reason: `small circuit (cost ${fmt(p.cost)} <= ${fmt(threshold)})` };
      if (p.serverAuth !== 'none') {
        if (!p.hasToken) return { engine: 'local', reason: 'no server token' };
        if (p.tokenRefused) return { engine: 'local', reason: 'the server refused the saved token' };
      }
      if (!p.serverReachable) return { engine: 'local', reason: 'no reachable server' };
      return { engine: 'remote', reason: `large circuit (cost ${fmt(p.cost)} > ${fmt(threshold)})` };
  }
}

const fmt = (n: number) => (n >= 1e4 ? n.toExponential(1) : String(Math.round(n)));
