// The schematic editor as a state machine, free of React and the DOM: pointer,
// wheel and keyboard events go in (canvas px, key names), document operations
// (docStore), editor state (tool, selection, view) and canvas UI state (hover,
// selection box, context menu) come out. The canvas component only renders these
// stores and forwards its events; tests drive the same machine with TestEditor.
import { createStore, type Store } from '@/shared/store/create-store';
import { elementDef, hasElementDef } from '../elements';
import { GRID } from '../model/geometry';
import { allItemIds, deleteItems, mirrorElements, mirrorGroup, moveItems, rotateGroup } from '../model/ops';
import { clipOrigin, copyItems, docBounds, fitView, pasteClip, type Clip } from '../model/clipboard';
import type { DocStore } from '../model/doc-store';
import type { EditorState, EditorStore, Tool } from '../model/editor-store';
import type { Pt } from '../model/schema';
import { hitTest, type Hit } from './hit-test';
import { continueGesture, TOOLS, type Gesture, type ToolPointer } from './tools';

/** What a probe click asks for: a node voltage (wire, or pin of a label/ground) or a part's current. */
export type ProbeRequest = { kind: 'v'; wireId?: string; elementId?: string; pin?: number } | { kind: 'i'; elementId: string };

export interface PointerInput {
  /** Canvas px (from the canvas' top-left corner). */
  x: number;
  y: number;
  /** 0 left, 1 middle, 2 right. */
  button?: number;
  shift?: boolean;
  /** Ctrl or Cmd. */
  ctrl?: boolean;
}

export interface WheelInput {
  x: number;
  y: number;
  deltaY: number;
}

export interface KeyInput {
  /** KeyboardEvent.key */
  key: string;
  /** Ctrl or Cmd. */
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** The canvas has the keyboard focus (canvas-only shortcuts: Ctrl+A/C/X/V/D, arrows, Enter). */
  canvasFocused?: boolean;
}

export interface MenuState {
  /** Position in canvas px. */
  x: number;
  y: number;
  /** Grid point under the click (paste goes there). */
  at: Pt;
  /** Element or wire under the click, if any. */
  target?: Hit;
}

export type MenuAction = 'rotate' | 'mirror' | 'copy' | 'cut' | 'paste' | 'duplicate' | 'remove' | 'probe' | 'selectAll' | 'fit';

/** Canvas state that is neither document nor editor state: drawn by the canvas only. */
export interface CanvasUi {
  /** Grid point under the pointer, or the keyboard cursor. */
  hover: Pt | null;
  /** The hover point is the keyboard cursor (moved by the arrow keys; drawn as a ring). */
  keyboard: boolean;
  /** The part or wire under the pointer or the keyboard cursor (values on hover). */
  hoverHit: Hit | null;
  /** Selection box being dragged, grid units. */
  marquee: { a: Pt; b: Pt } | null;
  menu: MenuState | null;
}

/** Copied items, shared by every canvas of the page. */
export interface ClipboardState {
  clip: Clip | null;
  /** Pastes since the copy (each lands 2 grid units further). */
  pasteCount: number;
}
export const createClipboardStore = () => createStore<ClipboardState>({ clip: null, pasteCount: 0 });
export type ClipboardStore = ReturnType<typeof createClipboardStore>;

export interface EditorMachineDeps {
  docStore: DocStore;
  editor: EditorStore;
  clipboard: ClipboardStore;
  /** Size of the canvas in px (zoom to fit, where menus open). */
  viewport: () => { width: number; height: number };
  onProbe: (p: ProbeRequest) => void;
  /** Copy and cut hand the clip here too (the page writes it to the system clipboard). */
  onCopy?: (clip: Clip) => void;
}

/** What tools see of the machine. */
export interface ToolContext {
  docStore: DocStore;
  editor: EditorStore;
  ui: Store<CanvasUi>;
  gesture: Gesture | null;
  onProbe: (p: ProbeRequest) => void;
  /** Start panning the view with this pointer; returns true (capture the pointer). */
  startPan: (ev: ToolPointer) => boolean;
}

export interface EditorMachine {
  readonly ui: Store<CanvasUi>;
  /** Returns true when the canvas should capture the pointer (a drag started). */
  pointerDown(ev: PointerInput): boolean;
  pointerMove(ev: PointerInput): void;
  pointerUp(): void;
  pointerLeave(): void;
  wheel(ev: WheelInput): void;
  doubleClick(): void;
  contextMenu(ev: PointerInput): void;
  /** Returns true when the key was used (the page should not act on it too). */
  keyDown(ev: KeyInput): boolean;
  menuAction(action: MenuAction, menu?: MenuState | null): void;
  closeMenu(): void;
  /** Fit the drawing into the canvas; with onlyIfClipped, only when part of it lies outside. */
  zoomToFit(opts?: { onlyIfClipped?: boolean }): void;
  setTool(tool: Exclude<Tool, 'place'>): void;
  startPlacing(kind: string): void;
  /** Show the keyboard cursor (at the canvas centre when there is none yet). */
  showKeyboardCursor(): void;
}

