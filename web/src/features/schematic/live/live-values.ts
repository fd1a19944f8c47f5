// Live values on the schematic from a result: the voltage of every net and the
// current of every part and wire piece at one instant (the newest streamed point,
// or a cursor's time), and the scales to draw them with. Pure: no React, no DOM.
//
// Part currents come from the result where the engine records them (voltage sources,
// inductors, ammeters of probed parts) and otherwise from the node voltages: Ohm's law
// for a resistor, C·dv/dt for a capacitor. Wire currents follow from Kirchhoff's
// current law over each piece of wiring that is a tree with at most one terminal of
// unknown current (a ground or a net label, usually).
import { elementDef, hasElementDef } from '../elements';
import { key, onSegmentInterior, pinPositions, samePt } from '../model/geometry';
import { spiceName, type GeneratedNetlist } from '../model/netlist';
import type { Pt, SchematicDoc } from '../model/schema';
import { parseSpiceNumber } from '@/shared/lib/si';
import { interpolateAt, signalIndex, type AnalysisResult } from '@/features/simulation/results';

/** Live feedback is drawn for circuits up to this size. */
export const LIVE_LIMITS = { elements: 150, wires: 400 };

export function isSmallCircuit(doc: SchematicDoc): boolean {
  return Object.keys(doc.elements).length <= LIVE_LIMITS.elements && Object.keys(doc.wires).length <= LIVE_LIMITS.wires;
}

/** How a two-terminal part's current (into its first pin) is found. */
type CurrentSource =
  | { how: 'signal'; signal: string }
  | { how: 'ohm'; r: number }
  | { how: 'cap'; c: number };

export interface LivePart {
  id: string;
  /** Its two pin points (dots run between them through the part). */
  pins: [Pt, Pt];
  nets: [string, string];
  current: CurrentSource;
}

/** A straight piece of wire between two joints (wires are cut where something joins their middle). */
export interface Segment {
  wireId: string;
  a: Pt;
  b: Pt;
}

interface Island {
  /** Segments of this piece of wiring; parent[i] is segment i's end nearer the root. */
  segments: number[];
  /** Nodes in an order where every child comes after its parent (root first). */
  order: string[];
  parentEdge: Map<string, { seg: number; parent: string }>;
  /** Terminals of known current: sign * current(part) enters the wiring at node. */
  known: { node: string; part: string; sign: 1 | -1 }[];
  /** The one node whose terminal current is unknown (it takes up the balance), if any. */
  unknownNode: string | null;
}

export interface LiveModel {
  nets: string[];
  parts: LivePart[];
  segments: Segment[];
  islands: Island[];
  /** Net of every segment. */
  segmentNets: string[];
}

/** The part currents a run must save for the live view (beyond the default signals). */
export function liveSaveSignals(model: LiveModel): string[] {
  return [...new Set(model.parts.flatMap((p) => (p.current.how === 'signal' && !p.current.signal.startsWith('i(v') ? [p.current.signal] : [])))];
}

