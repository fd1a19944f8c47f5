import type { ElementDef } from './types';

export const ground: ElementDef = {
  kind: 'ground',
  title: 'Ground',
  short: 'GND',
  group: 'Wiring',
  prefix: 'GND',
  spiceLetter: '',
  pins: [{ x: 0, y: 0 }],
  pinNames: ['gnd'],
  defaultProps: {},
  fields: [],
  box: [-1, 0, 1, 1.2],
  render: () => (
    <>
      <line x1={0} y1={0} x2={0} y2={10} />
      <line x1={-12} y1={10} x2={12} y2={10} />
      <line x1={-7} y1={15} x2={7} y2={15} />
      <line x1={-2} y1={20} x2={2} y2={20} />
    </>
  ),
  netlist: () => ({ lines: [] }),
  current: 'none',
  hotkey: 'g',
};
