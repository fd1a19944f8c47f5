// Power-electronics examples as schematics (ideal switches: every part is piecewise
// linear, so the engine runs them in event mode).
import type { SchematicDoc } from '@/features/schematic/model/schema';
import { Sheet } from './sheet';

const pulse = (v2: string, pw: string, per: string) => ({ wave: 'pulse', dc: '0', v1: '0', v2, td: '0', tr: '10n', tf: '10n', pw, per });

/**
 * Buck 12 V -> 5 V at 100 kHz: a high-side MOSFET (gate driven from its source by a
 * PULSE source, duty 5/12), an ideal freewheel diode, L = 47 µH, C = 22 µF, R = 5 Ω.
 * Average v(out) ≈ 12·D = 5 V; inductor ripple (12 − 5)·D/(L·f) ≈ 0.62 A.
 */
export function buckSchematic(): SchematicDoc {
  const s = new Sheet('Buck converter (event mode)');
  s.part('vsource', 2, 8, { dc: '12' }, 0, 'VIN');
  s.wire([2, 6], [2, 4], [6, 4]);
  s.part('pwlmos', 8, 4, {}, 3, 'S1'); // drain (6,4), source (10,4), gate (8,6)
  s.part('vsource', 8, 8, pulse('5', '4.167u', '10u'), 0, 'VG'); // + (8,6) on the gate, - to the source
  s.wire([8, 10], [11, 10], [11, 4]);
  s.wire([10, 4], [14, 4], [16, 4]);
  s.label('sw', 12, 4);
  s.part('pwldiode', 14, 8, {}, 2, 'D1'); // cathode (14,6), anode (14,10)
  s.wire([14, 4], [14, 6]);
  const l = s.part('inductor', 18, 4, { value: '47u' }, 3, 'L1'); // (16,4), (20,4)
  const out = s.wire([20, 4], [26, 4]);
  s.part('capacitor', 22, 8, { value: '22u' }, 0, 'C1');
  s.part('resistor', 26, 8, { value: '5' }, 0, 'RLOAD');
  s.wire([22, 4], [22, 6]);
  s.wire([26, 4], [26, 6]);
  s.label('out', 26, 4);
  s.wire([2, 10], [2, 12], [26, 12]);
  s.wire([14, 10], [14, 12]);
  s.wire([22, 10], [22, 12]);
  s.wire([26, 10], [26, 12]);
  s.part('ground', 2, 12);
  s.probeWire(out);
  s.probeCurrent(l);
  return s.tran('50n', '2m');
}

/**
 * Boost 5 V -> 12 V at 100 kHz: L = 47 µH, a low-side MOSFET (duty 7/12), an ideal
 * diode to the output, C = 22 µF, R = 12 Ω. Average v(out) ≈ 5/(1 − D) = 12 V.
 */
export function boostSchematic(): SchematicDoc {
  const s = new Sheet('Boost converter (event mode)');
  s.part('vsource', 2, 8, { dc: '5' }, 0, 'VIN');
  s.wire([2, 6], [2, 4], [6, 4]);
  const l = s.part('inductor', 8, 4, { value: '47u' }, 3, 'L1'); // (6,4), (10,4)
  s.wire([10, 4], [14, 4]);
  s.label('sw', 12, 4);
  s.part('pwlmos', 12, 8, {}, 0, 'S1'); // drain (12,6), source (12,10), gate (10,8)
  s.wire([12, 4], [12, 6]);
  s.wire([12, 10], [12, 12]);
  s.part('vsource', 8, 10, pulse('5', '5.833u', '10u'), 0, 'VG'); // + (8,8), - (8,12)
  s.wire([8, 8], [10, 8]);
  s.part('pwldiode', 16, 4, {}, 3, 'D1'); // anode (14,4), cathode (18,4)
  const out = s.wire([18, 4], [26, 4]);
  s.part('capacitor', 22, 8, { value: '22u' }, 0, 'C1');
  s.part('resistor', 26, 8, { value: '12' }, 0, 'RLOAD');
  s.wire([22, 4], [22, 6]);
  s.wire([26, 4], [26, 6]);
  s.label('out', 26, 4);
  s.wire([2, 10], [2, 12], [26, 12]);
  s.wire([22, 10], [22, 12]);
  s.wire([26, 10], [26, 12]);
  s.part('ground', 2, 12);
  s.probeWire(out);
  s.probeCurrent(l);
  return s.tran('50n', '3m');
}

/**
 * Three-phase two-level inverter, sine-triangle PWM: 400 V DC link, three half-bridge
 * legs, each switching its upper MOSFET on while its 50 Hz reference (modulation index
 * 0.8, 120° apart) is above a ±1 V, 10 kHz triangle carrier and its lower one otherwise;
 * a star-connected RL load (10 Ω, 10 mH per phase) whose neutral is floating.
 * Phase current amplitude ≈ 0.8·200/|10 + j·2π·50·10m| ≈ 15 A.
 */
export function threePhaseSchematic(): SchematicDoc {
  const s = new Sheet('Three-phase inverter (event mode)');
  s.part('vsource', 2, 10, { dc: '400' }, 0, 'VDC'); // + (2,8), - (2,12)
  s.wire([2, 8], [2, 4], [34, 4]);
  s.wire([2, 12], [2, 16], [34, 16]);
  s.part('ground', 2, 16);
  const phases = ['a', 'b', 'c'];
  phases.forEach((ph, i) => {
    const x = 10 + 12 * i; // DC+ (x,6), DC- (x,14), out (x+2,10), gate (x-4,9), gate ref (x-4,11)
    s.part('halfbridge', x, 10, {}, 0, `HB${ph.toUpperCase()}`);
    s.wire([x, 6], [x, 4]);
    s.wire([x, 14], [x, 16]);
    s.label(`m${ph}`, x - 4, 9);
    s.label('tri', x - 4, 11);
    s.wire([x + 2, 10], [x + 2, 12]);
    s.label(ph, x + 2, 12);
    // references: 0.8 sin(2π 50 t − i·120°)
    const xs = 3 + 5 * i;
    s.part('vsource', xs, 24, { wave: 'sin', dc: '0', vo: '0', va: '0.8', freq: '50', td: '0', theta: '0', phase: String(-120 * i) }, 0, `VM${ph.toUpperCase()}`);
    s.label(`m${ph}`, xs, 22);
    s.part('ground', xs, 26);
  });
  s.part('vsource', 18, 24, { wave: 'pulse', dc: '0', v1: '-1', v2: '1', td: '0', tr: '50u', tf: '50u', pw: '0', per: '100u' }, 0, 'VTRI');
  s.label('tri', 18, 22);
  s.part('ground', 18, 26);
  // Star RL load: phase -> R -> L -> neutral n.
  const currents: string[] = [];
  phases.forEach((ph, i) => {
    const y = 20 + 4 * i;
    s.label(ph, 24, y);
    s.wire([24, y], [26, y]);
    s.part('resistor', 28, y, { value: '10' }, 3, `R${ph.toUpperCase()}`); // (26,y), (30,y)
    currents.push(s.part('inductor', 34, y, { value: '10m' }, 3, `L${ph.toUpperCase()}`)); // (32,y), (36,y)
    s.wire([30, y], [32, y]);
    s.wire([36, y], [38, y]);
  });
  s.wire([38, 20], [38, 28]);
  s.label('n', 38, 20);
  currents.forEach((id) => s.probeCurrent(id, 0));
  return s.tran('2u', '40m');
}