/** What can be shown live for a document and its generated netlist (computed once per edit). */
export function buildLiveModel(doc: SchematicDoc, g: GeneratedNetlist): LiveModel {
  const nets = [...new Set([...Object.values(g.conn.pinNets).flat(), ...Object.values(g.conn.wireNets)])].filter((n) => n !== '0');
  const params = g.params;
  const parts: LivePart[] = [];
  const partOfPin = new Map<string, { part: string; pin: 0 | 1 }[]>();
  const unknownPins = new Set<string>();
  for (const el of Object.values(doc.elements)) {
    if (!hasElementDef(el.kind)) continue;
    const def = elementDef(el.kind);
    const pts = pinPositions(el, def.pins);
    const nodes = g.conn.pinNets[el.id] ?? [];
    const current = currentSource(el.kind, el.props, g.currentSignals[el.id], def.current, spiceName(el), params);
    if (pts.length === 2 && current) {
      parts.push({ id: el.id, pins: [pts[0], pts[1]], nets: [nodes[0], nodes[1]], current });
      pts.forEach((p, i) => {
        const list = partOfPin.get(key(p)) ?? [];
        list.push({ part: el.id, pin: i as 0 | 1 });
        partOfPin.set(key(p), list);
      });
    } else pts.forEach((p) => unknownPins.add(key(p)));
  }

  // Cut every wire where another wire's end or a pin lies on its middle.
  const joints: Pt[] = [];
  for (const w of Object.values(doc.wires)) joints.push(w.a, w.b);
  for (const el of Object.values(doc.elements)) if (hasElementDef(el.kind)) joints.push(...pinPositions(el, elementDef(el.kind).pins));
  const segments: Segment[] = [];
  const segmentNets: string[] = [];
  for (const w of Object.values(doc.wires)) {
    const cuts = joints
      .filter((p) => onSegmentInterior(p, w.a, w.b))
      .filter((p, i, all) => all.findIndex((q) => samePt(p, q)) === i)
      .sort((p, q) => Math.hypot(p.x - w.a.x, p.y - w.a.y) - Math.hypot(q.x - w.a.x, q.y - w.a.y));
    const pts = [w.a, ...cuts, w.b];
    for (let i = 1; i < pts.length; i++) {
      segments.push({ wireId: w.id, a: pts[i - 1], b: pts[i] });
      segmentNets.push(g.conn.wireNets[w.id]);
    }
  }

  // Pieces of wiring: connected components of the segments.
  const adj = new Map<string, { seg: number; other: string }[]>();
  segments.forEach((s, i) => {
    const a = key(s.a);
    const b = key(s.b);
    if (a === b) return;
    if (!adj.has(a)) adj.set(a, []);
    if (!adj.has(b)) adj.set(b, []);
    adj.get(a)!.push({ seg: i, other: b });
    adj.get(b)!.push({ seg: i, other: a });
  });
  const seen = new Set<string>();
  const islands: Island[] = [];
  for (const start of adj.keys()) {
    if (seen.has(start)) continue;
    const order: string[] = [start];
    const parentEdge = new Map<string, { seg: number; parent: string }>();
    const segs = new Set<number>();
    seen.add(start);
    let tree = true;
    for (let i = 0; i < order.length; i++) {
      const n = order[i];
      for (const { seg, other } of adj.get(n)!) {
        if (segs.has(seg)) continue;
        segs.add(seg);
        if (seen.has(other)) {
          tree = false; // a loop of wire: its currents are not fixed by the terminals alone
          continue;
        }
        seen.add(other);
        parentEdge.set(other, { seg, parent: n });
        order.push(other);
      }
    }
    if (!tree) continue;
    const known: Island['known'] = [];
    const unknown: string[] = [];
    for (const n of order) {
      for (const t of partOfPin.get(n) ?? []) known.push({ node: n, part: t.part, sign: t.pin === 0 ? -1 : 1 });
      if (unknownPins.has(n)) unknown.push(n);
    }
    if (unknown.length > 1) continue;
    islands.push({ segments: [...segs], order, parentEdge, known, unknownNode: unknown[0] ?? null });
  }
  return { nets, parts, segments, islands, segmentNets };
}

function currentSource(
  kind: string,
  props: Record<string, string>,
  measured: string | undefined,
  how: 'native' | 'ammeter' | 'none',
  name: string,
  params: Record<string, number>,
): CurrentSource | null {
  if (measured) return { how: 'signal', signal: measured };
  if (how === 'native' && (kind === 'vsource' || kind === 'inductor')) return { how: 'signal', signal: `i(${name})`.toLowerCase() };
  const value = (k: string) => {
    const raw = (props[k] ?? '').trim();
    const m = /^\{\s*([a-z_][\w]*)\s*\}$/i.exec(raw);
    return m ? params[m[1].toLowerCase()] ?? NaN : parseSpiceNumber(raw);
  };
  if (kind === 'resistor') {
    const r = value('value');
    return Number.isFinite(r) && r !== 0 ? { how: 'ohm', r } : null;
  }
  if (kind === 'capacitor') {
    const c = value('value');
    return Number.isFinite(c) ? { how: 'cap', c } : null;
  }
  return null;
}

/** Values at one instant. */
export interface LiveFrame {
  /** x of the instant (time for a transient). */
  x: number;
  netVolts: Record<string, number>;
  /** Element id -> current into its first pin, A. */
  partCurrents: Record<string, number>;
  /** Current along each segment from a to b, A (NaN where unknown). */
  segmentCurrents: Float64Array;
}

/** The row pair around x (or the last two rows) and the weight of the upper one. */
function locate(a: AnalysisResult, x: number | undefined): { lo: number; hi: number; t: number } {
  const n = a.rows;
  if (n <= 1 || x === undefined || x >= a.x[n - 1]) return { lo: Math.max(0, n - 2), hi: n - 1, t: 1 };
  if (x <= a.x[0]) return { lo: 0, hi: Math.min(1, n - 1), t: 0 };
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (a.x[mid] <= x) lo = mid;
    else hi = mid;
  }
  return { lo, hi, t: (x - a.x[lo]) / (a.x[hi] - a.x[lo] || 1) };
}

