// A headless editor for tests: the real stores and state machine, driven by pointer
// and keyboard events at grid points, without rendering (the idea of tldraw's
// TestEditor). Points are given in grid units and sent as canvas px through the
// current view, as the canvas would.
import { createDocStore, type DocStore } from '../model/doc-store';
import { createEditorStore, type EditorStore } from '../model/editor-store';
import { GRID } from '../model/geometry';
import { emptyDoc, type Pt, type SchematicDoc } from '../model/schema';
import type { Clip } from '../model/clipboard';
import { createClipboardStore, createEditorMachine, type ClipboardStore, type EditorMachine, type KeyInput, type ProbeRequest } from './machine';

export interface PointerMods {
  button?: number;
  shift?: boolean;
  ctrl?: boolean;
}

export class TestEditor {
  readonly docStore: DocStore;
  readonly editor: EditorStore;
  readonly clipboard: ClipboardStore;
  readonly machine: EditorMachine;
  /** Probe requests the machine made, in order. */
  readonly probes: ProbeRequest[] = [];
  /** Clips handed to the system clipboard. */
  readonly copied: Clip[] = [];
  viewport = { width: 800, height: 600 };
  /** Whether the canvas has the keyboard focus (for canvas-only keys). */
  focused = true;

  constructor(doc: SchematicDoc = emptyDoc('test')) {
    this.docStore = createDocStore(doc);
    this.editor = createEditorStore();
    this.clipboard = createClipboardStore();
    this.machine = createEditorMachine({
      docStore: this.docStore,
      editor: this.editor,
      clipboard: this.clipboard,
      viewport: () => this.viewport,
      onProbe: (p) => this.probes.push(p),
      onCopy: (c) => this.copied.push(c),
    });
  }

  get doc(): SchematicDoc {
    return this.docStore.doc();
  }
  get state() {
    return this.editor.get();
  }
  get ui() {
    return this.machine.ui.get();
  }
  get selection(): string[] {
    return this.editor.get().selection;
  }
  /** Element id by its name (R1). */
  id(name: string): string {
    const e = Object.values(this.doc.elements).find((x) => x.name === name);
    if (!e) throw new Error(`no element ${name}`);
    return e.id;
  }
  el(name: string) {
    return this.doc.elements[this.id(name)];
  }
  get wires() {
    return Object.values(this.doc.wires);
  }

  /** Grid point -> canvas px under the current view. */
  toScreen(p: Pt): Pt {
    const { view } = this.editor.get();
    return { x: view.x + p.x * GRID * view.scale, y: view.y + p.y * GRID * view.scale };
  }

  pointerDown(p: Pt, mods: PointerMods = {}): boolean {
    return this.machine.pointerDown({ ...this.toScreen(p), ...mods });
  }
  pointerMove(p: Pt, mods: PointerMods = {}): this {
    this.machine.pointerMove({ ...this.toScreen(p), ...mods });
    return this;
  }
  pointerUp(): this {
    this.machine.pointerUp();
    return this;
  }
  click(p: Pt, mods: PointerMods = {}): this {
    this.pointerMove(p, mods);
    this.pointerDown(p, mods);
    return this.pointerUp();
  }
  /** Press at `from`, move through `via` to `to` (grid units), release. */
  drag(from: Pt, to: Pt, mods: PointerMods = {}, via: Pt[] = []): this {
    this.pointerMove(from, mods);
    this.pointerDown(from, mods);
    for (const p of [...via, to]) this.pointerMove(p, mods);
    return this.pointerUp();
  }
  /** Drag in canvas px (for panning). */
  dragScreen(from: Pt, to: Pt, mods: PointerMods = {}): this {
    this.machine.pointerMove({ ...from, ...mods });
    this.machine.pointerDown({ ...from, ...mods });
    this.machine.pointerMove({ ...to, ...mods });
    return this.pointerUp();
  }
  doubleClick(p: Pt): this {
    this.click(p);
    this.click(p);
    this.machine.doubleClick();
    return this;
  }
  rightClick(p: Pt): this {
    this.machine.contextMenu({ ...this.toScreen(p), button: 2 });
    return this;
  }
  wheel(p: Pt, deltaY: number): this {
    this.machine.wheel({ ...this.toScreen(p), deltaY });
    return this;
  }
  /** Press a key ("r", "Delete", "ArrowLeft", "Enter"); "ctrl+c", "shift+ArrowUp" and the like add modifiers. */
  key(spec: string, extra: Partial<KeyInput> = {}): boolean {
    const parts = spec.split('+');
    const key = parts.pop()!;
    const mods = new Set(parts.map((m) => m.toLowerCase()));
    return this.machine.keyDown({ key, ctrl: mods.has('ctrl'), shift: mods.has('shift'), alt: mods.has('alt'), canvasFocused: this.focused, ...extra });
  }
  keys(...specs: string[]): this {
    for (const s of specs) this.key(s);
    return this;
  }
}
