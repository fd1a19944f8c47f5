// Schematic versions of the netlist examples of power converters: the same parts, values
// and models as the .cir files (a voltage-controlled switch and a diode model for each
// switch and diode; the 0 V ammeters become current probes), so the generated netlist
// simulates to the netlist example's result (netlist-twins.test.ts checks it).
import type { SchematicDoc } from '@/features/schematic/model/schema';
import { Sheet } from './sheet';

const pulse = (td: string, tr: string, pw: string, per: string) => ({ wave: 'pulse', dc: '0', v1: '0', v2: '5', td, tr, tf: tr, pw, per });
const sw = (ron: string) => ({ ron, roff: '1meg', vt: '2.5', vh: '0.1' });

/** circuits/buck_converter.cir: 12 V -> 5 V at 100 kHz, switch S1 (gate from ground), diode D1, 47 µH, 22 µF, 5 Ω. */
export function buckTwin(): SchematicDoc {
  const s = new Sheet('Buck converter 12 V -> 5 V (schematic of buck_converter.cir)');
  s.part('vsource', 2, 8, { dc: '12' }, 0, 'VIN'); // + (2,6), - (2,10)
  s.wire([2, 6], [2, 4], [6, 4]);
  s.part('switch', 8, 4, sw('50m'), 3, 'S1'); // n+ (6,4), n- (10,4), c+ (7,6), c- (9,6)
  s.wire([7, 6], [7, 8]);
  s.part('vsource', 7, 10, pulse('0', '20n', '4.48u', '10u'), 0, 'VG'); // + (7,8), - (7,12)
  s.wire([9, 6], [9, 8]);
  s.part('ground', 9, 8);
  s.wire([10, 4], [16, 4]);
  s.label('sw', 12, 4);
  s.part('diode', 14, 8, { model: 'IS=1e-8 N=1.5 RS=20m CJO=300p VJ=0.6 M=0.5 TT=10n' }, 2, 'D1'); // cathode (14,6), anode (14,10)
  s.wire([14, 4], [14, 6]);
  const l = s.part('inductor', 18, 4, { value: '47u' }, 3, 'L1'); // (16,4), (20,4)
  const out = s.wire([20, 4], [26, 4]);
  s.part('capacitor', 22, 8, { value: '22u' }, 0, 'C1');
  s.part('resistor', 26, 8, { value: '5' }, 0, 'RLOAD');
  s.wire([22, 4], [22, 6]);
  s.wire([26, 4], [26, 6]);
  s.label('out', 26, 4);
  s.wire([2, 10], [2, 14], [26, 14]);
  s.wire([7, 12], [7, 14]);
  s.wire([14, 10], [14, 14]);
  s.wire([22, 10], [22, 14]);
  s.wire([26, 10], [26, 14]);
  s.part('ground', 2, 14);
  s.probeWire(out);
  s.probeCurrent(l);
  return s.tran('50n', '2m');
}

/** circuits/boost_converter.cir: 5 V -> about 9 V at 100 kHz, duty 0.5, switch S1, diode D1, 47 µH, 10 µF, 20 Ω. */
export function boostTwin(): SchematicDoc {
  const s = new Sheet('Boost converter 5 V -> 9 V (schematic of boost_converter.cir)');
  s.part('vsource', 2, 8, { dc: '5' }, 0, 'VIN');
  s.wire([2, 6], [2, 4], [6, 4]);
  const l = s.part('inductor', 8, 4, { value: '47u' }, 3, 'L1'); // (6,4), (10,4)
  s.wire([10, 4], [14, 4]);
  s.label('sw', 12, 4);
  s.part('switch', 12, 8, sw('50m'), 0, 'S1'); // n+ (12,6), n- (12,10), c+ (10,7), c- (10,9)
  s.wire([12, 4], [12, 6]);
  s.wire([12, 10], [12, 14]);
  s.part('vsource', 8, 9, pulse('0', '20n', '4.98u', '10u'), 0, 'VG'); // + (8,7), - (8,11)
  s.wire([10, 7], [8, 7]);
  s.wire([10, 9], [10, 14]);
  s.wire([8, 11], [8, 14]);
  s.part('diode', 16, 4, { model: 'IS=1e-8 N=1.5 RS=20m CJO=300p VJ=0.6 M=0.5 TT=10n' }, 3, 'D1'); // anode (14,4), cathode (18,4)
  const out = s.wire([18, 4], [26, 4]);
  s.part('capacitor', 22, 8, { value: '10u' }, 0, 'C1');
  s.part('resistor', 26, 8, { value: '20' }, 0, 'RLOAD');
  s.wire([22, 4], [22, 6]);
  s.wire([26, 4], [26, 6]);
  s.label('out', 26, 4);
  s.wire([2, 10], [2, 14], [26, 14]);
  s.wire([22, 10], [22, 14]);
  s.wire([26, 10], [26, 14]);
  s.part('ground', 2, 14);
  s.probeWire(out);
  s.probeCurrent(l);
  return s.tran('50n', '2m');
}

