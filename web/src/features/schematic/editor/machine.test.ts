// The editor machine's view, keyboard, clipboard and context menu, through TestEditor.
import { describe, expect, it } from 'vitest';
import { addElement, addWire } from '../model/ops';
import { emptyDoc, type SchematicDoc } from '../model/schema';
import { hitTest, toLocal } from './hit-test';
import { TestEditor } from './test-editor';

function oneResistor(): SchematicDoc {
  let d = emptyDoc('t');
  d = addElement(d, 'resistor', { x: 5, y: 5 }, 0, false, {}, 'R1').doc;
  return addWire(d, { x: 5, y: 7 }, { x: 5, y: 10 }).doc;
}

describe('hit testing', () => {
  it('undoes rotation and mirroring', () => {
    const el = { x: 2, y: 3, rot: 1 as const, mirror: true };
    // transformPoint((1, 0), rot 1, mirror) = (0, -1): document (2, 2).
    expect(toLocal(el, { x: 2, y: 2 })).toEqual({ x: 1, y: 0 });
  });
  it('finds a turned part by its box and misses beside it', () => {
    const d = addElement(emptyDoc(), 'resistor', { x: 0, y: 0 }, 1).doc; // lying: box x -2..2, y -0.6..0.6
    expect(hitTest(d, { x: 1.8, y: 0.3 })?.kind).toBe('element');
    expect(hitTest(d, { x: 0, y: 1.5 })).toBeNull();
  });
});

describe('view', () => {
  it('the wheel zooms about the pointer', () => {
    const t = new TestEditor(oneResistor());
    const p = { x: 5, y: 5 };
    const before = t.toScreen(p);
    t.wheel(p, -200);
    expect(t.state.view.scale).toBeGreaterThan(1);
    const after = t.toScreen(p);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });
  it('F fits the drawing into the canvas', () => {
    const t = new TestEditor(oneResistor());
    t.key('f');
    const a = t.toScreen({ x: 5, y: 3 });
    const b = t.toScreen({ x: 5, y: 10 });
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(b.y).toBeLessThanOrEqual(t.viewport.height);
    expect((a.y + b.y) / 2).toBeCloseTo(t.viewport.height / 2, 0);
  });
});

describe('fit when clipped', () => {
  it('leaves a drawing that fits alone and fits one that does not', () => {
    const t = new TestEditor(oneResistor());
    const v0 = t.state.view;
    t.machine.zoomToFit({ onlyIfClipped: true });
    expect(t.state.view).toBe(v0);
    t.viewport = { width: 150, height: 150 };
    t.machine.zoomToFit({ onlyIfClipped: true });
    expect(t.state.view).not.toBe(v0);
    expect(t.toScreen({ x: 5, y: 10 }).y).toBeLessThanOrEqual(150);
  });
});

describe('keyboard', () => {
  it('Ctrl+A selects everything only while the canvas has the focus', () => {
    const t = new TestEditor(oneResistor());
    t.focused = false;
    expect(t.key('ctrl+a')).toBe(false);
    expect(t.selection).toEqual([]);
    t.focused = true;
    expect(t.key('ctrl+a')).toBe(true);
    expect(t.selection).toHaveLength(2);
  });

  it('places, wires and probes with the arrow keys and Enter alone', () => {
    const t = new TestEditor();
    t.machine.startPlacing('resistor');
    // The first arrow shows the cursor at the canvas centre; the next ones move it.
    t.key('ArrowDown');
    const c0 = t.ui.hover!;
    expect(t.ui.keyboard).toBe(true);
    t.keys('ArrowRight', 'ArrowRight', 'Enter');
    expect(t.el('R1')).toMatchObject({ x: c0.x + 2, y: c0.y });
    // Wire from the lower pin two steps down and right.
    t.keys('Escape', 'w', 'ArrowDown', 'ArrowDown', 'Enter', 'ArrowDown', 'ArrowDown', 'shift+ArrowRight', 'Enter');
    expect(t.wires.map((w) => [w.a, w.b])).toEqual([
      [{ x: c0.x + 2, y: c0.y + 2 }, { x: c0.x + 7, y: c0.y + 2 }],
      [{ x: c0.x + 7, y: c0.y + 2 }, { x: c0.x + 7, y: c0.y + 4 }],
    ]);
    t.keys('Escape', 'p', 'shift+ArrowLeft', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'Enter');
    expect(t.probes).toEqual([{ kind: 'i', elementId: t.id('R1') }]);
  });

  it('a part picked from the palette by keyboard shows the cursor at once; Enter places it there', () => {
    const t = new TestEditor();
    t.machine.startPlacing('capacitor');
    t.machine.showKeyboardCursor();
    const c = t.ui.hover!;
    expect(t.ui.keyboard).toBe(true);
    expect(c).toEqual({ x: Math.round((400 - 40) / 20), y: Math.round((300 - 40) / 20) });
    t.key('Enter');
    expect(t.el('C1')).toMatchObject({ x: c.x, y: c.y });
  });

  it('arrows nudge the selection in the select tool', () => {
    const t = new TestEditor(oneResistor());
    t.click({ x: 5, y: 5 });
    t.keys('ArrowRight', 'shift+ArrowDown');
    expect(t.el('R1')).toMatchObject({ x: 6, y: 10 });
    // The wire end on the pin followed.
    expect(t.wires[0].a).toEqual({ x: 6, y: 12 });
  });

  it('Enter in the select tool selects what is under the keyboard cursor', () => {
    const t = new TestEditor(oneResistor());
    t.machine.setTool('select');
    t.key('Enter'); // shows the cursor
    const c = t.ui.hover!;
    const dx = 5 - c.x;
    const dy = 5 - c.y;
    for (let i = 0; i < Math.abs(dx); i++) t.key(dx > 0 ? 'ArrowRight' : 'ArrowLeft');
    for (let i = 0; i < Math.abs(dy); i++) t.key(dy > 0 ? 'ArrowDown' : 'ArrowUp');
    t.key('Enter');
    expect(t.selection).toEqual([t.id('R1')]);
  });

  it('canvas-only keys are left to the page when the canvas has no focus', () => {
    const t = new TestEditor(oneResistor());
    t.focused = false;
    expect(t.key('ArrowRight')).toBe(false);
    expect(t.key('Enter')).toBe(false);
    expect(t.ui.hover).toBeNull();
  });

  it('undo and redo', () => {
    const t = new TestEditor(oneResistor());
    t.click({ x: 5, y: 5 }).key('Delete');
    expect(Object.keys(t.doc.elements)).toHaveLength(0);
    t.key('ctrl+z');
    expect(Object.keys(t.doc.elements)).toHaveLength(1);
    t.key('ctrl+y');
    expect(Object.keys(t.doc.elements)).toHaveLength(0);
    t.key('ctrl+shift+Z');
    t.key('ctrl+z');
    expect(Object.keys(t.doc.elements)).toHaveLength(1);
  });
});

