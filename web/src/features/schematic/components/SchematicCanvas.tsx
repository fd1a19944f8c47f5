import { useEffect, useMemo, useRef, type PointerEvent as RPointerEvent, type ReactNode } from 'react';
import { useStore } from '@/shared/store/create-store';
import { elementDef, hasElementDef } from '../elements';
import type { DocStore } from '../model/doc-store';
import type { EditorStore } from '../model/editor-store';
import { distToSegment, elementTransform, GRID, transformPoint } from '../model/geometry';
import type { Pt, SchElement } from '../model/schema';
import { computeConnectivity } from '../model/connectivity';
import { createEditorMachine, MENU_SIZE, type ClipboardStore, type EditorMachine, type ProbeRequest } from '../editor/machine';
import type { Hit } from '../editor/hit-test';
import { ContextMenu } from './ContextMenu';

export interface Annotation {
  at: Pt;
  text: string;
  kind: 'voltage' | 'current';
}

export interface SchematicCanvasProps {
  docStore: DocStore;
  editor: EditorStore;
  /** Copied items, shared by every canvas of the page. */
  clipboard: ClipboardStore;
  /** Probe tool clicks. */
  onProbe: (p: ProbeRequest) => void;
  annotations: Annotation[];
  /** Signal colour per probe target (wire id or element id), for markers. */
  probeColors: Record<string, string>;
  /** Drawn over the wires and parts (live values) in a layer of its own, in document px. */
  overlay?: ReactNode;
  /** The machine, once made (the page's keyboard access and tests). */
  onMachine?: (m: EditorMachine) => void;
  /** Text shown beside the pointer over a part or wire (live values), or null. */
  hoverInfo?: (hit: Hit) => string | null;
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || !!t.closest('.cm-editor'));

/**
 * Renders the document, the editor state and the machine's canvas state, and forwards
 * pointer, wheel and key events to the editor machine (editor/machine.ts), which holds
 * every editing rule.
 */
