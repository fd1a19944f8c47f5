import type { ElementDef } from './types';
import { Leads2 } from './draw';

export const capacitor: ElementDef = {
  kind: 'capacitor',
  title: 'Capacitor',
  short: 'C',
  group: 'Passive',
  prefix: 'C',
  spiceLetter: 'C',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['1', '2'],
  defaultProps: { value: '1u', ic: '' },
  fields: [
    { key: 'value', label: 'Capacitance', type: 'value', unit: 'F' },
    { key: 'ic', label: 'Initial voltage (UIC)', type: 'value', unit: 'V', placeholder: 'none' },
  ],
  box: [-0.8, -2, 0.8, 2],
  render: () => (
    <>
      <Leads2 top={-5} bottom={5} />
      <line x1={-14} y1={-5} x2={14} y2={-5} strokeWidth={2.5} />
      <line x1={-14} y1={5} x2={14} y2={5} strokeWidth={2.5} />
    </>
  ),
  caption: (p) => `${p.value}F`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${props.value}${props.ic?.trim() ? ` ic=${props.ic.trim()}` : ''}`],
  }),
  current: 'ammeter',
  hotkey: 'c',
};