/** Menu size in px (menus are kept inside the canvas). */
export const MENU_SIZE = { width: 210, height: 330 };

const endTool = (s: EditorState): EditorState => ({ ...s, tool: 'select', placeKind: null, wireStart: null });

export function createEditorMachine(deps: EditorMachineDeps): EditorMachine {
  const { docStore, editor, clipboard } = deps;
  const ui = createStore<CanvasUi>({ hover: null, keyboard: false, hoverHit: null, marquee: null, menu: null });

  const ctx: ToolContext = {
    docStore,
    editor,
    ui,
    gesture: null,
    onProbe: deps.onProbe,
    startPan(ev) {
      const v = editor.get().view;
      ctx.gesture = { type: 'pan', sx: ev.screen.x, sy: ev.screen.y, vx: v.x, vy: v.y };
      return true;
    },
  };

  const toExact = (x: number, y: number): Pt => {
    const { view } = editor.get();
    return { x: (x - view.x) / view.scale / GRID, y: (y - view.y) / view.scale / GRID };
  };
  const toScreen = (p: Pt): Pt => {
    const { view } = editor.get();
    return { x: view.x + p.x * GRID * view.scale, y: view.y + p.y * GRID * view.scale };
  };
  const resolve = (ev: PointerInput): ToolPointer => {
    const exact = toExact(ev.x, ev.y);
    return {
      screen: { x: ev.x, y: ev.y },
      exact,
      grid: { x: Math.round(exact.x), y: Math.round(exact.y) },
      hit: hitTest(docStore.doc(), exact),
      button: ev.button ?? 0,
      shift: !!ev.shift,
      ctrl: !!ev.ctrl,
    };
  };
  const sameHit = (a: Hit | null, b: Hit | null) => a === b || (!!a && !!b && a.kind === b.kind && a.id === b.id);
  const setHover = (p: Pt | null, keyboard = false, exact: Pt | null = p) => {
    const u = ui.get();
    const hoverHit = exact ? hitTest(docStore.doc(), exact) : null;
    if (u.keyboard === keyboard && sameHit(u.hoverHit, hoverHit) && (u.hover === p || (u.hover && p && u.hover.x === p.x && u.hover.y === p.y))) return;
    ui.set({ ...u, hover: p, keyboard, hoverHit });
  };
  const viewCentre = (): Pt => {
    const { width, height } = deps.viewport();
    const e = toExact(width / 2, height / 2);
    return { x: Math.round(e.x), y: Math.round(e.y) };
  };
  const menuAt = (px: Pt, at: Pt, target: Hit | null): MenuState => {
    const { width, height } = deps.viewport();
    return {
      x: Math.max(0, Math.min(px.x, width - MENU_SIZE.width)),
      y: Math.max(0, Math.min(px.y, height - MENU_SIZE.height)),
      at,
      ...(target ? { target } : {}),
    };
  };

  const paste = (clip: Clip, dx: number, dy: number) => {
    let ids: string[] = [];
    docStore.update((d) => {
      const r = pasteClip(d, clip, dx, dy);
      ids = r.ids;
      return r.doc;
    });
    editor.set({ ...endTool(editor.get()), selection: ids });
  };

  const removeSelection = () => {
    const s = editor.get();
    if (!s.selection.length) return;
    docStore.update((d) => deleteItems(d, s.selection));
    editor.set({ ...editor.get(), selection: [] });
  };

  /** Copy (c), cut (x), paste (v: at `at`, or shifted from the copy), duplicate (d). */
  const clipboardAction = (what: 'c' | 'x' | 'v' | 'd', at?: Pt) => {
    const s = editor.get();
    if (what !== 'v') {
      const clip = copyItems(docStore.doc(), s.selection);
      if (!clip) return;
      if (what === 'd') return paste(clip, 2, 2);
      clipboard.set({ clip, pasteCount: 0 });
      deps.onCopy?.(clip);
      if (what === 'x') removeSelection();
      return;
    }
    const { clip, pasteCount } = clipboard.get();
    if (!clip) return;
    if (at) {
      const o = clipOrigin(clip);
      return paste(clip, at.x - o.x, at.y - o.y);
    }
    clipboard.set({ clip, pasteCount: pasteCount + 1 });
    paste(clip, 2 * (pasteCount + 1), 2 * (pasteCount + 1));
  };

  const rotate = () => {
    const s = editor.get();
    if (s.tool === 'place') editor.set({ ...s, placeRot: ((s.placeRot + 1) % 4) as EditorState['placeRot'] });
    else if (s.selection.length) docStore.update((d) => rotateGroup(d, s.selection));
  };
  const mirror = () => {
    const s = editor.get();
    if (s.tool === 'place') editor.set({ ...s, placeMirror: !s.placeMirror });
    else if (s.selection.length > 1) docStore.update((d) => mirrorGroup(d, s.selection));
    else if (s.selection.length) docStore.update((d) => mirrorElements(d, s.selection));
  };
  const probeTarget = (t: Hit | undefined | null) => {
    if (!t) return;
    if (t.kind === 'wire') return deps.onProbe({ kind: 'v', wireId: t.id });
    const el = docStore.doc().elements[t.id];
    if (!el || !hasElementDef(el.kind)) return;
    if (elementDef(el.kind).current !== 'none') deps.onProbe({ kind: 'i', elementId: el.id });
    else deps.onProbe({ kind: 'v', elementId: el.id, pin: 0 });
  };

  const zoomToFit = (opts: { onlyIfClipped?: boolean } = {}) => {
    const b = docBounds(docStore.doc());
    if (!b) return;
    const { width, height } = deps.viewport();
    if (opts.onlyIfClipped) {
      const lo = toScreen({ x: b.x0, y: b.y0 });
      const hi = toScreen({ x: b.x1, y: b.y1 });
      if (lo.x >= 0 && lo.y >= 0 && hi.x <= width && hi.y <= height) return;
    }
    editor.set({ ...editor.get(), view: fitView(b, width, height, GRID) });
  };

  /** Arrow keys: nudge the selection in the select tool, else move the keyboard cursor. */
  const arrow = (key: string, shift: boolean) => {
    const step = shift ? 5 : 1;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[key]!;
    const s = editor.get();
    if (s.tool === 'select' && s.selection.length) {
      docStore.update((doc) => moveItems(doc, s.selection, d[0], d[1]));
      return;
    }
    const h = ui.get().hover;
    const at = h && ui.get().keyboard ? { x: h.x + d[0], y: h.y + d[1] } : h ?? viewCentre();
    setHover(at, true);
    keepInView(at);
  };
  /** Pan so that a grid point stays at least a grid unit inside the canvas. */
  const keepInView = (p: Pt) => {
    const { width, height } = deps.viewport();
    const s = editor.get();
    const q = toScreen(p);
    const m = GRID * s.view.scale;
    const dx = q.x < m ? m - q.x : q.x > width - m ? width - m - q.x : 0;
    const dy = q.y < m ? m - q.y : q.y > height - m ? height - m - q.y : 0;
    if (dx || dy) editor.set({ ...s, view: { ...s.view, x: s.view.x + dx, y: s.view.y + dy } });
  };
  /** Enter or Space: a left click at the keyboard cursor (placed at the centre first if there is none). */
  const clickAtCursor = () => {
    const u = ui.get();
    if (!u.hover || !u.keyboard) {
      setHover(u.hover ?? viewCentre(), true);
      return;
    }
    const q = toScreen(u.hover);
    machine.pointerDown({ x: q.x, y: q.y, button: 0 });
    machine.pointerUp();
  };

  const machine: EditorMachine = {
    ui,
    pointerDown(inp) {
      if (ui.get().menu) ui.set({ ...ui.get(), menu: null });
      const ev = resolve(inp);
      // The middle button pans in every tool.
      if (ev.button === 1) return ctx.startPan(ev);
      return TOOLS[editor.get().tool].pointerDown(ctx, ev);
    },
    pointerMove(inp) {
      const ev = resolve(inp);
      setHover(ev.grid, false, ev.exact);
      continueGesture(ctx, ev);
    },
    pointerUp() {
      ctx.gesture = null;
      if (ui.get().marquee) ui.set({ ...ui.get(), marquee: null });
    },
    pointerLeave() {
      if (!ui.get().keyboard) setHover(null);
    },
    wheel({ x, y, deltaY }) {
      const s = editor.get();
      const f = Math.exp(-deltaY * 0.0015);
      const scale = Math.min(4, Math.max(0.25, s.view.scale * f));
      const k = scale / s.view.scale;
      editor.set({ ...s, view: { scale, x: x - (x - s.view.x) * k, y: y - (y - s.view.y) * k } });
    },
    doubleClick() {
      const s = editor.get();
      if (s.tool === 'wire') editor.set({ ...s, wireStart: null });
    },
    contextMenu(inp) {
      const s = editor.get();
      // Right-click ends a tool (wire, place, probe); in the select tool it opens the menu.
      if (s.tool !== 'select') {
        editor.set(endTool(s));
        return;
      }
      const ev = resolve(inp);
      if (ev.hit && !s.selection.includes(ev.hit.id)) editor.set({ ...s, selection: [ev.hit.id] });
      ui.set({ ...ui.get(), menu: menuAt(ev.screen, ev.grid, ev.hit) });
    },
    keyDown(e) {
      const s = editor.get();
      const k = e.key.toLowerCase();
      if (e.ctrl) {
        if (k === 'z') {
          if (e.shift) docStore.redo();
          else docStore.undo();
          return true;
        }
        if (k === 'y') {
          docStore.redo();
          return true;
        }
        // Select all and the clipboard act on the canvas only (elsewhere the page keeps them).
        if (!e.canvasFocused) return false;
        if (k === 'a') {
          editor.set({ ...endTool(s), selection: allItemIds(docStore.doc()) });
          return true;
        }
        if (k === 'c' || k === 'x' || k === 'v' || k === 'd') {
          clipboardAction(k);
          return true;
        }
        return false;
      }
      if (e.canvasFocused && (e.key === 'ContextMenu' || (e.shift && e.key === 'F10'))) {
        // At the first selected part, else at the keyboard cursor, else at the canvas centre.
        const first = s.selection.map((id) => docStore.doc().elements[id]).find(Boolean);
        const u = ui.get();
        const at = first ? { x: first.x, y: first.y } : u.keyboard && u.hover ? u.hover : viewCentre();
        ui.set({ ...u, menu: menuAt(toScreen(at), at, first ? { kind: 'element', id: first.id } : hitTest(docStore.doc(), at)) });
        return true;
      }
      if (e.canvasFocused && e.key.startsWith('Arrow') && !e.alt) {
        arrow(e.key, !!e.shift);
        return true;
      }
      if (e.canvasFocused && (e.key === 'Enter' || e.key === ' ')) {
        clickAtCursor();
        return true;
      }
      switch (k) {
        case 'escape':
          ui.set({ ...ui.get(), menu: null });
          editor.set(endTool(s));
          return false;
        case 'delete':
        case 'backspace':
          removeSelection();
          return false;
        case 'r':
          rotate();
          return false;
        case 'm':
          mirror();
          return false;
        case 'w':
          editor.set({ ...s, tool: 'wire', placeKind: null, wireStart: null });
          return false;
        case 'p':
          editor.set({ ...s, tool: 'probe', placeKind: null, wireStart: null });
          return false;
        case 's':
          editor.set(endTool(s));
          return false;
        case 'f':
          zoomToFit();
          return false;
      }
      return false;
    },
    menuAction(action, menu = ui.get().menu) {
      if (ui.get().menu) ui.set({ ...ui.get(), menu: null });
      switch (action) {
        case 'rotate':
          return void docStore.update((d) => rotateGroup(d, editor.get().selection));
        case 'mirror': {
          const sel = editor.get().selection;
          return void docStore.update((d) => (sel.length > 1 ? mirrorGroup(d, sel) : mirrorElements(d, sel)));
        }
        case 'copy':
          return clipboardAction('c');
        case 'cut':
          return clipboardAction('x');
        case 'paste':
          return clipboardAction('v', menu?.at);
        case 'duplicate':
          return clipboardAction('d');
        case 'remove':
          return removeSelection();
        case 'probe':
          return probeTarget(menu?.target);
        case 'selectAll':
          return void editor.set({ ...editor.get(), selection: allItemIds(docStore.doc()) });
        case 'fit':
          return zoomToFit();
      }
    },
    closeMenu() {
      if (ui.get().menu) ui.set({ ...ui.get(), menu: null });
    },
    zoomToFit,
    setTool(tool) {
      editor.set({ ...editor.get(), tool, placeKind: null, wireStart: null });
    },
    startPlacing(kind) {
      editor.set({ ...editor.get(), tool: 'place', placeKind: kind, placeRot: 0, placeMirror: false, wireStart: null });
    },
    showKeyboardCursor() {
      const u = ui.get();
      setHover(u.keyboard && u.hover ? u.hover : viewCentre(), true);
    },
  };
  return machine;
}
