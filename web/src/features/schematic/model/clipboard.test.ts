import { describe, expect, it } from 'vitest';
import { clipOrigin, copyItems, docBounds, fitView, itemsInRect, parseClip, pasteClip } from './clipboard';
import { computeConnectivity } from './connectivity';
import { generateNetlist } from './netlist';
import { addElement, addWire } from './ops';
import { emptyDoc } from './schema';

function rc() {
  let d = emptyDoc();
  const r = addElement(d, 'resistor', { x: 4, y: 0 }, 1);
  d = r.doc;
  const c = addElement(d, 'capacitor', { x: 8, y: 2 });
  d = c.doc;
  const w = addWire(d, { x: 6, y: 0 }, { x: 8, y: 0 });
  d = w.doc;
  return { d, r: r.id, c: c.id, w: w.id! };
}

describe('copy and paste', () => {
  it('pastes a copy with new ids and free names, keeping its wiring', () => {
    const { d, r, c, w } = rc();
    const clip = copyItems(d, [r, c, w])!;
    const { doc, ids } = pasteClip(d, parseClip(JSON.stringify(clip))!, 0, 6);
    expect(ids).toHaveLength(3);
    expect(ids.some((id) => [r, c, w].includes(id))).toBe(false);
    const names = Object.values(doc.elements).map((e) => e.name).sort();
    expect(names).toEqual(['C1', 'C2', 'R1', 'R2']);
    const pasted = ids.map((id) => doc.elements[id]).filter(Boolean);
    expect(pasted.map((e) => [e.x, e.y])).toEqual([
      [4, 6],
      [8, 8],
    ]);
    // The pasted R2 and C2 share a net through the pasted wire, apart from R1/C1's.
    const conn = computeConnectivity(doc);
    const [r2, c2] = ids;
    expect(conn.pinNets[r2][0]).toBe(conn.pinNets[c2][0]);
    expect(conn.pinNets[r2][0]).not.toBe(conn.pinNets[r][0]);
    expect(conn.pinNets[r][0]).toBe(conn.pinNets[c][0]);
    expect(generateNetlist(doc).text).toMatch(/^R2 /m);
    expect(clipOrigin(clip)).toEqual({ x: 4, y: 0 });
  });

  it('ignores text that is not a clip; copying nothing gives nothing', () => {
    expect(parseClip('R1 a b 1k')).toBeNull();
    expect(parseClip('{"kind":"other"}')).toBeNull();
    expect(copyItems(emptyDoc(), ['x'])).toBeNull();
  });
});

describe('box selection and fit', () => {
  it('selects parts and wires wholly inside the box', () => {
    const { d, r, c, w } = rc();
    expect(itemsInRect(d, { x0: 1, y0: -1, x1: 7, y1: 1 }).sort()).toEqual([r].sort());
    expect(itemsInRect(d, { x0: 9, y0: 5, x1: 1, y1: -1 }).sort()).toEqual([r, c, w].sort());
    expect(itemsInRect(d, { x0: 20, y0: 20, x1: 30, y1: 30 })).toEqual([]);
  });

  it('fits the drawing into the canvas', () => {
    const { d } = rc();
    const b = docBounds(d)!;
    expect(b.x0).toBeLessThanOrEqual(2);
    expect(b.x1).toBeGreaterThanOrEqual(8);
    const v = fitView(b, 800, 400, 20);
    // The box's corners land inside the canvas, centred.
    const sx = (gx: number) => v.x + gx * 20 * v.scale;
    const sy = (gy: number) => v.y + gy * 20 * v.scale;
    expect(sx(b.x0)).toBeGreaterThanOrEqual(39);
    expect(sx(b.x1)).toBeLessThanOrEqual(761);
    expect(sy(b.y0)).toBeGreaterThanOrEqual(39);
    expect(sy(b.y1)).toBeLessThanOrEqual(361);
    expect(Math.abs(sx(b.x0) + sx(b.x1) - 800)).toBeLessThan(1e-9);
    expect(docBounds(emptyDoc())).toBeNull();
  });
});
