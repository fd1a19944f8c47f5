// Ideal power semiconductors on an S card: MOSFET with body diode (PWLMOS), IGBT with
// antiparallel diode (PWLIGBT), thyristor (THYRISTOR). Pins: main terminal 1 (0,-2), main
// terminal 2 (0,2), gate (-2,0) or (-2,1). The gate is the voltage of the gate pin measured
// from the second main terminal (a gate driver) or from ground (a control signal, as PWM
// blocks give it): `S name t1 t2 gate gate_ref model`.
import type { ElementDef, FieldDef, Props } from './types';
import { flag, modelCard } from './model-card';

/** The body/antiparallel diode drawn beside the switch, cathode towards pin 1. */
const SideDiode = () => (
  <>
    <path d="M0 -24 L16 -24 L16 24 L0 24" />
    <path d="M10 6 L22 6 L16 -4 Z" fill="currentColor" />
    <path d="M10 -4 L22 -4" />
  </>
);

const gateRefField = (terminal: string): FieldDef => ({
  key: 'gateref',
  label: 'Gate voltage measured from',
  type: 'select',
  options: [terminal, 'ground'],
});

const antiparallelFields: FieldDef[] = [
  { key: 'diode', label: 'Antiparallel diode', type: 'select', options: ['yes', 'no'] },
  { key: 'vd', label: 'Diode forward voltage', type: 'value', unit: 'V', when: (p) => p.diode !== 'no' },
  { key: 'rd', label: 'Diode on resistance', type: 'value', unit: 'Ω', when: (p) => p.diode !== 'no' },
];

function sCard(name: string, nodes: string[], props: Props, model: string): string {
  const gateRef = props.gateref === 'ground' ? '0' : nodes[1];
  return `${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${gateRef} ${model}`;
}

const GATE_PINS = [
  { x: 0, y: -2 },
  { x: 0, y: 2 },
  { x: -2, y: 0 },
] as const;

export const pwlMos: ElementDef = {
  kind: 'pwlmos',
  title: 'MOSFET with body diode (ideal)',
  short: 'MOSFET',
  group: 'Power',
  prefix: 'S',
  spiceLetter: 'S',
  pins: GATE_PINS,
  pinNames: ['drain', 'source', 'gate'],
  defaultProps: { gateref: 'source', vt: '0.5', vh: '0', ron: '10m', roff: '1e9', diode: 'yes', vd: '0.7', rd: '1m' },
  fields: [
    gateRefField('source'),
    { key: 'vt', label: 'Gate threshold', type: 'value', unit: 'V' },
    { key: 'vh', label: 'Gate hysteresis (half-width)', type: 'value', unit: 'V' },
    { key: 'ron', label: 'On resistance', type: 'value', unit: 'Ω' },
    { key: 'roff', label: 'Off resistance', type: 'value', unit: 'Ω' },
    ...antiparallelFields,
  ],
  box: [-2, -2, 1.3, 2],
  render: () => (
    <>
      <path d="M-40 0 L-18 0 M-18 -12 L-18 12" />
      <line x1={-11} y1={-14} x2={-11} y2={14} strokeWidth={2.5} />
      <path d="M-11 -10 L0 -10 L0 -40 M-11 10 L0 10 L0 40 M-11 0 L0 0 L0 10" />
      <path d="M-4 -4 L-10 0 L-4 4" />
      <SideDiode />
    </>
  ),
  caption: (p) => `Ron=${p.ron}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [sCard(name, nodes, props, `${name}_mod`)],
    models: {
      [`${name}_mod`]: modelCard(`${name}_mod`, 'PWLMOS', { ...props, diode: flag(props.diode) }, ['vt', 'vh', 'ron', 'roff', 'vd', 'rd', 'diode']),
    },
  }),
  current: 'ammeter',
};

export const pwlIgbt: ElementDef = {
  kind: 'pwligbt',
  title: 'IGBT with antiparallel diode (ideal)',
  short: 'IGBT',
  group: 'Power',
  prefix: 'S',
  spiceLetter: 'S',
  pins: GATE_PINS,
  pinNames: ['collector', 'emitter', 'gate'],
  defaultProps: { gateref: 'emitter', vt: '0.5', vh: '0', von: '0', ron: '10m', roff: '1e9', diode: 'yes', vd: '0.7', rd: '1m' },
  fields: [
    gateRefField('emitter'),
    { key: 'vt', label: 'Gate threshold', type: 'value', unit: 'V' },
    { key: 'vh', label: 'Gate hysteresis (half-width)', type: 'value', unit: 'V' },
    { key: 'von', label: 'Knee voltage', type: 'value', unit: 'V' },
    { key: 'ron', label: 'On resistance (slope)', type: 'value', unit: 'Ω' },
    { key: 'roff', label: 'Off resistance', type: 'value', unit: 'Ω' },
    ...antiparallelFields,
  ],
  box: [-2, -2, 1.3, 2],
  render: () => (
    <>
      <path d="M-40 0 L-18 0 M-18 -12 L-18 12" />
      <line x1={-11} y1={-14} x2={-11} y2={14} strokeWidth={2.5} />
      <path d="M-11 -7 L0 -16 L0 -40 M-11 7 L0 16 L0 40" />
      <path d="M-7 17 L0 16 L-2 9" />
      <SideDiode />
    </>
  ),
  caption: (p) => `Von=${p.von}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [sCard(name, nodes, props, `${name}_mod`)],
    models: {
      [`${name}_mod`]: modelCard(`${name}_mod`, 'PWLIGBT', { ...props, diode: flag(props.diode) }, [
        'vt', 'vh', 'von', 'ron', 'roff', 'vd', 'rd', 'diode',
      ]),
    },
  }),
  current: 'ammeter',
};

export const thyristor: ElementDef = {
  kind: 'thyristor',
  title: 'Thyristor (ideal)',
  short: 'SCR',
  group: 'Power',
  prefix: 'S',
  spiceLetter: 'S',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
    { x: -2, y: 1 },
  ],
  pinNames: ['anode', 'cathode', 'gate'],
  defaultProps: { gateref: 'cathode', vt: '0.5', von: '0', ron: '1m', roff: '1e9', ih: '0' },
  fields: [
    gateRefField('cathode'),
    { key: 'vt', label: 'Gate trigger voltage', type: 'value', unit: 'V' },
    { key: 'von', label: 'Forward voltage', type: 'value', unit: 'V' },
    { key: 'ron', label: 'On resistance', type: 'value', unit: 'Ω' },
    { key: 'roff', label: 'Off resistance', type: 'value', unit: 'Ω' },
    { key: 'ih', label: 'Holding current', type: 'value', unit: 'A' },
  ],
  box: [-2, -2, 0.7, 2],
  render: () => (
    <>
      <path d="M0 -40 L0 -8 M0 8 L0 40" />
      <path d="M-10 -8 L10 -8 L0 8 Z" fill="currentColor" />
      <line x1={-10} y1={8} x2={10} y2={8} />
      <path d="M-40 20 L-12 20 L-3 9" />
    </>
  ),
  caption: (p) => `Ih=${p.ih}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [sCard(name, nodes, props, `${name}_mod`)],
    models: { [`${name}_mod`]: modelCard(`${name}_mod`, 'THYRISTOR', props, ['vt', 'von', 'ron', 'roff', 'ih']) },
  }),
  current: 'ammeter',
};
