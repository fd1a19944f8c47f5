import { describe, expect, it } from 'vitest';
import { rcSchematic } from '@/features/examples/rc-schematic';
import { generateNetlist } from '../model/netlist';
import { addWire } from '../model/ops';
import type { AnalysisResult } from '@/features/simulation/results';
import { buildLiveModel, dotSpeed, liveFrame, liveSaveSignals, LiveScale, voltageColor } from './live-values';

/** A transient result by hand: signals -> values per row. */
function tran(x: number[], sig: Record<string, number[]>): AnalysisResult {
  const names = Object.keys(sig);
  return {
    index: 0,
    analysis: 'tran',
    xName: 'time',
    complex: false,
    signals: names.map((name) => ({ name, kind: name.startsWith('i(') ? 'current' : 'voltage', unit: name.startsWith('i(') ? 'A' : 'V' })) as unknown as AnalysisResult['signals'],
    rows: x.length,
    ended: true,
    x: Float64Array.from(x),
    re: names.map((n) => Float64Array.from(sig[n])),
    im: [],
  };
}

const near = (a: number, b: number) => expect(a).toBeCloseTo(b, 9);

describe('live values of the RC example', () => {
  const doc = rcSchematic();
  const g = generateNetlist(doc);
  const model = buildLiveModel(doc, g);
  const [id] = Object.values(doc.elements).filter((e) => e.name === 'V1').map((e) => e.id);
  const vin = g.conn.pinNets[id][0];
  const byName = (n: string) => Object.values(doc.elements).find((e) => e.name === n)!.id;
  // v(in) = 1 V; v(out) rises 0.5 -> 0.6 V over 1 ms: i(R1) = 0.4 mA (first pin on out: -0.4 mA),
  // i(C1) = 1 µF * 100 V/s = 0.1 mA; the source delivers 0.4 mA (i(v1) = -0.4 mA).
  const a = tran([0, 1e-3], { [`v(${vin})`]: [1, 1], 'v(out)': [0.5, 0.6], 'i(v1)': [-0.4e-3, -0.4e-3] });
  const f = liveFrame(model, a)!;
  const seg = (ax: number, ay: number, bx: number, by: number) => {
    const i = model.segments.findIndex((s) => s.a.x === ax && s.a.y === ay && s.b.x === bx && s.b.y === by);
    expect(i).toBeGreaterThanOrEqual(0);
    return f.segmentCurrents[i];
  };

  it('nets and part currents at the newest point', () => {
    expect(f.x).toBe(1e-3);
    expect(f.netVolts).toMatchObject({ '0': 0, out: 0.6, [vin]: 1 });
    near(f.partCurrents[byName('R1')], -0.4e-3); // R1's first pin is on out
    near(f.partCurrents[byName('C1')], 0.1e-3);
    near(f.partCurrents[byName('V1')], -0.4e-3);
  });

  it('wire currents by Kirchhoff: the source feeds R1, out splits into C1 and the label', () => {
    near(seg(4, 6, 4, 4), 0.4e-3);
    near(seg(4, 4, 8, 4), 0.4e-3);
    near(seg(12, 4, 16, 4), 0.4e-3); // the wire to out is cut at the capacitor's T
    near(seg(16, 4, 16, 6), 0.1e-3);
    near(seg(16, 4, 18, 4), 0.3e-3);
    // Ground: C1 returns 0.1 mA, the source takes 0.4 mA back, the ground symbol the rest.
    near(seg(16, 10, 16, 12), 0.1e-3);
    near(seg(4, 10, 4, 12), -0.4e-3);
  });

  it('a cursor time interpolates', () => {
    const b = tran([0, 1e-3, 2e-3], { [`v(${vin})`]: [1, 1, 1], 'v(out)': [0, 0.5, 0.7], 'i(v1)': [0, 0, 0] });
    const h = liveFrame(model, b, 1.5e-3)!;
    near(h.netVolts.out, 0.6);
    near(h.partCurrents[byName('C1')], 1e-6 * (0.2 / 1e-3));
  });

  it('a loop of wire gets no currents; the rest still does', () => {
    const loop = addWire(addWire(doc, { x: 4, y: 4 }, { x: 4, y: 2 }).doc, { x: 4, y: 2 }, { x: 8, y: 2 }).doc;
    const d2 = addWire(loop, { x: 8, y: 2 }, { x: 8, y: 4 }).doc;
    const m2 = buildLiveModel(d2, generateNetlist(d2));
    const f2 = liveFrame(m2, a)!;
    const i = m2.segments.findIndex((s) => s.a.x === 4 && s.a.y === 6);
    expect(Number.isNaN(f2.segmentCurrents[i])).toBe(true);
    const j = m2.segments.findIndex((s) => s.a.x === 16 && s.a.y === 4 && s.b.y === 6);
    near(f2.segmentCurrents[j], 0.1e-3);
  });

  it('inductor currents are asked for; source currents come by default', () => {
    expect(liveSaveSignals(model)).toEqual([]);
  });
});

describe('scales', () => {
  it('running extremes follow the streamed rows', () => {
    const doc = rcSchematic();
    const model = buildLiveModel(doc, generateNetlist(doc));
    const a = tran([0, 1], { 'v(out)': [0.2, -3] });
    const s = new LiveScale().update(model, a);
    expect([s.vmin, s.vmax, s.vlim]).toEqual([-3, 0.2, 3]);
  });
  it('colours: grey at 0, green up, red down; dot speed proportional to the current', () => {
    expect(voltageColor(0, 5)).toBe('rgb(148,163,184)');
    expect(voltageColor(5, 5)).toBe('rgb(22,163,74)');
    expect(voltageColor(-9, 5)).toBe('rgb(220,38,38)');
    expect(dotSpeed(0.5, 1)).toBe(60);
    expect(dotSpeed(-1, 1)).toBe(-120);
    expect(dotSpeed(1, 0)).toBe(0);
  });
});