/**
 * circuits/half_bridge_rl.cir: a 48 V half-bridge at 20 kHz with 1 µs dead time, switches SH/SL
 * with antiparallel diodes DH/DL, a split capacitor bus (CB1/CB2 with balancing resistors) and an
 * RL load (10 Ω, 1 mH) from the switching node to the midpoint.
 */
export function halfBridgeTwin(): SchematicDoc {
  const s = new Sheet('Half-bridge inverter, RL load (schematic of half_bridge_rl.cir)');
  const diode = { model: 'IS=1e-9 N=1.4 RS=10m CJO=200p VJ=0.6 M=0.5 TT=20n' };
  // DC bus: VBUS, the bus rail along the top, ground along the bottom.
  s.part('vsource', 2, 12, { dc: '48' }, 0, 'VBUS'); // + (2,10), - (2,14)
  s.wire([2, 10], [2, 2], [24, 2]);
  s.wire([2, 14], [2, 22], [24, 22]);
  s.part('ground', 2, 22);
  // Split capacitors with balancing resistors; their middle is the net "mid".
  s.part('capacitor', 8, 6, { value: '100u' }, 0, 'CB1');
  s.part('resistor', 11, 6, { value: '10k' }, 0, 'RB1');
  s.part('capacitor', 8, 16, { value: '100u' }, 0, 'CB2');
  s.part('resistor', 11, 16, { value: '10k' }, 0, 'RB2');
  s.wire([8, 4], [8, 2]);
  s.wire([11, 4], [11, 2]);
  s.wire([8, 8], [11, 8]);
  s.wire([11, 8], [11, 14]);
  s.wire([8, 14], [11, 14]);
  s.wire([8, 18], [8, 22]);
  s.wire([11, 18], [11, 22]);
  s.label('mid', 11, 11);
  // The leg: SH over SL, gates from ground (labels gh, gl), antiparallel diodes DH, DL.
  s.part('switch', 20, 6, sw('20m'), 0, 'SH'); // n+ (20,4), n- (20,8), c+ (18,5), c- (18,7)
  s.part('switch', 20, 16, sw('20m'), 0, 'SL'); // n+ (20,14), n- (20,18), c+ (18,15), c- (18,17)
  s.wire([20, 4], [20, 2]);
  s.wire([20, 8], [20, 14]);
  s.wire([20, 18], [20, 22]);
  s.wire([18, 5], [15, 5]);
  s.label('gh', 15, 5);
  s.wire([18, 7], [16, 7]);
  s.part('ground', 16, 7);
  s.wire([18, 15], [15, 15]);
  s.label('gl', 15, 15);
  s.wire([18, 17], [16, 17]);
  s.part('ground', 16, 17);
  s.part('diode', 24, 6, diode, 2, 'DH'); // cathode (24,4) on the bus, anode (24,8) on sw
  s.part('diode', 24, 16, diode, 2, 'DL'); // cathode (24,14) on sw, anode (24,18) on ground
  s.wire([24, 4], [24, 2]);
  s.wire([24, 8], [24, 14]);
  s.wire([24, 18], [24, 22]);
  // Switching node -> RLOAD -> LLOAD -> mid.
  s.wire([20, 11], [24, 11]);
  const out = s.wire([24, 11], [28, 11]);
  s.label('sw', 26, 11);
  s.part('resistor', 30, 11, { value: '10' }, 3, 'RLOAD'); // (28,11), (32,11)
  s.wire([32, 11], [34, 11]);
  const l = s.part('inductor', 36, 11, { value: '1m' }, 3, 'LLOAD'); // (34,11), (38,11)
  s.wire([38, 11], [40, 11]);
  s.label('mid', 40, 11);
  // Gate drives: 20 kHz, high side on 0.5u..24.5u, low side on 25.5u..49.5u.
  s.part('vsource', 4, 28, pulse('0.5u', '50n', '23.95u', '50u'), 0, 'VGH'); // + (4,26), - (4,30)
  s.label('gh', 4, 26);
  s.part('ground', 4, 30);
  s.part('vsource', 12, 28, pulse('25.5u', '50n', '23.95u', '50u'), 0, 'VGL');
  s.label('gl', 12, 26);
  s.part('ground', 12, 30);
  s.probeWire(out);
  s.probeCurrent(l);
  return s.tran('50n', '1m');
}
