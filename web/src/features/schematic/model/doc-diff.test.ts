import { describe, expect, it } from 'vitest';
import { onlyValuesChanged } from './doc-diff';
import { addElement, addWire, moveItems, renameElement, setProps } from './ops';
import { emptyDoc } from './schema';

describe('value edits', () => {
  const base = () => {
    const r = addElement(emptyDoc(), 'resistor', { x: 0, y: 0 });
    return { doc: addWire(r.doc, { x: 0, y: 2 }, { x: 4, y: 2 }).doc, id: r.id };
  };

  it('a field, a name or the analysis is a value edit', () => {
    const { doc, id } = base();
    expect(onlyValuesChanged(doc, setProps(doc, id, { value: '2k' }))).toBe(true);
    expect(onlyValuesChanged(doc, renameElement(doc, id, 'Rload'))).toBe(true);
    expect(onlyValuesChanged(doc, { ...doc, analysis: { ...doc.analysis, tran: { tstep: '1u', tstop: '1m' } } })).toBe(true);
  });

  it('drawing is not: adding, moving, wiring; nor is no change', () => {
    const { doc, id } = base();
    expect(onlyValuesChanged(doc, doc)).toBe(false);
    expect(onlyValuesChanged(doc, { ...doc })).toBe(false);
    expect(onlyValuesChanged(doc, addElement(doc, 'capacitor', { x: 5, y: 5 }).doc)).toBe(false);
    expect(onlyValuesChanged(doc, moveItems(doc, [id], 1, 0))).toBe(false);
    expect(onlyValuesChanged(doc, addWire(doc, { x: 9, y: 9 }, { x: 9, y: 12 }).doc)).toBe(false);
  });
});
