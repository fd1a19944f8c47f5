import type { ElementDef } from './types';

/** Voltage-controlled switch: pins n+ (0,-2), n- (0,2), ctrl+ (-2,-1), ctrl- (-2,1). */
export const vswitch: ElementDef = {
  kind: 'switch',
  title: 'Voltage-controlled switch',
  short: 'SW',
  group: 'Semiconductors',
  prefix: 'S',
  spiceLetter: 'S',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
    { x: -2, y: -1 },
    { x: -2, y: 1 },
  ],
  pinNames: ['n+', 'n-', 'c+', 'c-'],
  defaultProps: { ron: '50m', roff: '1meg', vt: '2.5', vh: '0.1' },
  fields: [
    { key: 'ron', label: 'On resistance', type: 'value', unit: 'Ω' },
    { key: 'roff', label: 'Off resistance', type: 'value', unit: 'Ω' },
    { key: 'vt', label: 'Threshold', type: 'value', unit: 'V' },
    { key: 'vh', label: 'Hysteresis', type: 'value', unit: 'V' },
  ],
  box: [-2, -2, 1, 2],
  render: () => (
    <>
      <line x1={0} y1={-40} x2={0} y2={-14} />
      <line x1={0} y1={14} x2={0} y2={40} />
      <circle cx={0} cy={14} r={2.5} fill="currentColor" />
      <line x1={0} y1={14} x2={12} y2={-12} />
      <path d="M-40 -20 L-26 -20 L-26 -8 M-40 20 L-26 20 L-26 8" />
      <rect x={-32} y={-8} width={12} height={16} />
      <line x1={-20} y1={0} x2={6} y2={0} strokeDasharray="3 3" />
    </>
  ),
  caption: (p) => `Vt=${p.vt}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${nodes[3]} ${name}_mod`],
    models: { [`${name}_mod`]: `.model ${name}_mod SW(RON=${props.ron} ROFF=${props.roff} VT=${props.vt} VH=${props.vh})` },
  }),
  current: 'ammeter',
  hotkey: 's',
};
