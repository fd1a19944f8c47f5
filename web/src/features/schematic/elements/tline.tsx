import type { ElementDef } from './types';
import { T } from './draw';

// Lossless transmission line T: port 1 (+ at (-2,-1), - at (-2,1)), port 2
// (+ at (2,-1), - at (2,1)).
export const tline: ElementDef = {
  kind: 'tline',
  title: 'Transmission line (T, lossless)',
  short: 'T line',
  group: 'Passive',
  prefix: 'T',
  spiceLetter: 'T',
  pins: [
    { x: -2, y: -1 },
    { x: -2, y: 1 },
    { x: 2, y: -1 },
    { x: 2, y: 1 },
  ],
  pinNames: ['p1+', 'p1-', 'p2+', 'p2-'],
  defaultProps: { z0: '50', td: '10n' },
  fields: [
    { key: 'z0', label: 'Characteristic impedance Z0', type: 'value', unit: 'Ω' },
    { key: 'td', label: 'Delay TD', type: 'value', unit: 's' },
  ],
  box: [-2, -1, 2, 1],
  render: () => (
    <>
      <ellipse cx={-24} cy={-8} rx={4} ry={10} />
      <ellipse cx={24} cy={-8} rx={4} ry={10} />
      <path d="M-24 -18 L24 -18 M-24 2 L24 2" />
      <path d="M-40 -20 L-40 -20 M-40 -20 L-28 -20 L-28 -8" />
      <path d="M28 -8 L28 -20 L40 -20" />
      <path d="M-40 20 L-24 20 L-24 2 M24 2 L24 20 L40 20" />
      <T x={0} y={-8} size={9}>
        Z0
      </T>
    </>
  ),
  caption: (p) => `${p.z0} Ω, ${p.td}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${nodes[3]} Z0=${props.z0} TD=${props.td}`],
  }),
  current: 'none',
};
