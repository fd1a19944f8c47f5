import type { ElementDef } from './types';

// Pins: collector (1,-2), base (-2,0), emitter (1,2).
const bjt = (pnp: boolean): ElementDef => ({
  kind: pnp ? 'pnp' : 'npn',
  title: pnp ? 'PNP transistor' : 'NPN transistor',
  short: pnp ? 'PNP' : 'NPN',
  group: 'Semiconductors',
  prefix: 'Q',
  spiceLetter: 'Q',
  pins: [
    { x: 1, y: -2 },
    { x: -2, y: 0 },
    { x: 1, y: 2 },
  ],
  pinNames: ['c', 'b', 'e'],
  defaultProps: { model: pnp ? 'IS=1e-14 BF=100 VAF=60 CJE=10p CJC=5p TF=0.5n' : 'IS=1e-14 BF=150 VAF=80 CJE=15p CJC=6p TF=0.4n' },
  fields: [{ key: 'model', label: `Model (${pnp ? 'PNP' : 'NPN'} parameters)`, type: 'text' }],
  box: [-2, -2, 1, 2],
  render: () => (
    <>
      <circle cx={4} cy={0} r={19} />
      <line x1={-40} y1={0} x2={-6} y2={0} />
      <line x1={-6} y1={-12} x2={-6} y2={12} strokeWidth={2.5} />
      <path d="M-6 -6 L20 -20 L20 -40" />
      <path d="M-6 6 L20 20 L20 40" />
      {pnp ? <path d="M2 12 L-6 6 L4 5" fill="currentColor" /> : <path d="M10 20 L20 20 L14 11" fill="currentColor" />}
    </>
  ),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${name}_mod`],
    models: { [`${name}_mod`]: `.model ${name}_mod ${pnp ? 'PNP' : 'NPN'}(${props.model})` },
  }),
  current: 'ammeter',
  hotkey: pnp ? undefined : 'q',
});

export const npn = bjt(false);
export const pnp = bjt(true);
