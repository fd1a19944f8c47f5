// Pure edits on a schematic document. Each returns a new document.
import { elementDef } from '../elements';
import { onSegmentInterior, pinPositions, samePt } from './geometry';
import { newId, type Probe, type Pt, type Rot, type SchElement, type SchematicDoc, type Wire } from './schema';

export function nextName(doc: SchematicDoc, prefix: string): string {
  const used = new Set(Object.values(doc.elements).map((e) => e.name.toUpperCase()));
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`.toUpperCase())) return `${prefix}${i}`;
}

export function addElement(
  doc: SchematicDoc,
  kind: string,
  at: Pt,
  rot: Rot = 0,
  mirror = false,
  props?: Record<string, string>,
  name?: string,
): { doc: SchematicDoc; id: string } {
  const def = elementDef(kind);
  const id = newId('e');
  // A new net label gets a name no other label uses, so dropping it never joins nets by accident.
  const fresh: Record<string, string> = kind === 'label' && !props?.net ? { net: freshLabelName(doc) } : {};
  const el: SchElement = {
    id,
    kind,
    name: name ?? nextName(doc, def.prefix),
    x: at.x,
    y: at.y,
    rot,
    mirror,
    props: { ...def.defaultProps, ...fresh, ...props },
  };
  return { doc: { ...doc, elements: { ...doc.elements, [id]: el } }, id };
}

/** A net name (net1, net2, ...) that no label of the document uses yet (case-insensitive). */
export function freshLabelName(doc: SchematicDoc): string {
  const used = new Set(Object.values(doc.elements).filter((e) => e.kind === 'label').map((e) => (e.props.net ?? '').trim().toLowerCase()));
  for (let i = 1; ; i++) if (!used.has(`net${i}`)) return `net${i}`;
}

/** Ids of every element and wire of the document (select all). */
export function allItemIds(doc: SchematicDoc): string[] {
  return [...Object.keys(doc.elements), ...Object.keys(doc.wires)];
}

export function addWire(doc: SchematicDoc, a: Pt, b: Pt): { doc: SchematicDoc; id: string | null } {
  if (samePt(a, b)) return { doc, id: null };
  const dup = Object.values(doc.wires).some((w) => (samePt(w.a, a) && samePt(w.b, b)) || (samePt(w.a, b) && samePt(w.b, a)));
  if (dup) return { doc, id: null };
  const id = newId('w');
  const w: Wire = { id, a: { ...a }, b: { ...b } };
  return { doc: { ...doc, wires: { ...doc.wires, [id]: w } }, id };
}

/** Move elements (and selected wires) by (dx, dy); wire ends on a moved pin follow it (rubber band). */
export function moveItems(doc: SchematicDoc, ids: readonly string[], dx: number, dy: number, base: SchematicDoc = doc): SchematicDoc {
  if (!ids.length) return doc;
  const elements = { ...doc.elements };
  const wires = { ...doc.wires };
  const movedPins: Pt[] = [];
  for (const id of ids) {
    const el = base.elements[id];
    if (el) {
      movedPins.push(...pinPositions(el, elementDef(el.kind).pins));
      elements[id] = { ...el, x: el.x + dx, y: el.y + dy };
    }
  }
  const shift = (p: Pt) => ({ x: p.x + dx, y: p.y + dy });
  for (const w of Object.values(base.wires)) {
    if (ids.includes(w.id)) {
      wires[w.id] = { ...w, a: shift(w.a), b: shift(w.b) };
      continue;
    }
    const ma = movedPins.some((p) => samePt(p, w.a));
    const mb = movedPins.some((p) => samePt(p, w.b));
    if (ma || mb) wires[w.id] = { ...w, a: ma ? shift(w.a) : w.a, b: mb ? shift(w.b) : w.b };
  }
  return { ...doc, elements, wires };
}

export function rotateElements(doc: SchematicDoc, ids: readonly string[]): SchematicDoc {
  return mapElements(doc, ids, (e) => ({ ...e, rot: (((e.rot + 1) % 4) as Rot) }));
}

/**
 * Rotate the selected elements and wires a quarter turn clockwise about their common centre
 * (the grid point nearest the middle of their bounding box) as one rigid group. A wire end on
 * a pin of the group follows that pin, so connections to the rest of the circuit stay made.
 * One selected element alone turns about its own origin (as rotateElements).
 */
export function rotateGroup(doc: SchematicDoc, ids: readonly string[]): SchematicDoc {
  return transformGroup(doc, ids, (p, c) => ({ x: c.x - (p.y - c.y), y: c.y + (p.x - c.x) }), (e) => ({ rot: (((e.rot + 1) % 4) as Rot), mirror: e.mirror }));
}

/**
 * Mirror the selected elements and wires left-right about the vertical line through their
 * common centre, as one group; wire ends on pins of the group follow. Mirroring on screen turns
 * an element's rotation the other way: (rot, mirror) -> (-rot, !mirror).
 */
export function mirrorGroup(doc: SchematicDoc, ids: readonly string[]): SchematicDoc {
  return transformGroup(doc, ids, (p, c) => ({ x: 2 * c.x - p.x, y: p.y }), (e) => ({ rot: (((4 - e.rot) % 4) as Rot), mirror: !e.mirror }));
}

function transformGroup(
  doc: SchematicDoc,
  ids: readonly string[],
  map: (p: Pt, centre: Pt) => Pt,
  orient: (e: SchElement) => Pick<SchElement, 'rot' | 'mirror'>,
): SchematicDoc {
  const els = ids.map((id) => doc.elements[id]).filter((e): e is SchElement => !!e);
  const ws = ids.map((id) => doc.wires[id]).filter((w): w is Wire => !!w);
  if (!els.length && !ws.length) return doc;
  const pts: Pt[] = [];
  for (const e of els) pts.push({ x: e.x, y: e.y }, ...pinPositions(e, elementDef(e.kind).pins));
  for (const w of ws) pts.push(w.a, w.b);
  const centre =
    els.length === 1 && !ws.length
      ? { x: els[0].x, y: els[0].y }
      : {
          x: Math.round((Math.min(...pts.map((p) => p.x)) + Math.max(...pts.map((p) => p.x))) / 2),
          y: Math.round((Math.min(...pts.map((p) => p.y)) + Math.max(...pts.map((p) => p.y))) / 2),
        };
  const f = (p: Pt) => {
    const q = map(p, centre);
    return { x: q.x + 0, y: q.y + 0 };
  };
  // Old pin position -> new pin position, for the wires that follow.
  const moved = new Map<string, Pt>();
  const elements = { ...doc.elements };
  for (const e of els) {
    const o = f({ x: e.x, y: e.y });
    const ne: SchElement = { ...e, ...orient(e), x: o.x, y: o.y };
    elements[e.id] = ne;
    const before = pinPositions(e, elementDef(e.kind).pins);
    const after = pinPositions(ne, elementDef(e.kind).pins);
    before.forEach((p, i) => moved.set(`${p.x},${p.y}`, after[i]));
  }
  const selectedWires = new Set(ws.map((w) => w.id));
  for (const w of ws) for (const p of [w.a, w.b]) if (!moved.has(`${p.x},${p.y}`)) moved.set(`${p.x},${p.y}`, f(p));
  const wires = { ...doc.wires };
  // Points where something joins a wire in its middle (T junctions), which must stay joined.
  const joints: Pt[] = [];
  for (const w of Object.values(doc.wires)) joints.push(w.a, w.b);
  for (const e of Object.values(doc.elements)) if (!ids.includes(e.id)) joints.push(...pinPositions(e, elementDef(e.kind).pins));
  for (const w of Object.values(doc.wires)) {
    if (selectedWires.has(w.id)) {
      wires[w.id] = { ...w, a: f(w.a), b: f(w.b) };
      continue;
    }
    const a = moved.get(`${w.a.x},${w.a.y}`);
    const b = moved.get(`${w.b.x},${w.b.y}`);
    if (!a && !b) continue;
    // A wire that follows a moved pin is first cut at its T junctions, so only the end piece
    // bends and whatever joined its middle stays joined.
    const cuts = joints
      .filter((p) => onSegmentInterior(p, w.a, w.b))
      .filter((p, i, all) => all.findIndex((q) => samePt(p, q)) === i)
      .sort((p, q) => Math.hypot(p.x - w.a.x, p.y - w.a.y) - Math.hypot(q.x - w.a.x, q.y - w.a.y));
    const pts = [w.a, ...cuts, w.b];
    delete wires[w.id];
    for (let i = 1; i < pts.length; i++) {
      const id = i === 1 ? w.id : newId('w');
      wires[id] = { id, a: i === 1 && a ? a : pts[i - 1], b: i === pts.length - 1 && b ? b : pts[i] };
    }
  }
  return { ...doc, elements, wires };
}

export function mirrorElements(doc: SchematicDoc, ids: readonly string[]): SchematicDoc {
  return mapElements(doc, ids, (e) => ({ ...e, mirror: !e.mirror }));
}

export function setProps(doc: SchematicDoc, id: string, props: Record<string, string>): SchematicDoc {
  return mapElements(doc, [id], (e) => ({ ...e, props: { ...e.props, ...props } }));
}

export function renameElement(doc: SchematicDoc, id: string, name: string): SchematicDoc {
  return mapElements(doc, [id], (e) => ({ ...e, name }));
}

export function deleteItems(doc: SchematicDoc, ids: readonly string[]): SchematicDoc {
  const set = new Set(ids);
  if (![...set].some((id) => doc.elements[id] || doc.wires[id])) return doc;
  const elements = Object.fromEntries(Object.entries(doc.elements).filter(([id]) => !set.has(id)));
  const wires = Object.fromEntries(Object.entries(doc.wires).filter(([id]) => !set.has(id)));
  return {
    ...doc,
    elements,
    wires,
    probes: doc.probes.filter((p) => !set.has(p.elementId ?? '') && !set.has(p.wireId ?? '')),
    sliders: doc.sliders.filter((s) => !set.has(s.elementId)),
  };
}

export function addProbe(doc: SchematicDoc, probe: Omit<Probe, 'id'>): SchematicDoc {
  const same = doc.probes.find(
    (p) => p.kind === probe.kind && p.wireId === probe.wireId && p.elementId === probe.elementId && p.pin === probe.pin,
  );
  if (same) return doc;
  return { ...doc, probes: [...doc.probes, { ...probe, id: newId('p') }] };
}

export function removeProbe(doc: SchematicDoc, id: string): SchematicDoc {
  return { ...doc, probes: doc.probes.filter((p) => p.id !== id) };
}

function mapElements(doc: SchematicDoc, ids: readonly string[], fn: (e: SchElement) => SchElement): SchematicDoc {
  let changed = false;
  const elements = { ...doc.elements };
  for (const id of ids) {
    const e = elements[id];
    if (e) {
      elements[id] = fn(e);
      changed = true;
    }
  }
  return changed ? { ...doc, elements } : doc;
}
