// Every tool of the editor, driven through the state machine by TestEditor (no rendering).
import { describe, expect, it } from 'vitest';
import { addElement, addWire } from '../model/ops';
import { computeConnectivity } from '../model/connectivity';
import { emptyDoc, type SchematicDoc } from '../model/schema';
import { TestEditor } from './test-editor';

/** R1 upright at (5,5): pins (5,3) and (5,7); a wire from (5,7) down to (5,10); R2 at (12,5). */
function twoResistors(): SchematicDoc {
  let d = emptyDoc('t');
  d = addElement(d, 'resistor', { x: 5, y: 5 }, 0, false, {}, 'R1').doc;
  d = addElement(d, 'resistor', { x: 12, y: 5 }, 0, false, {}, 'R2').doc;
  d = addWire(d, { x: 5, y: 7 }, { x: 5, y: 10 }).doc;
  return d;
}

describe('select tool', () => {
  it('a click on a part selects it, Shift+click adds, a click on the background clears', () => {
    const t = new TestEditor(twoResistors());
    t.click({ x: 5, y: 5 });
    expect(t.selection).toEqual([t.id('R1')]);
    t.click({ x: 12, y: 5 }, { shift: true });
    expect(t.selection).toEqual([t.id('R1'), t.id('R2')]);
    t.click({ x: 20, y: 20 });
    expect(t.selection).toEqual([]);
  });

  it('a click near a wire selects the wire; parts are hit before wires', () => {
    const t = new TestEditor(twoResistors());
    const w = t.wires[0].id;
    t.click({ x: 5.2, y: 9 });
    expect(t.selection).toEqual([w]);
    t.click({ x: 5, y: 6.9 }); // inside R1's box, on the wire's end
    expect(t.selection).toEqual([t.id('R1')]);
  });

  it('dragging a part moves it by whole grid steps, the wire end on its pin follows, as one undo step', () => {
    const t = new TestEditor(twoResistors());
    t.drag({ x: 5, y: 5 }, { x: 8, y: 6 }, {}, [{ x: 6, y: 5 }, { x: 7, y: 6 }]);
    expect(t.el('R1')).toMatchObject({ x: 8, y: 6 });
    expect(t.wires[0].a).toEqual({ x: 8, y: 8 });
    expect(t.wires[0].b).toEqual({ x: 5, y: 10 });
    t.key('ctrl+z');
    expect(t.el('R1')).toMatchObject({ x: 5, y: 5 });
    expect(t.docStore.get().past).toHaveLength(0);
  });

  it('a press and release without moving changes nothing', () => {
    const t = new TestEditor(twoResistors());
    const before = t.doc;
    t.click({ x: 5, y: 5 });
    expect(t.doc).toBe(before);
  });

  it('a drag on the background draws a selection box that selects what lies wholly inside', () => {
    const t = new TestEditor(twoResistors());
    t.pointerMove({ x: 3, y: 2 });
    t.pointerDown({ x: 3, y: 2 });
    t.pointerMove({ x: 7, y: 11 });
    expect(t.ui.marquee).toEqual({ a: { x: 3, y: 2 }, b: { x: 7, y: 11 } });
    expect(new Set(t.selection)).toEqual(new Set([t.id('R1'), t.wires[0].id]));
    t.pointerUp();
    expect(t.ui.marquee).toBeNull();
    // Shift keeps what was selected.
    t.drag({ x: 10, y: 2 }, { x: 14, y: 8 }, { shift: true });
    expect(new Set(t.selection)).toEqual(new Set([t.id('R1'), t.wires[0].id, t.id('R2')]));
  });

  it('Ctrl+drag on the background and the middle button pan the view', () => {
    const t = new TestEditor(twoResistors());
    const v0 = t.state.view;
    t.dragScreen({ x: 500, y: 400 }, { x: 530, y: 380 }, { ctrl: true });
    expect(t.state.view).toMatchObject({ x: v0.x + 30, y: v0.y - 20 });
    t.dragScreen({ x: 200, y: 200 }, { x: 190, y: 200 }, { button: 1 });
    expect(t.state.view.x).toBe(v0.x + 20);
    expect(t.selection).toEqual([]);
  });

  it('R turns a multi-selection as one group and the wiring stays joined', () => {
    const t = new TestEditor(twoResistors());
    t.keys('ctrl+a', 'r');
    const c = computeConnectivity(t.doc);
    expect(c.pinNets[t.id('R1')][1]).toBe(c.wireNets[t.wires[0].id]);
    expect(t.el('R1').rot).toBe(1);
    expect(t.el('R2').rot).toBe(1);
  });

  it('Delete removes the selection; M mirrors one part', () => {
    const t = new TestEditor(twoResistors());
    t.click({ x: 12, y: 5 }).key('m');
    expect(t.el('R2').mirror).toBe(true);
    t.key('Delete');
    expect(Object.values(t.doc.elements).map((e) => e.name)).toEqual(['R1']);
    expect(t.selection).toEqual([]);
  });
});

