// The four tools of the schematic editor as plain objects: each reacts to a pointer
// event already resolved to grid points and a hit, and acts through the machine's
// context (document operations, editor state, gestures). No React, no DOM.
import { elementDef, hasElementDef } from '../elements';
import { onSegmentInterior, pinPositions, samePt } from '../model/geometry';
import { addElement, addWire, moveItems } from '../model/ops';
import { itemsInRect } from '../model/clipboard';
import type { Tool } from '../model/editor-store';
import type { Pt, SchematicDoc } from '../model/schema';
import type { Hit } from './hit-test';
import type { ToolContext } from './machine';

/** A pointer event as a tool sees it. */
export interface ToolPointer {
  /** Canvas px. */
  screen: Pt;
  /** Nearest grid point. */
  grid: Pt;
  /** Exact grid position (fractions kept). */
  exact: Pt;
  /** Topmost item under the pointer. */
  hit: Hit | null;
  button: number;
  shift: boolean;
  ctrl: boolean;
}

/** A drag in progress, owned by the tool that started it. */
export type Gesture =
  | { type: 'move'; ids: string[]; start: Pt; base: SchematicDoc; key: string; moved: boolean }
  | { type: 'pan'; sx: number; sy: number; vx: number; vy: number }
  | { type: 'marquee'; start: Pt; add: string[] };

export interface ToolHandler {
  /** Returns true when the pointer should be captured (a drag started). */
  pointerDown(ctx: ToolContext, ev: ToolPointer): boolean;
}

let dragCounter = 0;

const select: ToolHandler = {
  pointerDown(ctx, ev) {
    const s = ctx.editor.get();
    if (ev.button !== 0) return false;
    if (!ev.hit) {
      if (ev.ctrl) return ctx.startPan(ev);
      // A drag on the background draws a selection box; Shift adds to the selection.
      ctx.gesture = { type: 'marquee', start: ev.exact, add: ev.shift ? s.selection : [] };
      if (!ev.shift) ctx.editor.set({ ...s, selection: [] });
      return true;
    }
    const id = ev.hit.id;
    const selection =
      ev.hit.kind === 'element'
        ? ev.shift
          ? [...new Set([...s.selection, id])]
          : s.selection.includes(id)
            ? s.selection
            : [id]
        : ev.shift
          ? [...new Set([...s.selection, id])]
          : [id];
    ctx.editor.set({ ...s, selection });
    ctx.gesture = { type: 'move', ids: selection, start: ev.grid, base: ctx.docStore.doc(), key: `drag${++dragCounter}`, moved: false };
    return true;
  },
};

const wire: ToolHandler = {
  pointerDown(ctx, ev) {
    if (ev.button !== 0) return false;
    const s = ctx.editor.get();
    const p = ev.grid;
    if (!s.wireStart) ctx.editor.set({ ...s, wireStart: p });
    else if (samePt(p, s.wireStart)) ctx.editor.set({ ...s, wireStart: null });
    else ctx.editor.set({ ...s, wireStart: finishWireTo(ctx, p, s.wireStart) });
    return false;
  },
};

const place: ToolHandler = {
  pointerDown(ctx, ev) {
    if (ev.button !== 0) return false;
    const s = ctx.editor.get();
    if (!s.placeKind) return false;
    const kind = s.placeKind;
    let id = '';
    ctx.docStore.update((d) => {
      const r = addElement(d, kind, ev.grid, s.placeRot, s.placeMirror);
      id = r.id;
      return r.doc;
    });
    ctx.editor.set({ ...ctx.editor.get(), selection: [id] });
    return false;
  },
};

const probe: ToolHandler = {
  pointerDown(ctx, ev) {
    if (ev.button !== 0) return false;
    const hit = ev.hit;
    if (!hit) return ctx.startPan(ev);
    if (hit.kind === 'wire') {
      ctx.onProbe({ kind: 'v', wireId: hit.id });
      return false;
    }
    const el = ctx.docStore.doc().elements[hit.id];
    if (!el || !hasElementDef(el.kind)) return false;
    if (elementDef(el.kind).current !== 'none') ctx.onProbe({ kind: 'i', elementId: el.id });
    else if (el.kind === 'label' || el.kind === 'ground') ctx.onProbe({ kind: 'v', elementId: el.id, pin: 0 });
    return false;
  },
};

export const TOOLS: Record<Tool, ToolHandler> = { select, wire, place, probe };

/** Pointer moves during a gesture: pan the view, grow the selection box, or drag the selection. */
export function continueGesture(ctx: ToolContext, ev: ToolPointer) {
  const g = ctx.gesture;
  if (!g) return;
  if (g.type === 'pan') {
    const s = ctx.editor.get();
    ctx.editor.set({ ...s, view: { ...s.view, x: g.vx + ev.screen.x - g.sx, y: g.vy + ev.screen.y - g.sy } });
  } else if (g.type === 'marquee') {
    ctx.ui.set((u) => ({ ...u, marquee: { a: g.start, b: ev.exact } }));
    const ids = itemsInRect(ctx.docStore.doc(), { x0: g.start.x, y0: g.start.y, x1: ev.exact.x, y1: ev.exact.y });
    ctx.editor.set({ ...ctx.editor.get(), selection: [...new Set([...g.add, ...ids])] });
  } else {
    const dx = ev.grid.x - g.start.x;
    const dy = ev.grid.y - g.start.y;
    if (!g.moved && dx === 0 && dy === 0) return;
    g.moved = true;
    ctx.docStore.update((doc) => moveItems(doc, g.ids, dx, dy, g.base), { mergeKey: g.key });
  }
}

/** Is p already joined to something (a pin, a wire end or a wire's interior), other than `exclude`? */
export function connectedPoint(doc: SchematicDoc, p: Pt, exclude?: Pt): boolean {
  if (exclude && samePt(p, exclude)) return false;
  for (const el of Object.values(doc.elements)) {
    if (!hasElementDef(el.kind)) continue;
    if (pinPositions(el, elementDef(el.kind).pins).some((q) => samePt(q, p))) return true;
  }
  return Object.values(doc.wires).some((w) => samePt(w.a, p) || samePt(w.b, p) || onSegmentInterior(p, w.a, w.b));
}

/**
 * Draw an L-shaped route (horizontal, then vertical) from start to p. Returns the next wire
 * start: p to go on drawing, or null when p landed on something (the wire is finished).
 */
function finishWireTo(ctx: ToolContext, p: Pt, start: Pt): Pt | null {
  const corner = { x: p.x, y: start.y };
  const before = ctx.docStore.doc();
  ctx.docStore.update((d) => {
    let nd = d;
    if (!samePt(corner, start)) nd = addWire(nd, start, corner).doc;
    if (!samePt(corner, p)) nd = addWire(nd, corner, p).doc;
    return nd;
  });
  // Judged on the document before the new wires (they always touch p).
  return connectedPoint(before, p, start) ? null : p;
}
