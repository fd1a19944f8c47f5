import { describe, expect, it } from 'vitest';
import { elementDef } from '../elements';
import { computeConnectivity } from './connectivity';
import { pinPositions, samePt } from './geometry';
import { generateNetlist } from './netlist';
import { addElement, addWire, allItemIds, freshLabelName, mirrorGroup, rotateGroup } from './ops';
import { emptyDoc, type SchematicDoc } from './schema';

/** V1 - R1 - C1 with ground: R1 lying between (2,0) and (6,0), C1 standing at x = 8. */
function divider() {
  let doc = emptyDoc();
  const add = (kind: string, x: number, y: number, rot: 0 | 1 = 0) => {
    const r = addElement(doc, kind, { x, y }, rot);
    doc = r.doc;
    return r.id;
  };
  const v = add('vsource', 0, 2);
  const r = add('resistor', 4, 0, 1);
  const c = add('capacitor', 8, 2);
  add('ground', 0, 6);
  const w = (a: [number, number], b: [number, number]) => {
    const x = addWire(doc, { x: a[0], y: a[1] }, { x: b[0], y: b[1] });
    doc = x.doc;
    return x.id!;
  };
  w([0, 0], [2, 0]);
  w([6, 0], [8, 0]);
  w([0, 4], [0, 6]);
  w([8, 4], [8, 6]);
  w([8, 6], [0, 6]);
  return { doc, v, r, c };
}

const netsOf = (doc: SchematicDoc) => {
  const conn = computeConnectivity(doc);
  // Net partition as sets of "element:pin", independent of the automatic names.
  const byNet = new Map<string, string[]>();
  for (const [id, nets] of Object.entries(conn.pinNets))
    nets.forEach((n, i) => byNet.set(n, [...(byNet.get(n) ?? []), `${doc.elements[id].name}:${i}`]));
  return [...byNet.values()].map((l) => l.sort().join(' ')).sort();
};

describe('group rotation and mirroring', () => {
  it('rotates R1 and C1 as one group about their common centre and keeps every connection', () => {
    const { doc, r, c } = divider();
    const before = netsOf(doc);
    expect(computeConnectivity(doc).danglingPins).toEqual([]);
    const rot = rotateGroup(doc, [r, c]);
    // Box of R1 (2..6, 0) and C1 (8, 0..4): x 2..8, y 0..4, centre (5, 2).
    // R1's origin (4, 0) -> (5 - (0 - 2), 2 + (4 - 5)) = (7, 1); C1's (8, 2) -> (5, 5).
    expect(rot.elements[r]).toMatchObject({ x: 7, y: 1, rot: 2 });
    expect(rot.elements[c]).toMatchObject({ x: 5, y: 5, rot: 1 });
    expect(netsOf(rot)).toEqual(before);
    expect(computeConnectivity(rot).danglingPins).toEqual([]);
    // Every wire end that touched a pin still touches it.
    for (const id of [r, c]) {
      const pins = pinPositions(rot.elements[id], elementDef(rot.elements[id].kind).pins);
      for (const p of pins) expect(Object.values(rot.wires).some((w) => samePt(w.a, p) || samePt(w.b, p))).toBe(true);
    }
    // Four turns bring the group back.
    let back = rot;
    for (let i = 0; i < 3; i++) back = rotateGroup(back, [r, c]);
    expect(back.elements[r]).toEqual(doc.elements[r]);
    expect(back.elements[c]).toEqual(doc.elements[c]);
    expect(back.wires).toEqual(doc.wires);
  });

  it('rotating the whole circuit leaves its netlist unchanged', () => {
    const { doc, v } = divider();
    const text = (d: SchematicDoc) => generateNetlist(d).text.split('\n').filter((l) => /^[RVC]/.test(l)).map((l) => l.split(' ').slice(0, 1).concat(l.split(' ').slice(3)).join(' '));
    const all = allItemIds(doc);
    expect(all).toContain(v);
    const rot = rotateGroup(doc, all);
    expect(netsOf(rot)).toEqual(netsOf(doc));
    expect(text(rot)).toEqual(text(doc));
    expect(generateNetlist(rot).warnings).toEqual([]);
  });

  it('one part alone turns about its origin and its wires follow its pins', () => {
    const { doc, c } = divider();
    const rot = rotateGroup(doc, [c]);
    expect(rot.elements[c]).toMatchObject({ x: 8, y: 2, rot: 1 });
    expect(computeConnectivity(rot).danglingPins).toEqual([]);
    expect(netsOf(rot)).toEqual(netsOf(doc));
  });

  it('mirrors the whole circuit left-right and keeps connections', () => {
    const { doc, r, c } = divider();
    const all = allItemIds(doc);
    const m = mirrorGroup(doc, all);
    // Box x 0..8: centre x = 4; C1 at x = 8 -> 0, R1 (rot 1) -> rot 3, mirrored.
    expect(m.elements[c]).toMatchObject({ x: 0, y: 2, mirror: true, rot: 0 });
    expect(m.elements[r]).toMatchObject({ x: 4, y: 0, mirror: true, rot: 3 });
    expect(netsOf(m)).toEqual(netsOf(doc));
    expect(computeConnectivity(m).danglingPins).toEqual([]);
    expect(mirrorGroup(m, all).elements).toEqual(doc.elements);
  });
});