/** Voltages and currents at x (default: the newest row). */
export function liveFrame(model: LiveModel, a: AnalysisResult, x?: number): LiveFrame | null {
  if (a.complex || a.rows === 0) return null;
  const { lo, hi, t } = locate(a, x);
  const at = (sig: number) => a.re[sig][lo] + t * (a.re[sig][hi] - a.re[sig][lo]);
  const netVolts: Record<string, number> = { '0': 0 };
  const netIndex: Record<string, number> = {};
  for (const n of model.nets) {
    const i = signalIndex(a, `v(${n})`);
    netIndex[n] = i;
    if (i >= 0) netVolts[n] = at(i);
  }
  const slope = (net: string) => {
    if (net === '0') return 0;
    const i = netIndex[net] ?? signalIndex(a, `v(${net})`);
    if (i < 0 || hi === lo) return NaN;
    return (a.re[i][hi] - a.re[i][lo]) / (a.x[hi] - a.x[lo] || NaN);
  };
  const partCurrents: Record<string, number> = {};
  for (const p of model.parts) {
    let i = NaN;
    const c = p.current;
    if (c.how === 'signal') {
      const k = signalIndex(a, c.signal);
      if (k >= 0) i = at(k);
    } else if (c.how === 'ohm') i = ((netVolts[p.nets[0]] ?? NaN) - (netVolts[p.nets[1]] ?? NaN)) / c.r;
    else if (a.analysis === 'tran') i = c.c * (slope(p.nets[0]) - slope(p.nets[1]));
    else if (a.analysis === 'op') i = 0;
    if (Number.isFinite(i)) partCurrents[p.id] = i;
  }
  const segmentCurrents = new Float64Array(model.segments.length).fill(NaN);
  for (const isl of model.islands) {
    const inj = new Map<string, number>();
    let sum = 0;
    let ok = true;
    for (const k of isl.known) {
      const i = partCurrents[k.part];
      if (i === undefined) {
        ok = false;
        break;
      }
      inj.set(k.node, (inj.get(k.node) ?? 0) + k.sign * i);
      sum += k.sign * i;
    }
    if (!ok) continue;
    if (isl.unknownNode) inj.set(isl.unknownNode, (inj.get(isl.unknownNode) ?? 0) - sum);
    // Leaves first: the current on the edge into a node carries away what its subtree takes in.
    const sub = new Map(inj);
    for (let k = isl.order.length - 1; k > 0; k--) {
      const n = isl.order[k];
      const { seg, parent } = isl.parentEdge.get(n)!;
      const s = sub.get(n) ?? 0; // entering the wiring below n
      // Flow parent -> n is -s; the segment's a->b direction decides the sign.
      const flowToN = -s;
      segmentCurrents[seg] = key(model.segments[seg].b) === n ? flowToN : -flowToN;
      sub.set(parent, (sub.get(parent) ?? 0) + s);
    }
  }
  return { x: a.x[lo] + t * (a.x[hi] - a.x[lo]), netVolts, partCurrents, segmentCurrents };
}

/** Running extremes of a result, updated with the rows streamed since the last call. */
export class LiveScale {
  private rowsSeen = 0;
  private source: AnalysisResult | null = null;
  vmin = 0;
  vmax = 0;
  imax = 0;

  update(model: LiveModel, a: AnalysisResult): this {
    if (a !== this.source) {
      this.source = a;
      this.rowsSeen = 0;
      this.vmin = 0;
      this.vmax = 0;
      this.imax = 0;
    }
    const idx = model.nets.map((n) => signalIndex(a, `v(${n})`)).filter((i) => i >= 0);
    for (let r = this.rowsSeen; r < a.rows; r++) {
      for (const i of idx) {
        const v = a.re[i][r];
        if (v < this.vmin) this.vmin = v;
        if (v > this.vmax) this.vmax = v;
      }
    }
    // Currents are sampled every row through the frame computation, which is costlier: a
    // stride keeps a long run cheap (the scale only sets the dots' speed).
    const stride = Math.max(1, Math.floor((a.rows - this.rowsSeen) / 200));
    for (let r = this.rowsSeen; r < a.rows; r += stride) {
      const f = liveFrame(model, a, a.x[r]);
      if (!f) break;
      for (const i of Object.values(f.partCurrents)) if (Math.abs(i) > this.imax) this.imax = Math.abs(i);
    }
    this.rowsSeen = a.rows;
    return this;
  }

  /** Half-range of the voltage colour scale (symmetric about 0 V). */
  get vlim(): number {
    return Math.max(Math.abs(this.vmin), Math.abs(this.vmax)) || 1;
  }
}

const GREY = [148, 163, 184];
const GREEN = [22, 163, 74];
const RED = [220, 38, 38];

/** Colour of a voltage on a scale of ±lim: grey at 0 V, green positive, red negative (as CircuitJS). */
export function voltageColor(v: number, lim: number): string {
  if (!Number.isFinite(v)) return 'rgb(148,163,184)';
  const t = Math.max(-1, Math.min(1, v / (lim || 1)));
  const to = t >= 0 ? GREEN : RED;
  const u = Math.abs(t);
  const c = GREY.map((g, i) => Math.round(g + (to[i] - g) * u));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Speed of the current dots, px per second at zoom 1: proportional to the current, 120 px/s at imax. */
export function dotSpeed(i: number, imax: number): number {
  if (!Number.isFinite(i) || !(imax > 0)) return 0;
  return (120 * i) / imax;
}

/** Interpolated value of a signal at x (for hover values). */
export function valueAt(a: AnalysisResult, signal: string, x?: number): number {
  const i = signalIndex(a, signal);
  if (i < 0 || a.rows === 0) return NaN;
  if (x === undefined) return a.re[i][a.rows - 1];
  return interpolateAt(a.x, a.re[i], x, a.rows);
}
