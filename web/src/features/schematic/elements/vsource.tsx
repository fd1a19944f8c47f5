import type { ElementDef } from './types';
import { Leads2 } from './draw';
import { WaveGlyph, waveCaption, waveDefaults, waveFields, waveSpec } from './source-wave';

/** Independent voltage source; pin 1 is +. Its current i(V) flows into + through the source. */
export const vsource: ElementDef = {
  kind: 'vsource',
  title: 'Voltage source',
  short: 'V',
  group: 'Sources',
  prefix: 'V',
  spiceLetter: 'V',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['+', '-'],
  defaultProps: { ...waveDefaults },
  fields: waveFields('V'),
  box: [-1, -2, 1, 2],
  render: (p) => (
    <>
      <Leads2 top={-16} bottom={16} />
      <circle r={16} />
      <path d="M-3 -20 M-6 -24 L-2 -24 M-4 -26 L-4 -22" />
      {p.wave === 'dc' || !p.wave ? (
        <>
          <path d="M0 -11 L0 -3 M-4 -7 L4 -7" />
          <path d="M-4 7 L4 7" />
        </>
      ) : (
        <WaveGlyph wave={p.wave} />
      )}
    </>
  ),
  caption: (p) => waveCaption(p, 'V'),
  netlist: ({ name, nodes, props }) => ({ lines: [`${name} ${nodes[0]} ${nodes[1]} ${waveSpec(props)}`] }),
  current: 'native',
  hotkey: 'v',
};