export function SchematicCanvas({ docStore, editor, clipboard, onProbe, annotations, probeColors, overlay, onMachine, hoverInfo }: SchematicCanvasProps) {
  const doc = useStore(docStore, (s) => s.doc);
  const ed = useStore(editor, (s) => s);
  const svgRef = useRef<SVGSVGElement>(null);
  const probeRef = useRef(onProbe);
  probeRef.current = onProbe;
  const machine = useMemo(
    () =>
      createEditorMachine({
        docStore,
        editor,
        clipboard,
        viewport: () => {
          const r = svgRef.current?.getBoundingClientRect();
          return { width: r?.width ?? 800, height: r?.height ?? 600 };
        },
        onProbe: (p) => probeRef.current(p),
        onCopy: (clip) => {
          try {
            void navigator.clipboard?.writeText(JSON.stringify(clip)).catch(() => undefined);
          } catch {
            /* no clipboard access: the in-page copy still works */
          }
        },
      }),
    [docStore, editor, clipboard],
  );
  useEffect(() => onMachine?.(machine), [machine, onMachine]);
  const ui = useStore(machine.ui, (s) => s);
  const canPaste = useStore(clipboard, (s) => !!s.clip);
  const conn = useMemo(() => computeConnectivity(doc), [doc]);

  const local = (e: { clientX: number; clientY: number }) => {
    const r = svgRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const pointer = (e: RPointerEvent | React.MouseEvent) => ({ ...local(e), button: e.button, shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey });
  const inMenu = (e: { target: EventTarget }) => e.target instanceof Element && !!e.target.closest('[data-testid=context-menu-host]');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const used = machine.keyDown({
        key: e.key,
        ctrl: e.ctrlKey || e.metaKey,
        shift: e.shiftKey,
        alt: e.altKey,
        canvasFocused: document.activeElement === svgRef.current,
      });
      if (used) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [machine]);

  const onPointerDown = (e: RPointerEvent) => {
    if (inMenu(e)) return;
    svgRef.current?.focus({ preventScroll: true });
    if (machine.pointerDown(pointer(e))) svgRef.current?.setPointerCapture?.(e.pointerId);
  };
  const onContextMenu = (e: React.MouseEvent) => {
    e.preventDefault();
    if (inMenu(e)) return;
    machine.contextMenu(pointer(e));
  };

  const sel = new Set(ed.selection);
  const cursor = ed.tool === 'probe' ? 'cursor-pointer' : ed.tool === 'select' ? 'cursor-default' : 'cursor-crosshair';
  const hover = ui.hover;
  const marquee = ui.marquee;
  const menu = ui.menu;
  const hoverTip = ui.hoverHit && !marquee && ed.tool !== 'place' && ed.tool !== 'wire' ? hoverInfo?.(ui.hoverHit) ?? null : null;
  const g = GRID;

  // What the keyboard cursor is on, for screen readers.
  const hitName = (h: Hit | null) => (!h ? '' : h.kind === 'wire' ? `wire on net ${conn.wireNets[h.id] ?? ''}` : doc.elements[h.id]?.name ?? '');
  const toolName = ed.tool === 'place' && ed.placeKind && hasElementDef(ed.placeKind) ? `placing ${elementDef(ed.placeKind).title}` : `${ed.tool} tool`;
  const spoken = ui.keyboard && hover ? `${toolName}, cursor at ${hover.x}, ${hover.y}${ui.hoverHit ? `, on ${hitName(ui.hoverHit)}` : ''}${ed.wireStart ? `, wire from ${ed.wireStart.x}, ${ed.wireStart.y}` : ''}` : '';

  return (
    <>
    <p id="schematic-canvas-help" className="sr-only">
      Arrow keys move the cursor (Shift: five steps) or, with parts selected, move them; Enter or Space clicks at the cursor. W wire, P probe, S or Escape select, R rotate, M mirror, Delete removes, F fits the drawing, Shift+F10 opens the menu, Ctrl+Enter runs.
    </p>
    <p className="sr-only" aria-live="polite" data-testid="canvas-announce">
      {spoken}
    </p>
    <svg
      ref={svgRef}
      data-testid="schematic-canvas"
      tabIndex={0}
      role="application"
      aria-roledescription="schematic editor"
      aria-describedby="schematic-canvas-help"
      aria-label="Schematic editor canvas"
      className={`h-full w-full select-none bg-white outline-none focus-visible:ring-2 focus-visible:ring-blue-300 ${cursor}`}
      onPointerDown={onPointerDown}
      onPointerMove={(e) => machine.pointerMove(pointer(e))}
      onPointerUp={() => machine.pointerUp()}
      onPointerLeave={() => machine.pointerLeave()}
      onWheel={(e) => machine.wheel({ ...local(e), deltaY: e.deltaY })}
      onDoubleClick={() => machine.doubleClick()}
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
      <rect width="100%" height="100%" fill="url(#grid)" data-testid="schematic-background" />
      <g transform={`translate(${ed.view.x} ${ed.view.y}) scale(${ed.view.scale})`}>
        {Object.values(doc.wires).map((w) => {
          const color = probeColors[w.id];
          return (
            <g key={w.id} data-item-id={w.id} data-item-kind="wire">
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
                style={{ color: color && !selected ? color : undefined }}
                stroke="currentColor"
                strokeWidth={1.6}
                fill="none"
                strokeLinejoin="round"
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
        {ui.keyboard && hover && (
          <g data-testid="keyboard-cursor" pointerEvents="none" stroke="#7c3aed" strokeWidth={1.5} fill="none">
            <circle cx={hover.x * g} cy={hover.y * g} r={7} />
            <path d={`M${hover.x * g - 11} ${hover.y * g}h6M${hover.x * g + 5} ${hover.y * g}h6M${hover.x * g} ${hover.y * g - 11}v6M${hover.x * g} ${hover.y * g + 5}v6`} />
          </g>
        )}
        {hoverTip && hover && (
          <g data-testid="hover-value" transform={`translate(${hover.x * g + 12} ${hover.y * g - 22})`} pointerEvents="none">
            <rect width={hoverTip.length * 6.4 + 10} height={17} rx={3} fill="#0f172ae6" />
            <text x={5} y={12} fontSize={11} fontFamily="ui-monospace, monospace" fill="#f8fafc">
              {hoverTip}
            </text>
          </g>
        )}
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
        <foreignObject x={menu.x} y={menu.y} width={MENU_SIZE.width} height={MENU_SIZE.height} data-testid="context-menu-host">
          <ContextMenu
            menu={menu}
            hasSelection={ed.selection.length > 0}
            canPaste={canPaste}
            probeLabel={menu.target?.kind === 'element' && hasElementDef(doc.elements[menu.target.id]?.kind ?? '') && elementDef(doc.elements[menu.target.id].kind).current !== 'none' ? 'Probe current' : menu.target ? 'Probe voltage' : undefined}
            onClose={() => machine.closeMenu()}
            onAction={(a) => machine.menuAction(a, menu)}
          />
        </foreignObject>
      )}
    </svg>
    {overlay && (
      // Its own layer over the canvas: the moving dots repaint this layer only, not the grid and parts.
      <svg className="pointer-events-none absolute inset-0 h-full w-full" style={{ willChange: 'transform' }} aria-hidden="true" data-testid="live-layer">
        <g transform={`translate(${ed.view.x} ${ed.view.y}) scale(${ed.view.scale})`}>{overlay}</g>
      </svg>
    )}
    </>
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
