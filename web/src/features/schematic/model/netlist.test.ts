import { describe, expect, it } from 'vitest';
import { ELEMENTS, elementDef } from '../elements';
import { pinPositions } from './geometry';
import { generateNetlist, probePanes, saveList } from './netlist';
import { addElement, addProbe, addWire } from './ops';
import { emptyDoc, type SchematicDoc } from './schema';

/** One element of `kind` with a net label p0, p1, ... on each pin. */
function single(kind: string, props?: Record<string, string>): SchematicDoc {
  let { doc, id } = addElement(emptyDoc('t'), kind, { x: 10, y: 10 }, 0, false, props);
  const el = doc.elements[id];
  if (kind !== 'ground' && kind !== 'label') {
    pinPositions(el, elementDef(kind).pins).forEach((p, i) => {
      doc = addElement(doc, 'label', p, 0, false, { net: `p${i}` }).doc;
    });
  }
  doc = addElement(doc, 'ground', { x: 0, y: 0 }).doc;
  return doc;
}

const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('*'));

const EXPECTED: Record<string, string[]> = {
  resistor: ['R1 p0 p1 1k'],
  capacitor: ['C1 p0 p1 1u'],
  inductor: ['L1 p0 p1 1m'],
  coupled: ['LK1_P p0 p1 1m', 'LK1_S p2 p3 4m', 'K1 LK1_P LK1_S 0.98'],
  vsource: ['V1 p0 p1 DC 1'],
  isource: ['I1 p0 p1 DC 1m'],
  diode: ['.model D1_mod D(IS=1e-14 N=1 RS=0.1 CJO=2p TT=5n BV=100 IBV=1u)', 'D1 p0 p1 D1_mod'],
  npn: ['.model Q1_mod NPN(IS=1e-14 BF=150 VAF=80 CJE=15p CJC=6p TF=0.4n)', 'Q1 p0 p1 p2 Q1_mod'],
  pnp: ['.model Q1_mod PNP(IS=1e-14 BF=100 VAF=60 CJE=10p CJC=5p TF=0.5n)', 'Q1 p0 p1 p2 Q1_mod'],
  nmos: [
    '.model M1_mod NMOS(LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 CGSO=0.3n CGDO=0.3n)',
    'M1 p0 p1 p2 p2 M1_mod W=2u L=1u',
  ],
  pmos: [
    '.model M1_mod PMOS(LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n)',
    'M1 p0 p1 p2 p2 M1_mod W=5u L=1u',
  ],
  switch: ['.model S1_mod SW(RON=50m ROFF=1meg VT=2.5 VH=0.1)', 'S1 p0 p1 p2 p3 S1_mod'],
  pwldiode: ['.model D1_mod PWLDIODE(von=0 ron=1m roff=1e9)', 'D1 p0 p1 D1_mod'],
  pwlmos: ['.model S1_mod PWLMOS(vt=0.5 vh=0 ron=10m roff=1e9 vd=0.7 rd=1m diode=1)', 'S1 p0 p1 p2 p1 S1_mod'],
  pwligbt: ['.model S1_mod PWLIGBT(vt=0.5 vh=0 von=0 ron=10m roff=1e9 vd=0.7 rd=1m diode=1)', 'S1 p0 p1 p2 p1 S1_mod'],
  thyristor: ['.model S1_mod THYRISTOR(vt=0.5 von=0 ron=1m roff=1e9 ih=0)', 'S1 p0 p1 p2 p1 S1_mod'],
  halfbridge: [
    '.model SHB1_modh PWLMOS(vt=0 ron=10m roff=1e9 vd=0.7 rd=1m diode=1)',
    '.model SHB1_modl PWLMOS(vt=0 ron=10m roff=1e9 vd=0.7 rd=1m diode=1)',
    'SHB1_H p0 p2 p3 p4 SHB1_modh',
    'SHB1_L p2 p1 p4 p3 SHB1_modl',
  ],
  pwm: [
    '.model APWM1_mod pwm(freq=100k carrier=triangle phase=0 vlow=0 vhigh=1 deadtime=0 cmin=0 cmax=1)',
    'APWM1 p0 p1 p2 APWM1_mod',
  ],
  comparator: ['.model ACMP1_mod comparator(out_low=0 out_high=1 hyst=0)', 'ACMP1 p0 p1 p2 ACMP1_mod'],
  gain: ['.model AK1_mod gain(gain=1 in_offset=0 out_offset=0)', 'AK1 p0 p1 AK1_mod'],
  summer: ['.model ASUM1_mod summer(in_gain=[1 -1] out_gain=1)', 'ASUM1 [p0 p1] p2 ASUM1_mod'],
  integrator: ['.model AINT1_mod int(gain=1 out_ic=0)', 'AINT1 p0 p1 AINT1_mod'],
  pi: ['.model API1_mod pi(kp=1 ki=1 out_ic=0)', 'API1 p0 p1 API1_mod'],
  samplehold: ['.model ASH1_mod zoh(period=10u phase=0)', 'ASH1 p0 p1 ASH1_mod'],
  vcvs: ['E1 p0 p1 p2 p3 10'],
  vccs: ['G1 p0 p1 p2 p3 1m'],
  cccs: ['F1 p0 p1 V1 10'],
  ccvs: ['H1 p0 p1 V1 1k'],
  njf: ['.model J1_mod NJF(VTO=-2 BETA=1m LAMBDA=0.01 CGS=2p CGD=2p)', 'J1 p0 p1 p2 J1_mod'],
  pjf: ['.model J1_mod PJF(VTO=2 BETA=1m LAMBDA=0.01 CGS=2p CGD=2p)', 'J1 p0 p1 p2 J1_mod'],
  nmf: ['.model Z1_mod NMF(VTO=-1.3 BETA=1.4m ALPHA=3 B=0.3 LAMBDA=0.03 CGS=0.3p CGD=0.05p)', 'Z1 p0 p1 p2 Z1_mod'],
  pmf: ['.model Z1_mod PMF(VTO=-1.3 BETA=1.4m ALPHA=3 B=0.3 LAMBDA=0.03 CGS=0.3p CGD=0.05p)', 'Z1 p0 p1 p2 Z1_mod'],
  mesa: ['.model Z1_mod NMF(LEVEL=2 VTO=-1.26 RD=31 RS=31)', 'Z1 p0 p1 p2 Z1_mod W=20u L=1u'],
  nhfet: ['.model Z1_mod NHFET(LEVEL=5 VTO=0.15 RD=60 RS=60)', 'Z1 p0 p1 p2 Z1_mod W=10u L=1u'],
  phfet: ['.model Z1_mod PHFET(LEVEL=5 VTO=-0.15 RD=60 RS=60)', 'Z1 p0 p1 p2 Z1_mod W=10u L=1u'],
  vdmosn: [
    '.model M1_mod VDMOS(VTO=3 KP=20 RD=10m RS=5m RG=2 LAMBDA=0.01 CGS=1n CGDMAX=1n CGDMIN=50p CJO=500p IS=1e-12 TT=50n)',
    'M1 p0 p1 p2 M1_mod',
  ],
  vdmosp: [
    '.model M1_mod VDMOS(pchan VTO=-3 KP=10 RD=20m RS=5m RG=2 LAMBDA=0.01 CGS=1n CGDMAX=1n CGDMIN=50p CJO=500p IS=1e-12 TT=50n)',
    'M1 p0 p1 p2 M1_mod',
  ],
  bvoltage: ['B1 p0 p1 V={v(in)*v(in)}'],
  bcurrent: ['B1 p0 p1 I={1m*tanh(v(in)/0.1)}'],
  tline: ['T1 p0 p1 p2 p3 Z0=50 TD=10n'],
  ground: [],
  label: [],
};

