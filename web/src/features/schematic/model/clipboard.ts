// Copy, paste, duplicate and box selection on a schematic: pure functions over the document.
import { elementDef, hasElementDef } from '../elements';
import { pinPositions, transformPoint } from './geometry';
import { nextName } from './ops';
import { newId, type Pt, type SchElement, type SchematicDoc, type Wire } from './schema';

/** What Copy keeps: the selected elements and wires, as they were. */
export interface Clip {
  kind: 'simcore.clip';
  elements: SchElement[];
  wires: Wire[];
}

export function copyItems(doc: SchematicDoc, ids: readonly string[]): Clip | null {
  const elements = ids.map((id) => doc.elements[id]).filter((e): e is SchElement => !!e);
  const wires = ids.map((id) => doc.wires[id]).filter((w): w is Wire => !!w);
  return elements.length || wires.length ? { kind: 'simcore.clip', elements, wires } : null;
}

/**
 * Paste a clip shifted by (dx, dy): new ids, and new names where a name is taken (R1 -> the next
 * free R name; net labels keep their net, as a copied label names the same net). Returns the
 * new document and the ids of the pasted items (the new selection).
 */
export function pasteClip(doc: SchematicDoc, clip: Clip, dx: number, dy: number): { doc: SchematicDoc; ids: string[] } {
  const elements = { ...doc.elements };
  const wires = { ...doc.wires };
  const ids: string[] = [];
  let cur: SchematicDoc = doc;
  for (const e of clip.elements) {
    if (!hasElementDef(e.kind)) continue;
    const id = newId('e');
    const taken = Object.values(cur.elements).some((o) => o.name.toUpperCase() === e.name.toUpperCase());
    const name = taken ? nextName(cur, elementDef(e.kind).prefix) : e.name;
    elements[id] = { ...e, id, name, x: e.x + dx, y: e.y + dy, props: { ...e.props } };
    cur = { ...cur, elements };
    ids.push(id);
  }
  for (const w of clip.wires) {
    const id = newId('w');
    wires[id] = { id, a: { x: w.a.x + dx, y: w.a.y + dy }, b: { x: w.b.x + dx, y: w.b.y + dy } };
    ids.push(id);
  }
  return { doc: { ...doc, elements, wires }, ids };
}

/** Top-left grid point of a clip's parts and wires (Paste here puts it at the click). */
export function clipOrigin(c: Clip): Pt {
  const xs = [...c.elements.map((e) => e.x), ...c.wires.flatMap((w) => [w.a.x, w.b.x])];
  const ys = [...c.elements.map((e) => e.y), ...c.wires.flatMap((w) => [w.a.y, w.b.y])];
  return { x: Math.min(...xs), y: Math.min(...ys) };
}

/** A clip from clipboard text, or null when the text is not one. */
export function parseClip(text: string): Clip | null {
  try {
    const o = JSON.parse(text) as Partial<Clip>;
    if (o?.kind !== 'simcore.clip' || !Array.isArray(o.elements) || !Array.isArray(o.wires)) return null;
    return { kind: 'simcore.clip', elements: o.elements, wires: o.wires };
  } catch {
    return null;
  }
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const inside = (p: Pt, r: Rect) => p.x >= Math.min(r.x0, r.x1) && p.x <= Math.max(r.x0, r.x1) && p.y >= Math.min(r.y0, r.y1) && p.y <= Math.max(r.y0, r.y1);

/** Box selection: elements whose pins and origin all lie in the rectangle, wires with both ends in it (grid units). */
export function itemsInRect(doc: SchematicDoc, r: Rect): string[] {
  const out: string[] = [];
  for (const e of Object.values(doc.elements)) {
    if (!hasElementDef(e.kind)) continue;
    if ([{ x: e.x, y: e.y }, ...pinPositions(e, elementDef(e.kind).pins)].every((p) => inside(p, r))) out.push(e.id);
  }
  for (const w of Object.values(doc.wires)) if (inside(w.a, r) && inside(w.b, r)) out.push(w.id);
  return out;
}

/** Bounding box (grid units) of everything drawn: element boxes and wires; null for an empty document. */
export function docBounds(doc: SchematicDoc): Rect | null {
  const pts: Pt[] = [];
  for (const e of Object.values(doc.elements)) {
    if (!hasElementDef(e.kind)) continue;
    const [x0, y0, x1, y1] = elementDef(e.kind).box;
    for (const c of [{ x: x0, y: y0 }, { x: x1, y: y1 }]) {
      const t = transformPoint(c, e.rot, e.mirror);
      pts.push({ x: e.x + t.x, y: e.y + t.y });
    }
  }
  for (const w of Object.values(doc.wires)) pts.push(w.a, w.b);
  if (!pts.length) return null;
  return { x0: Math.min(...pts.map((p) => p.x)), y0: Math.min(...pts.map((p) => p.y)), x1: Math.max(...pts.map((p) => p.x)), y1: Math.max(...pts.map((p) => p.y)) };
}

/** The view (pan px, zoom) that fits a box of grid units into width x height px with a margin, zoom in [0.25, 2]. */
export function fitView(b: Rect, width: number, height: number, grid: number, margin = 40): { x: number; y: number; scale: number } {
  const w = Math.max(1, (b.x1 - b.x0) * grid);
  const h = Math.max(1, (b.y1 - b.y0) * grid);
  const scale = Math.min(2, Math.max(0.25, Math.min((width - 2 * margin) / w, (height - 2 * margin) / h)));
  return { scale, x: (width - w * scale) / 2 - b.x0 * grid * scale, y: (height - h * scale) / 2 - b.y0 * grid * scale };
}
