import type { ElementDef } from './types';
import { Leads2, T } from './draw';
import { modelCard } from './model-card';

/** Ideal (piecewise-linear) diode, PWLDIODE: anode on pin 1 (top), cathode on pin 2. */
export const idealDiode: ElementDef = {
  kind: 'pwldiode',
  title: 'Ideal diode (piecewise linear)',
  short: 'D ideal',
  group: 'Power',
  prefix: 'D',
  spiceLetter: 'D',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['anode', 'cathode'],
  defaultProps: { von: '0', ron: '1m', roff: '1e9' },
  fields: [
    { key: 'von', label: 'Forward voltage', type: 'value', unit: 'V' },
    { key: 'ron', label: 'On resistance', type: 'value', unit: 'Ω' },
    { key: 'roff', label: 'Off resistance', type: 'value', unit: 'Ω' },
  ],
  box: [-0.7, -2, 0.7, 2],
  render: () => (
    <>
      <Leads2 top={-8} bottom={8} />
      <path d="M-10 -8 L10 -8 L0 8 Z" fill="currentColor" />
      <line x1={-10} y1={8} x2={10} y2={8} />
      <T x={14} y={-2} size={7} anchor="start">
        PWL
      </T>
    </>
  ),
  caption: (p) => `Von=${p.von}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${name}_mod`],
    models: { [`${name}_mod`]: modelCard(`${name}_mod`, 'PWLDIODE', props, ['von', 'ron', 'roff']) },
  }),
  current: 'ammeter',
};
