import { useEffect, useMemo, useRef, useState, type PointerEvent as RPointerEvent } from 'react';
import { useStore } from '@/shared/store/create-store';
import { elementDef, hasElementDef } from '../elements';
import type { DocStore } from '../model/doc-store';
import type { EditorStore } from '../model/editor-store';
import { distToSegment, elementTransform, GRID, onSegmentInterior, pinPositions, samePt, transformPoint } from '../model/geometry';
import { addElement, addWire, allItemIds, deleteItems, mirrorElements, mirrorGroup, moveItems, rotateGroup } from '../model/ops';
import type { Pt, SchElement, SchematicDoc } from '../model/schema';
import { computeConnectivity } from '../model/connectivity';
import { clipOrigin, copyItems, docBounds, fitView, itemsInRect, pasteClip, type Clip } from '../model/clipboard';
import { ContextMenu, type MenuState } from './ContextMenu';

/** Copied items, shared by every canvas of the page (Ctrl+C / Ctrl+V). */
let clipboard: Clip | null = null;
let pasteCount = 0;


export interface Annotation {
  at: Pt;
  text: string;
  kind: 'voltage' | 'current';
}

export interface SchematicCanvasProps {
  docStore: DocStore;
  editor: EditorStore;
  /** Probe tool clicks. */
  onProbe: (p: { kind: 'v'; wireId?: string; elementId?: string; pin?: number } | { kind: 'i'; elementId: string }) => void;
  annotations: Annotation[];
  /** Signal colour per probe target (wire id or element id), for markers. */
  probeColors: Record<string, string>;
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || !!t.closest('.cm-editor'));

