// What lies under a point of the canvas: pure geometry over the document, the same
// test for the app and for the test editor (no DOM hit testing).
import { elementDef, hasElementDef } from '../elements';
import { distToSegment, GRID } from '../model/geometry';
import type { Pt, SchElement, SchematicDoc } from '../model/schema';

export type Hit = { kind: 'element'; id: string } | { kind: 'wire'; id: string };

/** Margin around an element's hit box, and half the width of a wire's hit band, in grid units. */
export const ELEMENT_MARGIN = 4 / GRID;
export const WIRE_REACH = 6 / GRID;

/** Document point -> the element's local (unrotated, unmirrored) frame. */
export function toLocal(el: Pick<SchElement, 'x' | 'y' | 'rot' | 'mirror'>, p: Pt): Pt {
  let x = p.x - el.x;
  let y = p.y - el.y;
  // Undo the clockwise quarter turns: (x, y) -> (y, -x) per turn.
  for (let i = 0; i < el.rot; i++) [x, y] = [y, -x];
  if (el.mirror) x = -x;
  return { x: x + 0, y: y + 0 };
}

export function elementContains(el: SchElement, p: Pt, margin = ELEMENT_MARGIN): boolean {
  if (!hasElementDef(el.kind)) return false;
  const [x0, y0, x1, y1] = elementDef(el.kind).box;
  const q = toLocal(el, p);
  return q.x >= x0 - margin && q.x <= x1 + margin && q.y >= y0 - margin && q.y <= y1 + margin;
}

/**
 * The topmost item at p (grid units, unsnapped): elements are drawn over wires and later
 * items over earlier ones, so elements are tried first, last to first, then wires.
 */
export function hitTest(doc: SchematicDoc, p: Pt): Hit | null {
  const els = Object.values(doc.elements);
  for (let i = els.length - 1; i >= 0; i--) if (elementContains(els[i], p)) return { kind: 'element', id: els[i].id };
  const ws = Object.values(doc.wires);
  for (let i = ws.length - 1; i >= 0; i--) if (distToSegment(p, ws[i].a, ws[i].b) <= WIRE_REACH) return { kind: 'wire', id: ws[i].id };
  return null;
}
