import type { ElementDef } from './types';
import { T } from './draw';

export const OPAMP_SUBCKT = `.subckt simcore_opamp inp inn out params: a0=1e5 gbw=1meg rout=10
EGAIN a 0 inp inn {a0}
RP a b 1k
CP b 0 {a0/(2*pi*1k*gbw)}
EBUF c 0 b 0 1
ROUT c out {rout}
.ends simcore_opamp`;

/** Op-amp macromodel (single pole, gain A0, gain-bandwidth GBW, output resistance): in+ (-3,-1), in- (-3,1), out (3,0). */
export const opamp: ElementDef = {
  kind: 'opamp',
  title: 'Op-amp (macromodel)',
  short: 'OPAMP',
  group: 'Controlled',
  prefix: 'XU',
  spiceLetter: 'X',
  pins: [
    { x: -3, y: -1 },
    { x: -3, y: 1 },
    { x: 3, y: 0 },
  ],
  pinNames: ['in+', 'in-', 'out'],
  defaultProps: { a0: '1e5', gbw: '1meg', rout: '10' },
  fields: [
    { key: 'a0', label: 'Open-loop gain', type: 'value' },
    { key: 'gbw', label: 'Gain-bandwidth', type: 'value', unit: 'Hz' },
    { key: 'rout', label: 'Output resistance', type: 'value', unit: 'Ω' },
  ],
  box: [-3, -2, 3, 2],
  render: () => (
    <>
      <path d="M-40 -36 L-40 36 L36 0 Z" />
      <line x1={-60} y1={-20} x2={-40} y2={-20} />
      <line x1={-60} y1={20} x2={-40} y2={20} />
      <line x1={36} y1={0} x2={60} y2={0} />
      <T x={-32} y={-20}>+</T>
      <T x={-32} y={20}>−</T>
    </>
  ),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} simcore_opamp a0=${props.a0} gbw=${props.gbw} rout=${props.rout}`],
    subckts: { simcore_opamp: OPAMP_SUBCKT },
  }),
  current: 'ammeter',
  hotkey: 'o',
};