describe('net labels', () => {
  it('a new label gets a name no label uses yet', () => {
    let doc = emptyDoc();
    expect(freshLabelName(doc)).toBe('net1');
    doc = addElement(doc, 'label', { x: 0, y: 0 }).doc;
    doc = addElement(doc, 'label', { x: 4, y: 0 }).doc;
    doc = addElement(doc, 'label', { x: 8, y: 0 }, 0, false, { net: 'NET3' }).doc;
    const names = Object.values(doc.elements).map((e) => e.props.net);
    expect(names).toEqual(['net1', 'net2', 'NET3']);
    expect(freshLabelName(doc)).toBe('net4');
  });

  it('a label dropped on the input wire does not short R1 silently', () => {
    const { doc: d0 } = divider();
    // An "out" label on the R1-C1 wire, and a second "out" label dropped on the V1-R1 wire.
    let doc = addElement(d0, 'label', { x: 7, y: 0 }, 0, false, { net: 'out' }).doc;
    doc = addElement(doc, 'label', { x: 1, y: 0 }, 0, false, { net: 'out' }).doc;
    const g = generateNetlist(doc);
    expect(g.text).toMatch(/^R1 out out 1k$/m);
    expect(g.warnings.join('\n')).toMatch(/R1 is shorted: both pins are on net 'out'/);
  });
});

describe('rubber-banded wires keep their T junctions', () => {
  it('rotating R1 alone in the RC example keeps C1 on the output net', () => {
    // The RC example's layout: R1 lying between (8,4) and (12,4); the wire (12,4)-(18,4) carries
    // C1's lead at (16,4) in its middle.
    let doc = emptyDoc();
    const add = (kind: string, x: number, y: number, rot: 0 | 1 = 0) => {
      const r = addElement(doc, kind, { x, y }, rot);
      doc = r.doc;
      return r.id;
    };
    add('vsource', 4, 8);
    const r = add('resistor', 10, 4, 1);
    add('capacitor', 16, 8);
    add('ground', 4, 12);
    for (const [a, b] of [
      [[4, 6], [4, 4]],
      [[4, 4], [8, 4]],
      [[12, 4], [18, 4]],
      [[16, 4], [16, 6]],
      [[4, 10], [4, 12]],
      [[16, 10], [16, 12]],
      [[4, 12], [16, 12]],
    ])
      doc = addWire(doc, { x: a[0], y: a[1] }, { x: b[0], y: b[1] }).doc;
    const before = netsOf(doc);
    const rot = rotateGroup(doc, [r]);
    expect(netsOf(rot)).toEqual(before);
    expect(computeConnectivity(rot).danglingPins).toEqual([]);
    // The long wire was cut at (16,4): one more wire than before.
    expect(Object.keys(rot.wires).length).toBe(Object.keys(doc.wires).length + 1);
  });
});


describe('labels joining driven nets', () => {
  it('warns when one label name joins two nets that voltage sources drive', () => {
    let doc = emptyDoc();
    doc = addElement(doc, 'vsource', { x: 0, y: 2 }).doc; // + (0,0)
    doc = addElement(doc, 'vsource', { x: 10, y: 2 }).doc; // + (10,0)
    doc = addElement(doc, 'ground', { x: 0, y: 4 }).doc;
    doc = addElement(doc, 'ground', { x: 10, y: 4 }).doc;
    doc = addElement(doc, 'label', { x: 0, y: 0 }, 0, false, { net: 'vcc' }).doc;
    const one = generateNetlist(doc).warnings.join('\n');
    expect(one).not.toMatch(/joins nets/);
    doc = addElement(doc, 'label', { x: 10, y: 0 }, 0, false, { net: 'vcc' }).doc;
    expect(generateNetlist(doc).warnings.join('\n')).toMatch(/net label 'vcc' joins nets driven by V1 and V2/);
  });
});

describe('the example schematics', () => {
  it('draw no warning (no shorted part, no label joining driven nets)', async () => {
    const { EXAMPLES } = await import('@/features/examples/examples');
    for (const ex of EXAMPLES.filter((e) => e.schematic)) expect([ex.id, generateNetlist(ex.schematic!()).warnings]).toEqual([ex.id, []]);
  });
});