export function SchematicCanvas({ docStore, editor, onProbe, annotations, probeColors }: SchematicCanvasProps) {
  const doc = useStore(docStore, (s) => s.doc);
  const ed = useStore(editor, (s) => s);
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<Pt | null>(null);
  const drag = useRef<
    | { type: 'move'; ids: string[]; start: Pt; base: SchematicDoc; key: string; moved: boolean }
    | { type: 'pan'; sx: number; sy: number; vx: number; vy: number }
    | { type: 'marquee'; start: Pt; add: string[] }
    | null
  >(null);
  const [marquee, setMarquee] = useState<{ a: Pt; b: Pt } | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const conn = useMemo(() => computeConnectivity(doc), [doc]);

  const toGrid = (e: { clientX: number; clientY: number }, snap = true): Pt => {
    const r = svgRef.current!.getBoundingClientRect();
    const { x, y, scale } = editor.get().view;
    const gx = (e.clientX - r.left - x) / scale / GRID;
    const gy = (e.clientY - r.top - y) / scale / GRID;
    return snap ? { x: Math.round(gx), y: Math.round(gy) } : { x: gx, y: gy };
  };

  const connectedPoint = (p: Pt, exclude?: Pt): boolean => {
    if (exclude && samePt(p, exclude)) return false;
    for (const el of Object.values(doc.elements)) {
      if (!hasElementDef(el.kind)) continue;
      if (pinPositions(el, elementDef(el.kind).pins).some((q) => samePt(q, p))) return true;
    }
    return Object.values(doc.wires).some((w) => samePt(w.a, p) || samePt(w.b, p) || onSegmentInterior(p, w.a, w.b));
  };

  // Keyboard shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const s = editor.get();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) docStore.redo();
        else docStore.undo();
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        docStore.redo();
      } else if (mod && e.key.toLowerCase() === 'a') {
        // Select all parts and wires, when the canvas has focus (elsewhere the page keeps Ctrl+A).
        if (document.activeElement !== svgRef.current) return;
        e.preventDefault();
        editor.set({ ...s, tool: 'select', placeKind: null, wireStart: null, selection: allItemIds(docStore.doc()) });
      } else if (mod && ['c', 'x', 'v', 'd'].includes(e.key.toLowerCase())) {
        if (document.activeElement !== svgRef.current) return;
        e.preventDefault();
        clipboardAction(e.key.toLowerCase() as 'c' | 'x' | 'v' | 'd');
      } else if (mod) {
        return;
      } else if (e.key === 'Escape') {
        setMenu(null);
        editor.set({ ...s, tool: 'select', placeKind: null, wireStart: null });
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        if (s.selection.length) {
          docStore.update((d) => deleteItems(d, s.selection));
          editor.set({ ...s, selection: [] });
        }
      } else if (e.key === 'r' || e.key === 'R') {
        if (s.tool === 'place') editor.set({ ...s, placeRot: (((s.placeRot + 1) % 4) as 0 | 1 | 2 | 3) });
        else if (s.selection.length) docStore.update((d) => rotateGroup(d, s.selection));
      } else if (e.key === 'm' || e.key === 'M') {
        if (s.tool === 'place') editor.set({ ...s, placeMirror: !s.placeMirror });
        else if (s.selection.length > 1) docStore.update((d) => mirrorGroup(d, s.selection));
        else if (s.selection.length) docStore.update((d) => mirrorElements(d, s.selection));
      } else if (e.key === 'w' || e.key === 'W') {
        editor.set({ ...s, tool: 'wire', placeKind: null, wireStart: null });
      } else if (e.key === 'p' || e.key === 'P') {
        editor.set({ ...s, tool: 'probe', placeKind: null, wireStart: null });
      } else if (e.key === 's' || e.key === 'S') {
        editor.set({ ...s, tool: 'select', placeKind: null, wireStart: null });
      } else if (e.key === 'f' || e.key === 'F') {
        zoomToFit();
      } else if ((e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) && document.activeElement === svgRef.current) {
        // The context menu from the keyboard: at the first selected part, else the canvas centre.
        e.preventDefault();
        const el = svgRef.current!.getBoundingClientRect();
        const first = s.selection.map((id) => docStore.doc().elements[id]).find(Boolean);
        const at = first ? { x: first.x, y: first.y } : { x: Math.round((el.width / 2 - s.view.x) / s.view.scale / GRID), y: Math.round((el.height / 2 - s.view.y) / s.view.scale / GRID) };
        const x = Math.max(0, Math.min(s.view.x + at.x * GRID * s.view.scale, el.width - 210));
        const y = Math.max(0, Math.min(s.view.y + at.y * GRID * s.view.scale, el.height - 330));
        setMenu({ x, y, at, ...(first ? { target: { kind: 'element' as const, id: first.id } } : {}) });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [docStore, editor]);

  /** Copy (c), cut (x), paste (v: at the given point, or shifted from the copy), duplicate (d). */
  const clipboardAction = (what: 'c' | 'x' | 'v' | 'd', at?: Pt) => {
    const s = editor.get();
    const doc = docStore.doc();
    if (what === 'c' || what === 'x' || what === 'd') {
      const clip = copyItems(doc, s.selection);
      if (!clip) return;
      if (what === 'd') return paste(clip, 2, 2);
      clipboard = clip;
      pasteCount = 0;
      try {
        void navigator.clipboard?.writeText(JSON.stringify(clip)).catch(() => undefined);
      } catch {
        /* no clipboard access: the in-page copy still works */
      }
      if (what === 'x') {
        docStore.update((d) => deleteItems(d, s.selection));
        editor.set({ ...s, selection: [] });
      }
      return;
    }
    if (!clipboard) return;
    if (at) {
      const b = clipOrigin(clipboard);
      return paste(clipboard, at.x - b.x, at.y - b.y);
    }
    pasteCount++;
    paste(clipboard, 2 * pasteCount, 2 * pasteCount);
  };

  const paste = (clip: Clip, dx: number, dy: number) => {
    let ids: string[] = [];
    docStore.update((d) => {
      const r = pasteClip(d, clip, dx, dy);
      ids = r.ids;
      return r.doc;
    });
    editor.set({ ...editor.get(), tool: 'select', placeKind: null, wireStart: null, selection: ids });
  };

  const zoomToFit = () => {
    const b = docBounds(docStore.doc());
    const el = svgRef.current;
    if (!b || !el) return;
    const r = el.getBoundingClientRect();
    editor.set({ ...editor.get(), view: fitView(b, r.width, r.height, GRID) });
  };

  const finishWireTo = (p: Pt, start: Pt): Pt | null => {
    // L-shaped route: horizontal, then vertical.
    const corner = { x: p.x, y: start.y };
    docStore.update((d) => {
      let nd = d;
      if (!samePt(corner, start)) nd = addWire(nd, start, corner).doc;
      if (!samePt(corner, p)) nd = addWire(nd, corner, p).doc;
      return nd;
    });
    return connectedPoint(p, start) ? null : p;
  };

  const onBackgroundDown = (e: RPointerEvent) => {
    const s = editor.get();
    const p = toGrid(e);
    setMenu(null);
    // Select tool: a drag on the background draws a selection box (Shift adds to the selection);
    // the middle button, Ctrl/Cmd + drag, or the probe tool pan.
    if (s.tool === 'select' && e.button === 0 && !(e.ctrlKey || e.metaKey)) {
      drag.current = { type: 'marquee', start: toGrid(e, false), add: e.shiftKey ? s.selection : [] };
      svgRef.current?.setPointerCapture?.(e.pointerId);
      if (!e.shiftKey) editor.set({ ...s, selection: [] });
      return;
    }
    if (e.button === 1 || (s.tool === 'select' && e.button === 0) || (s.tool === 'probe' && e.button === 0)) {
      drag.current = { type: 'pan', sx: e.clientX, sy: e.clientY, vx: s.view.x, vy: s.view.y };
      (e.target as Element).setPointerCapture?.(e.pointerId);
      return;
    }
    if (e.button !== 0) return;
    if (s.tool === 'place' && s.placeKind) {
      const kind = s.placeKind;
      let id = '';
      docStore.update((d) => {
        const r = addElement(d, kind, p, s.placeRot, s.placeMirror);
        id = r.id;
        return r.doc;
      });
      editor.set({ ...editor.get(), selection: [id] });
    } else if (s.tool === 'wire') {
      if (!s.wireStart) editor.set({ ...s, wireStart: p });
      else if (samePt(p, s.wireStart)) editor.set({ ...s, wireStart: null });
      else editor.set({ ...s, wireStart: finishWireTo(p, s.wireStart) });
    }
  };

  const onElementDown = (e: RPointerEvent, el: SchElement) => {
    const s = editor.get();
    if (s.tool === 'probe') {
      e.stopPropagation();
      if (elementDef(el.kind).current !== 'none') onProbe({ kind: 'i', elementId: el.id });
      else if (el.kind === 'label' || el.kind === 'ground') onProbe({ kind: 'v', elementId: el.id, pin: 0 });
      return;
    }
    if (s.tool !== 'select' || e.button !== 0) return;
    e.stopPropagation();
    const selection = e.shiftKey ? [...new Set([...s.selection, el.id])] : s.selection.includes(el.id) ? s.selection : [el.id];
    editor.set({ ...s, selection });
    drag.current = { type: 'move', ids: selection, start: toGrid(e), base: docStore.doc(), key: `drag${Date.now()}`, moved: false };
    svgRef.current?.setPointerCapture?.(e.pointerId);
  };

  const onWireDown = (e: RPointerEvent, wireId: string) => {
    const s = editor.get();
    if (s.tool === 'probe') {
      e.stopPropagation();
      onProbe({ kind: 'v', wireId });
      return;
    }
    if (s.tool !== 'select' || e.button !== 0) return;
    e.stopPropagation();
    const selection = e.shiftKey ? [...new Set([...s.selection, wireId])] : [wireId];
    editor.set({ ...s, selection });
    drag.current = { type: 'move', ids: selection, start: toGrid(e), base: docStore.doc(), key: `drag${Date.now()}`, moved: false };
    svgRef.current?.setPointerCapture?.(e.pointerId);
  };

  const onMove = (e: RPointerEvent) => {
    const p = toGrid(e);
    if (!hover || !samePt(hover, p)) setHover(p);
    const d = drag.current;
    if (!d) return;
    if (d.type === 'pan') {
      const s = editor.get();
      editor.set({ ...s, view: { ...s.view, x: d.vx + e.clientX - d.sx, y: d.vy + e.clientY - d.sy } });
    } else if (d.type === 'marquee') {
      const b = toGrid(e, false);
      setMarquee({ a: d.start, b });
      const ids = itemsInRect(docStore.doc(), { x0: d.start.x, y0: d.start.y, x1: b.x, y1: b.y });
      editor.set({ ...editor.get(), selection: [...new Set([...d.add, ...ids])] });
    } else {
      const dx = p.x - d.start.x;
      const dy = p.y - d.start.y;
      if (!d.moved && dx === 0 && dy === 0) return;
      d.moved = true;
      docStore.update((doc) => moveItems(doc, d.ids, dx, dy, d.base), { mergeKey: d.key });
    }
  };

  const onUp = () => {
    drag.current = null;
    setMarquee(null);
  };

  const onContextMenu = (e: React.MouseEvent) => {
    e.preventDefault();
    const s = editor.get();
    if (s.tool !== 'select') {
      // Right-click ends a tool (wire, place, probe).
      editor.set({ ...s, tool: 'select', placeKind: null, wireStart: null });
      return;
    }
    const r = svgRef.current!.getBoundingClientRect();
    const hit = (e.target as Element).closest('[data-item-id]');
    const id = hit?.getAttribute('data-item-id') ?? undefined;
    const kind = hit?.getAttribute('data-item-kind') as 'element' | 'wire' | undefined;
    if (id && !s.selection.includes(id)) editor.set({ ...s, selection: [id] });
    // Kept inside the canvas (the menu is 210 x 330 px at most).
    const x = Math.max(0, Math.min(e.clientX - r.left, r.width - 210));
    const y = Math.max(0, Math.min(e.clientY - r.top, r.height - 330));
    setMenu({ x, y, at: toGrid(e), ...(id && kind ? { target: { kind, id } } : {}) });
  };

  const onWheel = (e: React.WheelEvent) => {
    const r = svgRef.current!.getBoundingClientRect();
    const s = editor.get();
    const f = Math.exp(-e.deltaY * 0.0015);
    const scale = Math.min(4, Math.max(0.25, s.view.scale * f));
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    const k = scale / s.view.scale;
    editor.set({ ...s, view: { scale, x: mx - (mx - s.view.x) * k, y: my - (my - s.view.y) * k } });
  };

  const onDoubleClick = () => {
    const s = editor.get();
    if (s.tool === 'wire') editor.set({ ...s, wireStart: null });
  };

  const sel = new Set(ed.selection);
  const cursor = ed.tool === 'probe' ? 'cursor-pointer' : ed.tool === 'select' ? 'cursor-default' : 'cursor-crosshair';
  const elementsInteractive = ed.tool === 'select' || ed.tool === 'probe';
  const g = GRID;

  return (
    <svg
      ref={svgRef}
      data-testid="schematic-canvas"
      tabIndex={0}
      aria-label="Schematic editor canvas"
      className={`h-full w-full select-none bg-white outline-none focus-visible:ring-2 focus-visible:ring-blue-300 ${cursor}`}
      onPointerDownCapture={() => svgRef.current?.focus({ preventScroll: true })}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerLeave={() => setHover(null)}
      onWheel={onWheel}
      onDoubleClick={onDoubleClick}
      onContextMenu={onContextMenu}
    >
      <defs>
        <pattern
          id="grid"
          width={g * ed.view.scale}
          height={g * ed.view.scale}
          patternUnits="userSpaceOnUse"
          x={ed.view.x % (g * ed.view.scale)}
          y={ed.view.y % (g * ed.view.scale)}
        >
          <circle cx={0.75} cy={0.75} r={0.75} fill="#cbd5e1" />
        </pattern>
      </defs>
      <rect width="100%" height="100%" fill="url(#grid)" onPointerDown={onBackgroundDown} data-testid="schematic-background" />
      <g transform={`translate(${ed.view.x} ${ed.view.y}) scale(${ed.view.scale})`}>
        {Object.values(doc.wires).map((w) => {
          const color = probeColors[w.id];
          return (
            <g key={w.id} data-item-id={w.id} data-item-kind="wire" onPointerDown={(e) => onWireDown(e, w.id)} style={{ pointerEvents: elementsInteractive ? 'auto' : 'none' }}>
              <line x1={w.a.x * g} y1={w.a.y * g} x2={w.b.x * g} y2={w.b.y * g} stroke="transparent" strokeWidth={12} />
              <line
                data-testid="wire"
                data-net={conn.wireNets[w.id]}
                x1={w.a.x * g}
                y1={w.a.y * g}
                x2={w.b.x * g}
                y2={w.b.y * g}
                stroke={sel.has(w.id) ? '#f97316' : color ?? '#15803d'}
                strokeWidth={sel.has(w.id) || color ? 3 : 2}
                strokeLinecap="round"
              />
            </g>
          );
        })}
        {conn.junctions.map((p) => (
          <circle key={`j${p.x},${p.y}`} cx={p.x * g} cy={p.y * g} r={4} fill="#15803d" />
        ))}
        {Object.values(doc.elements).map((el) => {
          if (!hasElementDef(el.kind)) return null;
          const def = elementDef(el.kind);
          const [x0, y0, x1, y1] = def.box;
          const selected = sel.has(el.id);
          const color = probeColors[el.id];
          return (
            <g key={el.id} data-testid={`element-${el.name}`} data-kind={el.kind} data-item-id={el.id} data-item-kind="element">
              <g
                transform={elementTransform(el)}
                className={selected ? 'text-orange-500' : color ? '' : 'text-slate-800'}
                style={{ color: color && !selected ? color : undefined, pointerEvents: elementsInteractive ? 'auto' : 'none' }}
                stroke="currentColor"
                strokeWidth={1.6}
                fill="none"
                strokeLinejoin="round"
                onPointerDown={(e) => onElementDown(e, el)}
              >
                <rect x={x0 * g - 4} y={y0 * g - 4} width={(x1 - x0) * g + 8} height={(y1 - y0) * g + 8} fill="transparent" stroke="none" />
                {def.render(el.props)}
              </g>
              <ElementCaption el={el} />
            </g>
          );
        })}
        {conn.danglingPins.map((d) => (
          <rect key={`d${d.elementId}${d.pin}`} x={d.at.x * g - 3} y={d.at.y * g - 3} width={6} height={6} fill="none" stroke="#dc2626" strokeWidth={1.2} pointerEvents="none" />
        ))}
        {annotations.map((a, i) => (
          <g key={i} transform={`translate(${a.at.x * g} ${a.at.y * g})`} pointerEvents="none">
            <rect
              x={4}
              y={a.kind === 'voltage' ? -20 : 4}
              width={a.text.length * 6.3 + 8}
              height={15}
              rx={3}
              fill={a.kind === 'voltage' ? '#eff6ff' : '#fef3c7'}
              stroke={a.kind === 'voltage' ? '#3b82f6' : '#d97706'}
              strokeWidth={0.8}
            />
            <text x={8} y={a.kind === 'voltage' ? -9 : 15} fontSize={10.5} fontFamily="ui-monospace, monospace" fill={a.kind === 'voltage' ? '#1d4ed8' : '#92400e'}>
              {a.text}
            </text>
          </g>
        ))}
        {ed.tool === 'place' && ed.placeKind && hover && (
          <g
            transform={elementTransform({ x: hover.x, y: hover.y, rot: ed.placeRot, mirror: ed.placeMirror })}
            stroke="#2563eb"
            strokeWidth={1.6}
            fill="none"
            opacity={0.6}
            pointerEvents="none"
          >
            {elementDef(ed.placeKind).render(elementDef(ed.placeKind).defaultProps)}
          </g>
        )}
        {ed.tool === 'wire' && ed.wireStart && hover && (
          <path
            d={`M${ed.wireStart.x * g} ${ed.wireStart.y * g} L${hover.x * g} ${ed.wireStart.y * g} L${hover.x * g} ${hover.y * g}`}
            stroke="#15803d"
            strokeDasharray="4 3"
            strokeWidth={2}
            fill="none"
            pointerEvents="none"
          />
        )}
        {ed.tool === 'wire' && hover && <circle cx={hover.x * g} cy={hover.y * g} r={3} fill="none" stroke="#15803d" pointerEvents="none" />}
        {marquee && (
          <rect
            data-testid="marquee"
            x={Math.min(marquee.a.x, marquee.b.x) * g}
            y={Math.min(marquee.a.y, marquee.b.y) * g}
            width={Math.abs(marquee.b.x - marquee.a.x) * g}
            height={Math.abs(marquee.b.y - marquee.a.y) * g}
            fill="#3b82f61a"
            stroke="#3b82f6"
            strokeDasharray="4 3"
            pointerEvents="none"
          />
        )}
      </g>
      {menu && (
        <foreignObject x={menu.x} y={menu.y} width={210} height={330} data-testid="context-menu-host">
          <ContextMenu
            menu={menu}
            hasSelection={ed.selection.length > 0}
            canPaste={!!clipboard}
            probeLabel={menu.target?.kind === 'element' && hasElementDef(doc.elements[menu.target.id]?.kind ?? '') && elementDef(doc.elements[menu.target.id].kind).current !== 'none' ? 'Probe current' : menu.target ? 'Probe voltage' : undefined}
            onClose={() => setMenu(null)}
            actions={{
              rotate: () => docStore.update((d) => rotateGroup(d, editor.get().selection)),
              mirror: () => {
                const sel = editor.get().selection;
                docStore.update((d) => (sel.length > 1 ? mirrorGroup(d, sel) : mirrorElements(d, sel)));
              },
              copy: () => clipboardAction('c'),
              cut: () => clipboardAction('x'),
              paste: () => clipboardAction('v', menu.at),
              duplicate: () => clipboardAction('d'),
              remove: () => {
                const sel = editor.get().selection;
                docStore.update((d) => deleteItems(d, sel));
                editor.set({ ...editor.get(), selection: [] });
              },
              probe: () => {
                const t = menu.target;
                if (!t) return;
                const el = doc.elements[t.id];
                if (t.kind === 'wire') onProbe({ kind: 'v', wireId: t.id });
                else if (el && elementDef(el.kind).current !== 'none') onProbe({ kind: 'i', elementId: el.id });
                else if (el) onProbe({ kind: 'v', elementId: el.id, pin: 0 });
              },
              selectAll: () => editor.set({ ...editor.get(), selection: allItemIds(docStore.doc()) }),
              fit: zoomToFit,
            }}
          />
        </foreignObject>
      )}
    </svg>
  );
}

function ElementCaption({ el }: { el: SchElement }) {
  const def = elementDef(el.kind);
  if (el.kind === 'ground' || el.kind === 'label') return null;
  const [x0, y0, x1, y1] = def.box;
  const corners = [
    transformPoint({ x: x0, y: y0 }, el.rot, el.mirror),
    transformPoint({ x: x1, y: y1 }, el.rot, el.mirror),
  ];
  const maxX = Math.max(corners[0].x, corners[1].x);
  const minY = Math.min(corners[0].y, corners[1].y);
  const vertical = el.rot % 2 === 0;
  const tx = (el.x + (vertical ? maxX + 0.4 : 0)) * GRID;
  const ty = (el.y + (vertical ? -0.3 : minY - 1.1)) * GRID;
  const cap = def.caption?.(el.props);
  return (
    <text x={tx} y={ty} fontSize={11} fill="#334155" textAnchor={vertical ? 'start' : 'middle'} pointerEvents="none">
      <tspan fontWeight={600}>{el.name}</tspan>
      {cap && (
        <tspan x={tx} dy={13} fill="#64748b">
          {cap}
        </tspan>
      )}
    </text>
  );
}

export { distToSegment };