describe('netlist generation', () => {
  it('covers every palette element', () => {
    expect([...Object.keys(EXPECTED), 'opamp'].sort()).toEqual(ELEMENTS.map((e) => e.kind).sort());
  });

  for (const def of ELEMENTS) {
    if (def.kind === 'opamp') continue;
    it(`writes ${def.kind}`, () => {
      const g = generateNetlist(single(def.kind));
      expect(lines(g.text)).toEqual([...EXPECTED[def.kind], '.tran 10u 10m', '.end']);
    });
  }

  it('writes the op-amp macro once', () => {
    let doc = single('opamp');
    doc = addElement(doc, 'opamp', { x: 30, y: 30 }).doc;
    const t = generateNetlist(doc).text;
    expect(t.match(/\.subckt simcore_opamp/g)).toHaveLength(1);
    expect(t).toContain('XU1 p0 p1 p2 simcore_opamp a0=1e5 gbw=1meg rout=10');
    expect(t).toMatch(/XU2 n\d+ n\d+ n\d+ simcore_opamp/);
  });

  it('writes the VDMOS thermal flag when self-heating is chosen', () => {
    const t = generateNetlist(single('vdmosn', { model: 'VTO=3 KP=20 RTHJC=0.5 RTHCA=20', selfheat: 'yes' })).text;
    expect(t).toContain('M1 p0 p1 p2 M1_mod thermal');
    expect(t).toContain('.model M1_mod VDMOS(VTO=3 KP=20 RTHJC=0.5 RTHCA=20)');
  });

  it('writes PULSE, SIN, PWL and AC source specs', () => {
    const base = { dc: '0', ac: '1', v1: '0', v2: '5', td: '1u', tr: '2n', tf: '3n', pw: '4u', per: '10u' };
    expect(generateNetlist(single('vsource', { ...base, wave: 'pulse' })).text).toContain('V1 p0 p1 DC 0 AC 1 PULSE(0 5 1u 2n 3n 4u 10u)');
    expect(generateNetlist(single('vsource', { wave: 'sin', vo: '0', va: '2', freq: '50', td: '0', theta: '0' })).text).toContain(
      'V1 p0 p1 DC 1 SIN(0 2 50 0 0)',
    );
    expect(generateNetlist(single('isource', { wave: 'pwl', pwl: '0 0 1m 2m' })).text).toContain('I1 p0 p1 DC 1m PWL(0 0 1m 2m)');
  });

  it('names nets by wires, junctions, labels and ground', () => {
    // V1 at (0,0): + at (0,-2), - at (0,2). R1 at (4,-4) vertical: (4,-6)-(4,-2). C1 at (4,2): (4,0)-(4,4).
    let doc = emptyDoc('rc');
    doc = addElement(doc, 'vsource', { x: 0, y: 0 }).doc;
    doc = addElement(doc, 'resistor', { x: 4, y: -4 }).doc;
    doc = addElement(doc, 'capacitor', { x: 4, y: 2 }).doc;
    doc = addElement(doc, 'ground', { x: 0, y: 6 }).doc;
    doc = addWire(doc, { x: 0, y: -2 }, { x: 0, y: -6 }).doc;
    doc = addWire(doc, { x: 0, y: -6 }, { x: 4, y: -6 }).doc;
    doc = addWire(doc, { x: 4, y: -2 }, { x: 4, y: 0 }).doc;
    doc = addWire(doc, { x: 0, y: 2 }, { x: 0, y: 6 }).doc;
    doc = addWire(doc, { x: 4, y: 4 }, { x: 4, y: 6 }).doc;
    doc = addWire(doc, { x: 0, y: 6 }, { x: 4, y: 6 }).doc;
    // A label on the middle of the R-C wire (T junction).
    doc = addWire(doc, { x: 4, y: -1 }, { x: 6, y: -1 }).doc;
    doc = addElement(doc, 'label', { x: 6, y: -1 }, 0, false, { net: 'Out' }).doc;
    const g = generateNetlist(doc);
    expect(lines(g.text)).toEqual(['V1 n1 0 DC 1', 'R1 n1 out 1k', 'C1 out 0 1u', '.tran 10u 10m', '.end']);
    expect(g.conn.junctions).toContainEqual({ x: 4, y: -1 });
    expect(g.conn.junctions).toContainEqual({ x: 0, y: 6 });
    expect(g.warnings).toEqual([]);
  });

  it('inserts ammeters for probed currents and uses native currents where the engine has them', () => {
    let doc = single('resistor');
    const rid = Object.values(doc.elements).find((e) => e.kind === 'resistor')!.id;
    doc = addProbe(doc, { kind: 'i', elementId: rid, pane: 0 });
    const g = generateNetlist(doc);
    expect(lines(g.text).slice(0, 2)).toEqual(['VI_R1 p0 ia_r1 DC 0', 'R1 ia_r1 p1 1k']);
    expect(Object.values(g.probeSignals)).toEqual(['i(vi_r1)']);

    let d2 = single('inductor');
    const lid = Object.values(d2.elements).find((e) => e.kind === 'inductor')!.id;
    d2 = addProbe(d2, { kind: 'i', elementId: lid, pane: 0 });
    expect(Object.values(generateNetlist(d2).probeSignals)).toEqual(['i(l1)']);
  });

  it('asks the engine for the currents it does not save by default', () => {
    let doc = single('inductor');
    expect(saveList(generateNetlist(doc))).toBeUndefined();
    const lid = Object.values(doc.elements).find((e) => e.kind === 'inductor')!.id;
    doc = addProbe(doc, { kind: 'i', elementId: lid, pane: 0 });
    doc = addProbe(doc, { kind: 'v', elementId: lid, pin: 0, pane: 0 });
    expect(saveList(generateNetlist(doc))).toEqual(['all', 'i(l1)']);
    let r = single('resistor');
    const rid = Object.values(r.elements).find((e) => e.kind === 'resistor')!.id;
    r = addProbe(r, { kind: 'i', elementId: rid, pane: 0 });
    expect(saveList(generateNetlist(r))).toBeUndefined(); // an ammeter V source: saved anyway
    expect(saveList(generateNetlist(single('vcvs'), { allCurrents: true }))).toEqual(['all', 'i(e1)']);
  });

  it('groups probe signals by pane', () => {
    let doc = single('resistor');
    const rid = Object.values(doc.elements).find((e) => e.kind === 'resistor')!.id;
    doc = addProbe(doc, { kind: 'i', elementId: rid, pane: 2 });
    doc = addProbe(doc, { kind: 'v', elementId: rid, pin: 1, pane: 0 });
    doc = addProbe(doc, { kind: 'v', elementId: rid, pin: 0, pane: 0 });
    expect(probePanes(doc)).toEqual([['v(p1)', 'v(p0)'], ['i(vi_r1)']]);
    expect(probePanes(single('resistor'))).toEqual([]);
  });

  it('turns slider fields into parameters', () => {
    let doc = single('resistor');
    const rid = Object.values(doc.elements).find((e) => e.kind === 'resistor')!.id;
    doc = { ...doc, sliders: [{ elementId: rid, key: 'value', min: 100, max: 10000 }] };
    const g = generateNetlist(doc);
    expect(lines(g.text).slice(0, 2)).toEqual(['.param p_r1_value=1k', 'R1 p0 p1 {p_r1_value}']);
    expect(g.params).toEqual({ p_r1_value: 1000 });
  });

  it('writes every analysis card', () => {
    const doc = single('resistor');
    const a = doc.analysis;
    expect(generateNetlist(doc, { analysis: { ...a, kind: 'op' } }).text).toContain('\n.op\n');
    expect(generateNetlist(doc, { analysis: { ...a, kind: 'ac' } }).text).toContain('.ac dec 20 10 1meg');
    expect(generateNetlist(doc, { analysis: { ...a, kind: 'dc' } }).text).toContain('.dc V1 0 5 0.05');
  });

  it('writes the switching mode of a transient unless it is auto', () => {
    const doc = single('resistor');
    const a = doc.analysis;
    expect(generateNetlist(doc).text).not.toContain('.options');
    expect(generateNetlist(doc, { analysis: { ...a, switching: 'auto' } }).text).not.toContain('.options');
    expect(generateNetlist(doc, { analysis: { ...a, switching: 'spice' } }).text).toContain('\n.options switching=spice\nR1 p0 p1 1k\n.tran 10u 10m\n');
    expect(generateNetlist(doc, { analysis: { ...a, switching: 'event' } }).text).toContain('.options switching=event');
    expect(generateNetlist(doc, { analysis: { ...a, kind: 'op', switching: 'spice' } }).text).not.toContain('.options');
  });

  it('rotated and mirrored pins land where they are drawn', () => {
    let doc = emptyDoc();
    const r = addElement(doc, 'npn', { x: 0, y: 0 }, 1, true);
    doc = r.doc;
    const pins = pinPositions(doc.elements[r.id], elementDef('npn').pins);
    // c (1,-2) mirrored -> (-1,-2), rotated 90° cw -> (2,-1)
    expect(pins[0]).toEqual({ x: 2, y: -1 });
  });
});
