// The element registry: every kind the palette offers, in palette order.
import type { ElementDef } from './types';
import { ground } from './ground';
import { netLabel } from './net-label';
import { resistor } from './resistor';
import { capacitor } from './capacitor';
import { inductor } from './inductor';
import { coupledInductors } from './coupled-inductors';
import { vsource } from './vsource';
import { isource } from './isource';
import { diode } from './diode';
import { npn, pnp } from './bjt';
import { nmos, pmos } from './mosfet';
import { vswitch } from './switch';
import { opamp } from './opamp';
import { vcvs, vccs, cccs, ccvs } from './controlled';
import { idealDiode } from './ideal-diode';
import { pwlMos, pwlIgbt, thyristor } from './power-switch';
import { halfBridge } from './half-bridge';
import { njf, pjf } from './jfet';
import { mesa, nhfet, nmf, phfet, pmf } from './mesfet';
import { vdmosN, vdmosP } from './vdmos';
import { bvoltage, bcurrent } from './behavioural';
import { tline } from './tline';
import { pwm, comparator, gainBlock, summer, integrator, piController, sampleHold } from './control-blocks';

export type { ElementDef, FieldDef, NetlistFragment, NetlistContext, Props } from './types';

export const ELEMENTS: readonly ElementDef[] = [
  ground,
  netLabel,
  resistor,
  capacitor,
  inductor,
  coupledInductors,
  tline,
  vsource,
  isource,
  diode,
  npn,
  pnp,
  nmos,
  pmos,
  njf,
  pjf,
  nmf,
  pmf,
  mesa,
  nhfet,
  phfet,
  vswitch,
  idealDiode,
  pwlMos,
  pwlIgbt,
  thyristor,
  vdmosN,
  vdmosP,
  halfBridge,
  pwm,
  comparator,
  gainBlock,
  summer,
  integrator,
  piController,
  sampleHold,
  opamp,
  vcvs,
  vccs,
  cccs,
  ccvs,
  bvoltage,
  bcurrent,
];

const BY_KIND = new Map(ELEMENTS.map((d) => [d.kind, d]));

export function elementDef(kind: string): ElementDef {
  const d = BY_KIND.get(kind);
  if (!d) throw new Error(`unknown element kind '${kind}'`);
  return d;
}

export function hasElementDef(kind: string): boolean {
  return BY_KIND.has(kind);
}
