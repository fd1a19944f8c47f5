import { describe, expect, it } from 'vitest';
import { createDocStore, HISTORY_LIMIT } from './doc-store';
import { addElement, deleteItems, moveItems, rotateElements } from './ops';
import { DocFormatError, emptyDoc, migrateDoc, SCHEMA_VERSION } from './schema';

describe('doc store', () => {
  it('undoes and redoes edits', () => {
    const s = createDocStore();
    let id = '';
    s.update((d) => {
      const r = addElement(d, 'resistor', { x: 0, y: 0 });
      id = r.id;
      return r.doc;
    });
    s.update((d) => rotateElements(d, [id]));
    expect(s.doc().elements[id].rot).toBe(1);
    expect(s.undo()).toBe(true);
    expect(s.doc().elements[id].rot).toBe(0);
    expect(s.undo()).toBe(true);
    expect(s.doc().elements[id]).toBeUndefined();
    expect(s.undo()).toBe(false);
    expect(s.redo()).toBe(true);
    expect(s.redo()).toBe(true);
    expect(s.doc().elements[id].rot).toBe(1);
    expect(s.redo()).toBe(false);
  });

  it('a new edit clears the redo stack', () => {
    const s = createDocStore();
    s.update((d) => addElement(d, 'resistor', { x: 0, y: 0 }).doc);
    s.undo();
    s.update((d) => addElement(d, 'capacitor', { x: 0, y: 0 }).doc);
    expect(s.get().future).toHaveLength(0);
    expect(Object.values(s.doc().elements).map((e) => e.kind)).toEqual(['capacitor']);
  });

  it('merges a drag into one undo step', () => {
    const s = createDocStore();
    let id = '';
    s.update((d) => {
      const r = addElement(d, 'resistor', { x: 0, y: 0 });
      id = r.id;
      return r.doc;
    });
    const base = s.doc();
    for (let i = 1; i <= 5; i++) s.update((d) => moveItems(d, [id], i, 0, base), { mergeKey: 'drag1' });
    expect(s.doc().elements[id].x).toBe(5);
    s.undo();
    expect(s.doc().elements[id].x).toBe(0);
    s.redo();
    expect(s.doc().elements[id].x).toBe(5);
  });

  it('skip leaves history alone; load clears it', () => {
    const s = createDocStore();
    s.update((d) => ({ ...d, title: 'a' }), { history: 'skip' });
    expect(s.get().past).toHaveLength(0);
    s.update((d) => ({ ...d, title: 'b' }));
    s.load(emptyDoc('c'));
    expect(s.get().past).toHaveLength(0);
    expect(s.doc().title).toBe('c');
  });

  it('caps the history', () => {
    const s = createDocStore();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) s.update((d) => ({ ...d, title: `t${i}` }));
    expect(s.get().past.length).toBe(HISTORY_LIMIT);
  });

  it('deleting an element drops its probes and sliders', () => {
    const s = createDocStore();
    let id = '';
    s.update((d) => {
      const r = addElement(d, 'resistor', { x: 0, y: 0 });
      id = r.id;
      return { ...r.doc, probes: [{ id: 'p', kind: 'i', elementId: id, pane: 0 }], sliders: [{ elementId: id, key: 'value', min: 1, max: 2 }] };
    });
    s.update((d) => deleteItems(d, [id]));
    expect(s.doc().probes).toEqual([]);
    expect(s.doc().sliders).toEqual([]);
  });
});

describe('migrations', () => {
  it('migrates version 1 documents', () => {
    const v1 = {
      schema: 'simcore.schematic',
      version: 1,
      title: 'old',
      elements: [{ id: 'a', type: 'resistor', name: 'R1', x: 2, y: 3, rotation: 270, mirrored: true, props: { value: 1000 } }],
      wires: [{ id: 'w', x1: 0, y1: 0, x2: 4, y2: 0 }],
    };
    const d = migrateDoc(v1);
    expect(d.version).toBe(SCHEMA_VERSION);
    expect(d.elements.a).toMatchObject({ kind: 'resistor', rot: 3, mirror: true, props: { value: '1000' } });
    expect(d.wires.w).toEqual({ id: 'w', a: { x: 0, y: 0 }, b: { x: 4, y: 0 } });
    expect(d.analysis.kind).toBe('tran');
    expect(d.probes).toEqual([]);
  });

  it('keeps current documents and round-trips through JSON', () => {
    const d = addElement(emptyDoc('x'), 'capacitor', { x: 1, y: 1 }).doc;
    expect(migrateDoc(JSON.parse(JSON.stringify(d)))).toEqual(d);
  });

  it('rejects future versions and foreign data', () => {
    expect(() => migrateDoc({ schema: 'simcore.schematic', version: SCHEMA_VERSION + 1 })).toThrow(DocFormatError);
    expect(() => migrateDoc({ schema: 'tldraw', version: 1 })).toThrow(/unknown schema/);
    expect(() => migrateDoc(null)).toThrow(DocFormatError);
    expect(() => migrateDoc({ elements: {} })).toThrow(/no version/);
  });
});