describe('wire tool', () => {
  it('two clicks draw an L-shaped route, horizontal first, and go on from the end', () => {
    const t = new TestEditor();
    t.key('w');
    expect(t.state.tool).toBe('wire');
    t.click({ x: 1, y: 1 });
    expect(t.state.wireStart).toEqual({ x: 1, y: 1 });
    t.click({ x: 4, y: 3 });
    expect(t.wires.map((w) => [w.a, w.b])).toEqual([
      [{ x: 1, y: 1 }, { x: 4, y: 1 }],
      [{ x: 4, y: 1 }, { x: 4, y: 3 }],
    ]);
    expect(t.state.wireStart).toEqual({ x: 4, y: 3 });
  });

  it('ending on a pin finishes the wire; the part is joined', () => {
    const t = new TestEditor(twoResistors());
    t.key('w');
    t.click({ x: 12, y: 10 }).click({ x: 12, y: 7 }); // R2's lower pin
    expect(t.state.wireStart).toBeNull();
    const c = computeConnectivity(t.doc);
    expect(c.danglingPins.some((d) => d.elementId === t.id('R2') && d.pin === 1)).toBe(false);
  });

  it('clicking the start again or a double click ends the wire; Escape and right-click end the tool', () => {
    const t = new TestEditor();
    t.key('w');
    t.click({ x: 1, y: 1 }).click({ x: 1, y: 1 });
    expect(t.state.wireStart).toBeNull();
    expect(t.wires).toHaveLength(0);
    t.click({ x: 1, y: 1 }).click({ x: 3, y: 1 });
    t.machine.doubleClick();
    expect(t.state.wireStart).toBeNull();
    t.key('Escape');
    expect(t.state.tool).toBe('select');
    t.key('w');
    t.rightClick({ x: 2, y: 2 });
    expect(t.state.tool).toBe('select');
    expect(t.ui.menu).toBeNull();
  });

  it('parts do not catch clicks in the wire tool', () => {
    const t = new TestEditor(twoResistors());
    t.key('w');
    t.click({ x: 12, y: 5 });
    expect(t.state.wireStart).toEqual({ x: 12, y: 5 });
    expect(t.selection).toEqual([]);
  });
});

describe('place tool', () => {
  it('places the chosen part at the clicked grid point, turned and mirrored as set, and selects it', () => {
    const t = new TestEditor();
    t.machine.startPlacing('capacitor');
    t.keys('r', 'm');
    expect(t.state).toMatchObject({ placeRot: 1, placeMirror: true });
    t.click({ x: 6.4, y: 2.6 });
    const c = Object.values(t.doc.elements)[0];
    expect(c).toMatchObject({ kind: 'capacitor', name: 'C1', x: 6, y: 3, rot: 1, mirror: true });
    expect(t.selection).toEqual([c.id]);
    // The tool stays: a second click places C2.
    t.click({ x: 10, y: 3 });
    expect(t.el('C2')).toMatchObject({ x: 10, y: 3 });
  });

  it('the hover point follows the pointer (the ghost is drawn there)', () => {
    const t = new TestEditor();
    t.machine.startPlacing('resistor');
    t.pointerMove({ x: 3.3, y: 4.8 });
    expect(t.ui.hover).toEqual({ x: 3, y: 5 });
    t.machine.pointerLeave();
    expect(t.ui.hover).toBeNull();
  });

  it('a new net label gets a fresh net name', () => {
    const t = new TestEditor();
    t.machine.startPlacing('label');
    t.click({ x: 1, y: 1 }).click({ x: 1, y: 4 });
    expect(Object.values(t.doc.elements).map((e) => e.props.net)).toEqual(['net1', 'net2']);
  });
});

describe('probe tool', () => {
  it('a wire gives a voltage probe, a part its current, a label its net voltage', () => {
    let d = twoResistors();
    d = addElement(d, 'label', { x: 20, y: 2 }, 0, false, { net: 'out' }, 'L1').doc;
    const t = new TestEditor(d);
    t.key('p');
    t.click({ x: 5, y: 9 });
    t.click({ x: 12, y: 5 });
    t.click({ x: 21, y: 2 });
    expect(t.probes).toEqual([
      { kind: 'v', wireId: t.wires[0].id },
      { kind: 'i', elementId: t.id('R2') },
      { kind: 'v', elementId: t.id('L1'), pin: 0 },
    ]);
  });

  it('a drag on the background pans; the document is not touched', () => {
    const t = new TestEditor(twoResistors());
    t.key('p');
    const before = t.doc;
    const v0 = t.state.view;
    t.dragScreen({ x: 600, y: 500 }, { x: 640, y: 520 });
    expect(t.state.view).toMatchObject({ x: v0.x + 40, y: v0.y + 20 });
    expect(t.doc).toBe(before);
    expect(t.probes).toEqual([]);
  });
});
