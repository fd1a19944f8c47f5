import type { Pt, Rot, SchElement } from './schema';

/** Pixels per grid unit on screen. */
export const GRID = 20;

/** Local (unrotated) point -> document point: mirror about local y axis, then rotate clockwise by rot quarter turns. */
export function transformPoint(p: Pt, rot: Rot, mirror: boolean): Pt {
  let x = mirror ? -p.x : p.x;
  let y = p.y;
  for (let i = 0; i < rot; i++) [x, y] = [-y, x];
  return { x: x + 0, y: y + 0 }; // +0 turns -0 into 0
}

export function pinPositions(el: SchElement, pins: readonly Pt[]): Pt[] {
  return pins.map((p) => {
    const t = transformPoint(p, el.rot, el.mirror);
    return { x: el.x + t.x, y: el.y + t.y };
  });
}

export const key = (p: Pt) => `${p.x},${p.y}`;
export const samePt = (a: Pt, b: Pt) => a.x === b.x && a.y === b.y;

/** True when p lies on segment a-b strictly between its ends. */
export function onSegmentInterior(p: Pt, a: Pt, b: Pt): boolean {
  if (samePt(p, a) || samePt(p, b)) return false;
  const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
  if (cross !== 0) return false;
  return p.x >= Math.min(a.x, b.x) && p.x <= Math.max(a.x, b.x) && p.y >= Math.min(a.y, b.y) && p.y <= Math.max(a.y, b.y);
}

export function distToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** SVG transform for an element's local drawing (local px -> screen px). */
export function elementTransform(el: Pick<SchElement, 'x' | 'y' | 'rot' | 'mirror'>): string {
  return `translate(${el.x * GRID} ${el.y * GRID}) rotate(${el.rot * 90})${el.mirror ? ' scale(-1 1)' : ''}`;
}
