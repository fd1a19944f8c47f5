import type { ElementDef } from './types';
import { Leads2 } from './draw';

export const resistor: ElementDef = {
  kind: 'resistor',
  title: 'Resistor',
  short: 'R',
  group: 'Passive',
  prefix: 'R',
  spiceLetter: 'R',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['1', '2'],
  defaultProps: { value: '1k' },
  fields: [{ key: 'value', label: 'Resistance', type: 'value', unit: 'Ω' }],
  box: [-0.6, -2, 0.6, 2],
  render: () => (
    <>
      <Leads2 top={-24} bottom={24} />
      <path d="M0 -24 L8 -20 L-8 -12 L8 -4 L-8 4 L8 12 L-8 20 L0 24" />
    </>
  ),
  caption: (p) => `${p.value}Ω`,
  netlist: ({ name, nodes, props }) => ({ lines: [`${name} ${nodes[0]} ${nodes[1]} ${props.value}`] }),
  current: 'ammeter',
  hotkey: 'r',
};
