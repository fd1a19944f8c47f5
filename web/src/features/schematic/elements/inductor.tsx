import type { ElementDef } from './types';
import { Leads2 } from './draw';

export const COIL = 'M0 -24 a6 6 0 0 1 0 12 a6 6 0 0 1 0 12 a6 6 0 0 1 0 12 a6 6 0 0 1 0 12';

export const inductor: ElementDef = {
  kind: 'inductor',
  title: 'Inductor',
  short: 'L',
  group: 'Passive',
  prefix: 'L',
  spiceLetter: 'L',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['1', '2'],
  defaultProps: { value: '1m', ic: '' },
  fields: [
    { key: 'value', label: 'Inductance', type: 'value', unit: 'H' },
    { key: 'ic', label: 'Initial current (UIC)', type: 'value', unit: 'A', placeholder: 'none' },
  ],
  box: [-0.6, -2, 0.6, 2],
  render: () => (
    <>
      <Leads2 top={-24} bottom={24} />
      <path d={COIL} />
    </>
  ),
  caption: (p) => `${p.value}H`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${props.value}${props.ic?.trim() ? ` ic=${props.ic.trim()}` : ''}`],
  }),
  current: 'native',
  hotkey: 'l',
};
