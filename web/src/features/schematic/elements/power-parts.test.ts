import { describe, expect, it } from 'vitest';
import { pinPositions } from '../model/geometry';
import { generateNetlist } from '../model/netlist';
import { addElement, addProbe } from '../model/ops';
import { emptyDoc, type SchematicDoc } from '../model/schema';
import { elementDef } from '.';
import { negate } from './model-card';
import { waveSpec, waveDefaults } from './source-wave';

/** One element with a net label p<i> on each pin listed in `labelled` (default: all pins). */
function single(kind: string, props: Record<string, string> = {}, labelled?: number[]): SchematicDoc {
  let { doc, id } = addElement(emptyDoc('t'), kind, { x: 10, y: 10 }, 0, false, props);
  pinPositions(doc.elements[id], elementDef(kind).pins).forEach((p, i) => {
    if (!labelled || labelled.includes(i)) doc = addElement(doc, 'label', p, 0, false, { net: `p${i}` }).doc;
  });
  return addElement(doc, 'ground', { x: 0, y: 0 }).doc;
}

const cards = (doc: SchematicDoc) =>
  generateNetlist(doc)
    .text.split('\n')
    .filter((l) => l && !l.startsWith('*') && !l.startsWith('.tran') && l !== '.end');

describe('power semiconductors', () => {
  it('reference the gate to ground when asked (a control signal)', () => {
    expect(cards(single('pwlmos', { gateref: 'ground' }))).toContain('S1 p0 p1 p2 0 S1_mod');
    expect(cards(single('pwligbt', { gateref: 'ground' }))).toContain('S1 p0 p1 p2 0 S1_mod');
    expect(cards(single('thyristor', { gateref: 'ground' }))).toContain('S1 p0 p1 p2 0 S1_mod');
  });

  it('write diode=0 without the antiparallel diode and every edited value', () => {
    const c = cards(single('pwligbt', { diode: 'no', vt: '5', von: '1.2', ron: '20m', vh: '0.5' }));
    expect(c[0]).toBe('.model S1_mod PWLIGBT(vt=5 vh=0.5 von=1.2 ron=20m roff=1e9 vd=0.7 rd=1m diode=0)');
  });

  it('leave out empty values so the engine default applies', () => {
    expect(cards(single('pwldiode', { von: '0.7', ron: '', roff: ' ' }))[0]).toBe('.model D1_mod PWLDIODE(von=0.7)');
  });

  it('measure their current with an ammeter on the first pin', () => {
    let doc = single('pwlmos');
    const id = Object.values(doc.elements).find((e) => e.kind === 'pwlmos')!.id;
    doc = addProbe(doc, { kind: 'i', elementId: id, pane: 0 });
    const g = generateNetlist(doc);
    expect(g.text).toContain('VI_S1 p0 ia_s1 DC 0\nS1 ia_s1 p1 p2 p1 S1_mod');
    expect(Object.values(g.probeSignals)).toEqual(['i(vi_s1)']);
  });
});

describe('half-bridge leg', () => {
  it('drives the lower switch from the same gate, swapped, with threshold -vt', () => {
    const c = cards(single('halfbridge', { device: 'igbt', vt: '2', von: '1.1' }));
    expect(c).toEqual([
      '.model SHB1_modh PWLIGBT(vt=2 von=1.1 ron=10m roff=1e9 vd=0.7 rd=1m diode=1)',
      '.model SHB1_modl PWLIGBT(vt=-2 von=1.1 ron=10m roff=1e9 vd=0.7 rd=1m diode=1)',
      'SHB1_H p0 p2 p3 p4 SHB1_modh',
      'SHB1_L p2 p1 p4 p3 SHB1_modl',
    ]);
  });

  it('negates a slider-bound threshold as an expression', () => {
    let doc = single('halfbridge', { vt: '0.5' });
    const id = Object.values(doc.elements).find((e) => e.kind === 'halfbridge')!.id;
    doc = { ...doc, sliders: [{ elementId: id, key: 'vt', min: 0, max: 1 }] };
    const t = generateNetlist(doc).text;
    expect(t).toContain('.model SHB1_modh PWLMOS(vt={p_shb1_vt} ');
    expect(t).toContain('.model SHB1_modl PWLMOS(vt={-(p_shb1_vt)} ');
  });

  it('negate() flips SPICE numbers and wraps expressions', () => {
    expect(negate('0.5')).toBe('-0.5');
    expect(negate('-2')).toBe('2');
    expect(negate('+1.5meg')).toBe('-1.5meg');
    expect(negate('0')).toBe('0');
    expect(negate('0.0')).toBe('0.0');
    expect(negate('1e-3')).toBe('-1e-3');
    expect(negate('{a*2}')).toBe('{-(a*2)}');
    expect(negate('vth')).toBe('{-(vth)}');
  });
});

describe('control blocks', () => {
  it('PWM leaves out an open complementary output without a warning', () => {
    const g = generateNetlist(single('pwm', { deadtime: '100n', carrier: 'sawtooth' }, [0, 1]));
    expect(g.text).toContain('APWM1 p0 p1 APWM1_mod\n');
    expect(g.text).toContain('.model APWM1_mod pwm(freq=100k carrier=sawtooth phase=0 vlow=0 vhigh=1 deadtime=100n cmin=0 cmax=1)');
    expect(g.warnings.join('; ')).not.toMatch(/APWM1/);
    expect(g.conn.openOptional).toHaveLength(1);
  });

  it('an open required pin still warns', () => {
    const g = generateNetlist(single('pwm', {}, [1, 2]));
    expect(g.warnings.join('; ')).toMatch(/unconnected pins on APWM1/);
  });

  it('integrator and PI write their limits when given', () => {
    expect(cards(single('integrator', { gain: '1k', out_lower_limit: '0', out_upper_limit: '1' }))[0]).toBe(
      '.model AINT1_mod int(gain=1k out_lower_limit=0 out_upper_limit=1 out_ic=0)',
    );
    expect(cards(single('pi', { kp: '0.05', ki: '200', out_lower_limit: '0.05', out_upper_limit: '0.95', out_ic: '0.4' }))[0]).toBe(
      '.model API1_mod pi(kp=0.05 ki=200 out_lower_limit=0.05 out_upper_limit=0.95 out_ic=0.4)',
    );
  });

  it('summer writes its input gains as a vector', () => {
    expect(cards(single('summer', { g1: '2', g2: '0.5', out_gain: '' }))).toEqual([
      '.model ASUM1_mod summer(in_gain=[2 0.5])',
      'ASUM1 [p0 p1] p2 ASUM1_mod',
    ]);
  });
});

describe('SIN phase', () => {
  it('is the sixth SIN value, written only when not zero', () => {
    const sin = { ...waveDefaults, wave: 'sin', vo: '0', va: '1', freq: '50' };
    expect(waveSpec(sin)).toBe('DC 1 SIN(0 1 50 0 0)');
    expect(waveSpec({ ...sin, phase: '-120' })).toBe('DC 1 SIN(0 1 50 0 0 -120)');
  });
});
