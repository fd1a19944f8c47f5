import type { ElementDef } from './types';

/** Two coupled inductors (a transformer): emits L<name>_P, L<name>_S and K<name>. Dots on the top pins. */
export const coupledInductors: ElementDef = {
  kind: 'coupled',
  title: 'Coupled inductors',
  short: 'K',
  group: 'Passive',
  prefix: 'K',
  spiceLetter: 'K',
  pins: [
    { x: -2, y: -2 },
    { x: -2, y: 2 },
    { x: 2, y: -2 },
    { x: 2, y: 2 },
  ],
  pinNames: ['p+', 'p-', 's+', 's-'],
  defaultProps: { l1: '1m', l2: '4m', k: '0.98' },
  fields: [
    { key: 'l1', label: 'Primary L1', type: 'value', unit: 'H' },
    { key: 'l2', label: 'Secondary L2', type: 'value', unit: 'H' },
    { key: 'k', label: 'Coupling k', type: 'value', range: { min: 0, max: 1 } },
  ],
  box: [-2, -2, 2, 2],
  render: () => (
    <>
      <path d="M-40 -40 L-12 -40 L-12 -24" />
      <path d="M-40 40 L-12 40 L-12 24" />
      <path d="M-12 -24 a6 6 0 0 1 0 12 a6 6 0 0 1 0 12 a6 6 0 0 1 0 12 a6 6 0 0 1 0 12" />
      <path d="M40 -40 L12 -40 L12 -24" />
      <path d="M40 40 L12 40 L12 24" />
      <path d="M12 -24 a6 6 0 0 0 0 12 a6 6 0 0 0 0 12 a6 6 0 0 0 0 12 a6 6 0 0 0 0 12" />
      <line x1={-2} y1={-22} x2={-2} y2={22} />
      <line x1={2} y1={-22} x2={2} y2={22} />
      <circle cx={-20} cy={-30} r={2.5} fill="currentColor" />
      <circle cx={20} cy={-30} r={2.5} fill="currentColor" />
    </>
  ),
  caption: (p) => `k=${p.k}`,
  netlist: ({ name, nodes, props }) => {
    const lp = `L${name}_P`;
    const ls = `L${name}_S`;
    return {
      lines: [`${lp} ${nodes[0]} ${nodes[1]} ${props.l1}`, `${ls} ${nodes[2]} ${nodes[3]} ${props.l2}`, `${name} ${lp} ${ls} ${props.k}`],
    };
  },
  current: 'ammeter',
};
