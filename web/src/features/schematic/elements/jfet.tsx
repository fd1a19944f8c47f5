import type { ElementDef } from './types';

// Pins: drain (1,-2), gate (-2,0), source (1,2). Level 1 (NJF/PJF).
const jfet = (p: boolean): ElementDef => ({
  kind: p ? 'pjf' : 'njf',
  title: p ? 'P-channel JFET' : 'N-channel JFET',
  short: p ? 'PJF' : 'NJF',
  group: 'Semiconductors',
  prefix: 'J',
  spiceLetter: 'J',
  pins: [
    { x: 1, y: -2 },
    { x: -2, y: 0 },
    { x: 1, y: 2 },
  ],
  pinNames: ['d', 'g', 's'],
  defaultProps: { model: p ? 'VTO=2 BETA=1m LAMBDA=0.01 CGS=2p CGD=2p' : 'VTO=-2 BETA=1m LAMBDA=0.01 CGS=2p CGD=2p' },
  fields: [{ key: 'model', label: `Model (${p ? 'PJF' : 'NJF'} parameters)`, type: 'text' }],
  box: [-2, -2, 1, 2],
  render: () => (
    <>
      <line x1={-40} y1={0} x2={-6} y2={0} />
      <line x1={-6} y1={-16} x2={-6} y2={16} strokeWidth={2.5} />
      <path d="M-6 -10 L20 -10 L20 -40" />
      <path d="M-6 10 L20 10 L20 40" />
      {p ? <path d="M-20 -4 L-10 0 L-20 4" fill="currentColor" /> : <path d="M-14 -4 L-24 0 L-14 4" fill="currentColor" />}
    </>
  ),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${name}_mod`],
    models: { [`${name}_mod`]: `.model ${name}_mod ${p ? 'PJF' : 'NJF'}(${props.model})` },
  }),
  current: 'ammeter',
});

export const njf = jfet(false);
export const pjf = jfet(true);
