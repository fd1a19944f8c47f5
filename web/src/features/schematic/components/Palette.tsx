import { useStore } from '@/shared/store/create-store';
import { ELEMENTS, type ElementDef } from '../elements';
import type { EditorStore, Tool } from '../model/editor-store';

const GROUPS: ElementDef['group'][] = ['Wiring', 'Passive', 'Sources', 'Semiconductors', 'Power', 'Control blocks', 'Controlled'];

/**
 * The tools and parts. `onPicked` is told when a tool or part was chosen with the keyboard
 * (Enter or Space on its button), so the page can move the focus to the canvas.
 */
export function Palette({ editor, onPicked }: { editor: EditorStore; onPicked?: () => void }) {
  const tool = useStore(editor, (s) => s.tool);
  const placeKind = useStore(editor, (s) => s.placeKind);
  const setTool = (t: Tool) => editor.set((s) => ({ ...s, tool: t, placeKind: null, wireStart: null }));
  const tools: [Tool, string, string][] = [
    ['select', 'Select', 'S / Esc'],
    ['wire', 'Wire', 'W'],
    ['probe', 'Probe', 'P'],
  ];
  return (
    <nav className="flex h-full w-36 shrink-0 flex-col gap-2 overflow-y-auto border-r border-slate-200 bg-slate-50 p-2 text-xs" aria-label="Palette">
      <div className="grid grid-cols-3 gap-1">
        {tools.map(([t, label, key]) => (
          <button
            key={t}
            data-testid={`tool-${t}`}
            title={`${label} (${key})`}
            aria-pressed={tool === t}
            aria-keyshortcuts={key.split(' / ')[0]}
            onClick={(e) => {
              setTool(t);
              if (e.detail === 0) onPicked?.();
            }}
            className={`rounded px-1 py-1 font-medium ${tool === t ? 'bg-blue-600 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-100'}`}
          >
            {label}
          </button>
        ))}
      </div>
      {GROUPS.map((g) => (
        <div key={g}>
          <div className="mb-1 mt-1 text-[10px] font-semibold uppercase tracking-wide text-slate-600">{g}</div>
          <div className="grid grid-cols-2 gap-1">
            {ELEMENTS.filter((d) => d.group === g).map((d) => {
              const active = tool === 'place' && placeKind === d.kind;
              return (
                <button
                  key={d.kind}
                  data-testid={`palette-${d.kind}`}
                  title={`${d.title} — click, then click on the canvas (R rotates, M mirrors, Esc ends)`}
                  aria-pressed={active}
                  onClick={(e) => {
                    editor.set((s) => ({ ...s, tool: 'place', placeKind: d.kind, placeRot: 0, placeMirror: false, wireStart: null }));
                    // From the keyboard: on to the canvas, where the arrows and Enter place it.
                    if (e.detail === 0) onPicked?.();
                  }}
                  className={`flex flex-col items-center rounded px-1 py-1 ${active ? 'bg-blue-600 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-blue-50'}`}
                >
                  <svg viewBox={iconViewBox(d)} className="h-8 w-12" stroke="currentColor" fill="none" strokeWidth={2.2} aria-hidden="true">
                    <g transform={drawnLyingDown(d) ? 'rotate(90)' : undefined}>{d.render(d.defaultProps)}</g>
                  </svg>
                  <span className="leading-tight">{d.short}</span>
                </button>
              );
            })}
          </div>
        </div>
      ))}
      <p className="mt-auto text-[10px] leading-snug text-slate-600">
        Drag the background to select, Ctrl+drag or middle-drag to pan, wheel to zoom, F fit. R rotate · M mirror · Del delete · Ctrl+A/C/X/V/D · Ctrl+Z / Ctrl+Y · right-click for more. Keyboard: on the canvas the arrows move a cursor and Enter clicks there; Ctrl+Enter runs.
      </p>
    </nav>
  );
}

/** Upright two-terminal parts (R, C, L, sources, diodes) are drawn lying down in the palette. */
function drawnLyingDown(d: ElementDef): boolean {
  return d.pins.length === 2 && d.pins[0].x === d.pins[1].x && d.kind !== 'label';
}

/** Icon view box from the element's hit box (turned with the drawing when it lies down). */
function iconViewBox(d: ElementDef): string {
  let [x0, y0, x1, y1] = d.box.map((v) => v * 20);
  if (drawnLyingDown(d)) [x0, y0, x1, y1] = [-y1, x0, -y0, x1];
  const pad = 6;
  const w = x1 - x0 + 2 * pad;
  const h = y1 - y0 + 2 * pad;
  const s = Math.max(w, h * 1.5);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return `${cx - s / 2} ${cy - s / 3} ${s} ${(s * 2) / 3}`;
}
