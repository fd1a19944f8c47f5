import type { ElementDef } from './types';

// Pins: drain (1,-2), gate (-2,0), source (1,2); the bulk is tied to the source.
const mos = (p: boolean): ElementDef => ({
  kind: p ? 'pmos' : 'nmos',
  title: p ? 'PMOS transistor' : 'NMOS transistor',
  short: p ? 'PMOS' : 'NMOS',
  group: 'Semiconductors',
  prefix: 'M',
  spiceLetter: 'M',
  pins: [
    { x: 1, y: -2 },
    { x: -2, y: 0 },
    { x: 1, y: 2 },
  ],
  pinNames: ['d', 'g', 's'],
  defaultProps: {
    w: p ? '5u' : '2u',
    l: '1u',
    model: p
      ? 'LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n'
      : 'LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 CGSO=0.3n CGDO=0.3n',
  },
  fields: [
    { key: 'w', label: 'Width W', type: 'value', unit: 'm' },
    { key: 'l', label: 'Length L', type: 'value', unit: 'm' },
    { key: 'model', label: `Model (${p ? 'PMOS' : 'NMOS'} parameters)`, type: 'text' },
  ],
  box: [-2, -2, 1, 2],
  render: () => (
    <>
      <line x1={-40} y1={0} x2={p ? -16 : -10} y2={0} />
      {p && <circle cx={-13} cy={0} r={3} />}
      <line x1={-10} y1={-14} x2={-10} y2={14} />
      <line x1={-4} y1={-16} x2={-4} y2={16} strokeWidth={2.5} />
      <path d="M-4 -12 L20 -12 L20 -40" />
      <path d="M-4 12 L20 12 L20 40" />
      {p ? <path d="M8 -4 L-2 0 L8 4" /> : <path d="M-2 -4 L8 0 L-2 4" />}
      <path d="M-4 0 L20 0 L20 12" />
    </>
  ),
  caption: (pr) => `${pr.w}/${pr.l}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${nodes[2]} ${name}_mod W=${props.w} L=${props.l}`],
    models: { [`${name}_mod`]: `.model ${name}_mod ${p ? 'PMOS' : 'NMOS'}(${props.model})` },
  }),
  current: 'ammeter',
  hotkey: p ? undefined : 'm',
});

export const nmos = mos(false);
export const pmos = mos(true);
