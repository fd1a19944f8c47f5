import type { ElementDef } from './types';
import { Leads2 } from './draw';

/** Diode, anode on pin 1 (top), cathode on pin 2. */
export const diode: ElementDef = {
  kind: 'diode',
  title: 'Diode',
  short: 'D',
  group: 'Semiconductors',
  prefix: 'D',
  spiceLetter: 'D',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['anode', 'cathode'],
  defaultProps: { model: 'IS=1e-14 N=1 RS=0.1 CJO=2p TT=5n BV=100 IBV=1u' },
  fields: [{ key: 'model', label: 'Model (D parameters)', type: 'text' }],
  box: [-0.7, -2, 0.7, 2],
  render: () => (
    <>
      <Leads2 top={-8} bottom={8} />
      <path d="M-10 -8 L10 -8 L0 8 Z" />
      <line x1={-10} y1={8} x2={10} y2={8} />
    </>
  ),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${name}_mod`],
    models: { [`${name}_mod`]: `.model ${name}_mod D(${props.model})` },
  }),
  current: 'ammeter',
  hotkey: 'd',
};
