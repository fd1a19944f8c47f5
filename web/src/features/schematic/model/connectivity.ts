// Nets of a schematic: wires join their end points and any point lying on
// them; pins on the same point join; labels with the same name join; ground
// pins are net "0". Unlabelled nets are named n1, n2, ... in element order.
import { elementDef, hasElementDef } from '../elements';
import { key, onSegmentInterior, pinPositions } from './geometry';
import type { Pt, SchematicDoc } from './schema';

export interface Connectivity {
  /** Net name of every pin: pinNets[elementId][pinIndex]. */
  pinNets: Record<string, string[]>;
  /** Net name of every wire. */
  wireNets: Record<string, string>;
  /** Points where three or more connections meet (drawn as dots). */
  junctions: Pt[];
  /** Net name -> one point on it (for annotations). */
  netAnchor: Record<string, Pt>;
  /** Pins connected to nothing else (optional pins left open are in openOptional instead). */
  danglingPins: { elementId: string; pin: number; at: Pt }[];
  /** Optional pins (ElementDef.optionalPins) connected to nothing. */
  openOptional: { elementId: string; pin: number; at: Pt }[];
  warnings: string[];
}

class UnionFind {
  private parent = new Map<string, string>();
  find(a: string): string {
    let p = this.parent.get(a);
    if (p === undefined) {
      this.parent.set(a, a);
      return a;
    }
    while (p !== a) {
      const gp = this.parent.get(p)!;
      this.parent.set(a, gp);
      a = p;
      p = this.parent.get(a)!;
    }
    return a;
  }
  union(a: string, b: string) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** SPICE-safe net name from a label ("Vout" -> "vout", spaces -> "_"). */
export function cleanNetName(s: string): string {
  const t = s.trim().toLowerCase().replace(/[^a-z0-9_+\-.]/g, '_');
  return t === 'gnd' ? '0' : t;
}

export function computeConnectivity(doc: SchematicDoc): Connectivity {
  const uf = new UnionFind();
  const wires = Object.values(doc.wires);
  const elements = Object.values(doc.elements).filter((e) => hasElementDef(e.kind));
  const pinPts: Record<string, Pt[]> = {};
  const degree = new Map<string, number>();
  const bump = (p: Pt, n = 1) => degree.set(key(p), (degree.get(key(p)) ?? 0) + n);

  for (const el of elements) {
    const pts = pinPositions(el, elementDef(el.kind).pins);
    pinPts[el.id] = pts;
    for (const p of pts) {
      uf.find(key(p));
      bump(p);
    }
  }
  const points: Pt[] = [];
  for (const el of elements) points.push(...pinPts[el.id]);
  for (const w of wires) {
    uf.union(key(w.a), key(w.b));
    bump(w.a);
    bump(w.b);
    points.push(w.a, w.b);
  }
  // T-junctions: a wire end or pin in the middle of another wire.
  const seen = new Set<string>();
  for (const p of points) {
    const k = key(p);
    if (seen.has(k)) continue;
    seen.add(k);
    for (const w of wires) {
      if (onSegmentInterior(p, w.a, w.b)) {
        uf.union(k, key(w.a));
        bump(p, 2);
      }
    }
  }

  // Which wired (physical) net each pin is on, before labels join nets by name.
  const physical = new Map<string, string>();
  for (const el of elements) for (const p of pinPts[el.id]) physical.set(key(p), uf.find(key(p)));

  // Names: ground first, then labels, then automatic.
  const rootName = new Map<string, string>();
  const warnings: string[] = [];
  const labelRoots = new Map<string, string>();
  // A label name on several wired nets joins them: say so when more than one of them is driven
  // by a voltage source (the sources would fight; often a label dropped on the wrong wire).
  const labelNets = new Map<string, Set<string>>();
  for (const el of elements) {
    if (el.kind !== 'label') continue;
    const name = cleanNetName(el.props.net ?? '');
    if (!name) continue;
    if (!labelNets.has(name)) labelNets.set(name, new Set());
    labelNets.get(name)!.add(physical.get(key(pinPts[el.id][0]))!);
  }
  for (const [name, nets] of labelNets) {
    if (nets.size < 2 || name === '0') continue;
    const drivers: string[] = [];
    for (const net of nets) {
      const v = elements.find((e) => e.kind === 'vsource' && pinPts[e.id].some((p) => physical.get(key(p)) === net));
      if (v) drivers.push(v.name);
    }
    if (drivers.length >= 2) warnings.push(`net label '${name}' joins nets driven by ${drivers.join(' and ')}`);
  }
  for (const el of elements) {
    if (el.kind !== 'label') continue;
    const name = cleanNetName(el.props.net ?? '');
    if (!name) continue;
    const r = key(pinPts[el.id][0]);
    const prev = labelRoots.get(name);
    if (prev) uf.union(prev, r);
    else labelRoots.set(name, r);
  }
  for (const el of elements) {
    if (el.kind === 'ground') rootName.set(uf.find(key(pinPts[el.id][0])), '0');
  }
  for (const [name, r] of labelRoots) {
    const root = uf.find(r);
    const had = rootName.get(root);
    if (had === undefined) rootName.set(root, name);
    else if (had !== name) warnings.push(`net label '${name}' is on net '${had === '0' ? 'ground' : had}'`);
  }
  const taken = new Set(rootName.values());
  let counter = 0;
  const nameOf = (p: Pt): string => {
    const root = uf.find(key(p));
    let n = rootName.get(root);
    if (n === undefined) {
      do n = `n${++counter}`;
      while (taken.has(n));
      taken.add(n);
      rootName.set(root, n);
    }
    return n;
  };

  const pinNets: Record<string, string[]> = {};
  const netAnchor: Record<string, Pt> = {};
  const danglingPins: Connectivity['danglingPins'] = [];
  const openOptional: Connectivity['openOptional'] = [];
  for (const el of elements) {
    const optional = elementDef(el.kind).optionalPins ?? [];
    pinNets[el.id] = pinPts[el.id].map((p, i) => {
      const n = nameOf(p);
      if ((degree.get(key(p)) ?? 0) < 2 && el.kind !== 'label') (optional.includes(i) ? openOptional : danglingPins).push({ elementId: el.id, pin: i, at: p });
      return n;
    });
  }
  const wireNets: Record<string, string> = {};
  for (const w of wires) {
    const n = nameOf(w.a);
    wireNets[w.id] = n;
    if (!netAnchor[n]) netAnchor[n] = { x: (w.a.x + w.b.x) / 2, y: (w.a.y + w.b.y) / 2 };
  }
  for (const el of elements) pinPts[el.id].forEach((p, i) => (netAnchor[pinNets[el.id][i]] ??= p));

  const junctions: Pt[] = [];
  for (const [k, d] of degree) {
    if (d >= 3) {
      const [x, y] = k.split(',').map(Number);
      junctions.push({ x, y });
    }
  }
  return { pinNets, wireNets, junctions, netAnchor, danglingPins, openOptional, warnings };
}
