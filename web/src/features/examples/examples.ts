// The examples gallery. Netlists are copies of examples/ and the shared test
// circuits; the RC low-pass and the power converters (ideal switches, event
// mode) come as schematics.
import rcFilter from './circuits/rc_filter.cir?raw';
import rlcRing from './circuits/rlc_ring.cir?raw';
import diodeRectifier from './circuits/diode_rectifier.cir?raw';
import opampInverting from './circuits/opamp_inverting.cir?raw';
import cmosInverter from './circuits/cmos_inverter.cir?raw';
import buck from './circuits/buck_converter.cir?raw';
import boost from './circuits/boost_converter.cir?raw';
import ceAmp from './circuits/bjt_ce_amp.cir?raw';
import ringOsc from './circuits/cmos_ring_osc5.cir?raw';
import transformer from './circuits/transformer_k.cir?raw';
import controlled from './circuits/controlled_sources.cir?raw';
import buckLosses from './circuits/buck_losses.cir?raw';
import vsi3Efficiency from './circuits/vsi3_efficiency.cir?raw';
import halfBridge from './circuits/half_bridge_rl.cir?raw';
import { rcSchematic } from './rc-schematic';
import { boostSchematic, buckSchematic, threePhaseSchematic } from './power-schematics';
import { boostTwin, buckTwin, halfBridgeTwin } from './netlist-twins';
import type { SchematicDoc } from '@/features/schematic/model/schema';

export interface Example {
  id: string;
  title: string;
  blurb: string;
  netlist?: string;
  schematic?: () => SchematicDoc;
  /** A netlist example's schematic version (same circuit; the gallery offers both). */
  asSchematic?: () => SchematicDoc;
}

export const EXAMPLES: Example[] = [
  { id: 'rc-schematic', title: 'RC low-pass (schematic)', blurb: 'R = 1 k, C = 1 µ, step input: τ = 1 ms', schematic: rcSchematic },
  { id: 'rc', title: 'RC filter', blurb: 'step and frequency response, fc = 1.59 kHz', netlist: rcFilter },
  { id: 'rlc', title: 'Series RLC', blurb: 'underdamped ringing at 5 kHz', netlist: rlcRing },
  { id: 'rectifier', title: 'Diode rectifier', blurb: 'half-wave, 50 Hz, smoothing capacitor', netlist: diodeRectifier },
  { id: 'ce-amp', title: 'CE amplifier', blurb: 'BJT common emitter: op, AC, transient', netlist: ceAmp },
  { id: 'opamp', title: 'Inverting op-amp', blurb: 'gain −10, macromodel sub-circuit', netlist: opampInverting },
  { id: 'cmos-inv', title: 'CMOS inverter', blurb: 'transfer curve and switching', netlist: cmosInverter },
  { id: 'ring-osc', title: 'CMOS ring oscillator', blurb: '5 stages, level-1 MOSFETs', netlist: ringOsc },
  { id: 'buck', title: 'Buck converter', blurb: '12 V → 5 V at 100 kHz', netlist: buck, asSchematic: buckTwin },
  { id: 'buck-schematic', title: 'Buck converter (schematic, event mode)', blurb: 'ideal MOSFET and diode, 12 V → 5 V at 100 kHz', schematic: buckSchematic },
  { id: 'boost-schematic', title: 'Boost converter (schematic, event mode)', blurb: 'ideal MOSFET and diode, 5 V → 12 V at 100 kHz', schematic: boostSchematic },
  {
    id: 'inverter3-schematic',
    title: 'Three-phase inverter (schematic, event mode)',
    blurb: 'sine-triangle PWM, 10 kHz, star RL load with a floating neutral',
    schematic: threePhaseSchematic,
  },
  { id: 'boost', title: 'Boost converter', blurb: '5 V → 9 V at 100 kHz', netlist: boost, asSchematic: boostTwin },
  { id: 'half-bridge', title: 'Half-bridge inverter', blurb: '48 V, 20 kHz, 1 µs dead time, RL load to the split-bus midpoint', netlist: halfBridge, asSchematic: halfBridgeTwin },
  {
    id: 'buck-losses',
    title: 'Buck converter losses',
    blurb: '48 V → 12 V, 10 A: loss table, junction temperatures on a heat sink, efficiency',
    netlist: buckLosses,
  },
  {
    id: 'inverter3-losses',
    title: 'Three-phase inverter losses (model library)',
    blurb: 'FF300R12KE3 legs from models/power/packs.lib with their PLECS loss files, on a heat sink',
    netlist: vsi3Efficiency,
  },
  { id: 'transformer', title: 'Transformer (K)', blurb: 'coupled inductors 1:2', netlist: transformer },
  { id: 'controlled', title: 'Controlled sources', blurb: 'E, F, G, H: op and DC sweep', netlist: controlled },
];
