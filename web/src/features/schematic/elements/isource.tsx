import type { ElementDef } from './types';
import { Leads2 } from './draw';
import { waveCaption, waveDefaults, waveFields, waveSpec } from './source-wave';

/** Independent current source: the current flows from pin 1 through the source to pin 2 (arrow). */
export const isource: ElementDef = {
  kind: 'isource',
  title: 'Current source',
  short: 'I',
  group: 'Sources',
  prefix: 'I',
  spiceLetter: 'I',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['+', '-'],
  defaultProps: { ...waveDefaults, dc: '1m', v2: '1m', va: '1m' },
  fields: waveFields('A'),
  box: [-1, -2, 1, 2],
  render: () => (
    <>
      <Leads2 top={-16} bottom={16} />
      <circle r={16} />
      <line x1={0} y1={-10} x2={0} y2={9} />
      <path d="M-5 3 L0 10 L5 3" />
    </>
  ),
  caption: (p) => waveCaption(p, 'A'),
  netlist: ({ name, nodes, props }) => ({ lines: [`${name} ${nodes[0]} ${nodes[1]} ${waveSpec(props)}`] }),
  current: 'ammeter',
  hotkey: 'i',
};
