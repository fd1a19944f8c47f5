// Pure edits on a schematic document. Each returns a new document.
import { elementDef } from '../elements';
import { pinPositions, samePt } from './geometry';
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
  const el: SchElement = {
    id,
    kind,
    name: name ?? nextName(doc, def.prefix),
    x: at.x,
    y: at.y,
    rot,
    mirror,
    props: { ...def.defaultProps, ...props },
  };
  return { doc: { ...doc, elements: { ...doc.elements, [id]: el } }, id };
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