describe('clipboard', () => {
  it('copy then paste twice lands 2 and 4 grid units away with new names; the clip goes to the system clipboard', () => {
    const t = new TestEditor(oneResistor());
    t.click({ x: 5, y: 5 }).key('ctrl+c');
    expect(t.copied).toHaveLength(1);
    t.key('ctrl+v');
    expect(t.el('R2')).toMatchObject({ x: 7, y: 7 });
    expect(t.selection).toEqual([t.id('R2')]);
    t.key('ctrl+v');
    expect(t.el('R3')).toMatchObject({ x: 9, y: 9 });
  });
  it('cut removes, duplicate copies without touching the clipboard', () => {
    const t = new TestEditor(oneResistor());
    t.click({ x: 5, y: 5 }).key('ctrl+d');
    expect(t.el('R2')).toMatchObject({ x: 7, y: 7 });
    expect(t.clipboard.get().clip).toBeNull();
    t.key('ctrl+x');
    expect(() => t.id('R2')).toThrow();
    expect(t.clipboard.get().clip?.elements[0].name).toBe('R2');
  });
});

describe('context menu', () => {
  it('a right-click on a part selects it and opens the part menu there; paste here and probe act on it', () => {
    const t = new TestEditor(oneResistor());
    t.rightClick({ x: 5, y: 5 });
    expect(t.selection).toEqual([t.id('R1')]);
    expect(t.ui.menu).toMatchObject({ at: { x: 5, y: 5 }, target: { kind: 'element', id: t.id('R1') } });
    t.machine.menuAction('probe');
    expect(t.probes).toEqual([{ kind: 'i', elementId: t.id('R1') }]);
    expect(t.ui.menu).toBeNull();
    t.rightClick({ x: 5, y: 5 });
    t.machine.menuAction('copy');
    t.rightClick({ x: 20, y: 2 });
    expect(t.ui.menu?.target).toBeUndefined();
    t.machine.menuAction('paste');
    expect(t.el('R2')).toMatchObject({ x: 20, y: 2 });
  });
  it('the menu stays inside the canvas; the keyboard opens it at the selection', () => {
    const t = new TestEditor(oneResistor());
    t.machine.contextMenu({ x: 790, y: 590, button: 2 });
    expect(t.ui.menu).toMatchObject({ x: 800 - 210, y: 600 - 330 });
    t.machine.pointerDown({ x: 10, y: 10 });
    expect(t.ui.menu).toBeNull();
    t.click({ x: 5, y: 5 });
    expect(t.key('shift+F10')).toBe(true);
    expect(t.ui.menu?.target).toEqual({ kind: 'element', id: t.id('R1') });
    t.key('Escape');
    expect(t.ui.menu).toBeNull();
  });
});

describe('hover', () => {
  it('knows the part or wire under the pointer and under the keyboard cursor', () => {
    const t = new TestEditor(oneResistor());
    t.pointerMove({ x: 5.1, y: 8.6 });
    expect(t.ui.hoverHit).toEqual({ kind: 'wire', id: t.wires[0].id });
    t.pointerMove({ x: 5, y: 4.5 });
    expect(t.ui.hoverHit).toEqual({ kind: 'element', id: t.id('R1') });
    t.pointerMove({ x: 9, y: 9 });
    expect(t.ui.hoverHit).toBeNull();
    t.key('ArrowLeft'); // the cursor appears where the pointer was
    t.keys('ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp');
    expect(t.ui.hover).toEqual({ x: 5, y: 5 });
    expect(t.ui.hoverHit).toEqual({ kind: 'element', id: t.id('R1') });
  });
});
