// Half-bridge leg: two ideal switches (PWLMOS or PWLIGBT, each with its antiparallel
// diode) between DC+ and DC−, their middle the output. One gate input drives both,
// complementary: with g = v(gate) − v(gate ref), the upper switch conducts while
// g > vt and the lower one while g < vt, switching at the same located instant (no
// overlap, no dead time). The lower switch gets the same S card with its gate pins
// swapped and threshold −vt. Sine-triangle modulation connects the reference to gate
// and the carrier to gate ref. For dead time use two switch parts driven by a PWM
// block's complementary outputs.
// Pins: DC+ (0,-4), DC− (0,4), out (2,0), gate (-4,-1), gate ref (-4,1).
import type { ElementDef, Props } from './types';
import { T } from './draw';
import { modelCard, negate } from './model-card';

const HALF_KEYS = ['vt', 'von', 'ron', 'roff', 'vd', 'rd'] as const;

function legModel(name: string, props: Props, vt: string): string {
  const igbt = props.device === 'igbt';
  const keys = HALF_KEYS.filter((k) => igbt || k !== 'von');
  return modelCard(name, igbt ? 'PWLIGBT' : 'PWLMOS', { ...props, vt, diode: '1' }, [...keys, 'diode']);
}

export const halfBridge: ElementDef = {
  kind: 'halfbridge',
  title: 'Half-bridge leg (complementary)',
  short: 'LEG',
  group: 'Power',
  prefix: 'HB',
  spiceLetter: 'S',
  pins: [
    { x: 0, y: -4 },
    { x: 0, y: 4 },
    { x: 2, y: 0 },
    { x: -4, y: -1 },
    { x: -4, y: 1 },
  ],
  pinNames: ['dc+', 'dc-', 'out', 'gate', 'gate ref'],
  defaultProps: { device: 'mosfet', vt: '0', von: '0', ron: '10m', roff: '1e9', vd: '0.7', rd: '1m' },
  fields: [
    { key: 'device', label: 'Switches', type: 'select', options: ['mosfet', 'igbt'] },
    { key: 'vt', label: 'Gate threshold (upper on above, lower on below)', type: 'value', unit: 'V' },
    { key: 'von', label: 'IGBT knee voltage', type: 'value', unit: 'V', when: (p) => p.device === 'igbt' },
    { key: 'ron', label: 'On resistance', type: 'value', unit: 'Ω' },
    { key: 'roff', label: 'Off resistance', type: 'value', unit: 'Ω' },
    { key: 'vd', label: 'Diode forward voltage', type: 'value', unit: 'V' },
    { key: 'rd', label: 'Diode on resistance', type: 'value', unit: 'Ω' },
  ],
  box: [-4, -4, 2, 4],
  render: () => (
    <>
      <path d="M0 -80 L0 -44 L-8 -44 M-8 -50 L-8 -18 M-8 -24 L0 -24 L0 24 L-8 24 M-8 18 L-8 50 M-8 44 L0 44 L0 80" />
      <path d="M-14 -46 L-14 -22 M-14 22 L-14 46" />
      <path d="M0 -44 L14 -44 L14 -24 L0 -24 M9 -38 L19 -38 M0 24 L14 24 L14 44 L0 44 M9 30 L19 30" />
      <path d="M9 -30 L19 -30 L14 -38 Z M9 38 L19 38 L14 30 Z" fill="currentColor" />
      <path d="M0 0 L40 0" />
      <circle cx={0} cy={0} r={2.5} fill="currentColor" />
      <path d="M-80 -20 L-40 -20 M-80 20 L-40 20 M-22 -34 L-14 -34 M-19 34 L-14 34" />
      <rect x={-40} y={-42} width={18} height={84} />
      <circle cx={-19} cy={34} r={3} />
      <T x={-31} y={-20} size={8}>
        g
      </T>
      <T x={-31} y={20} size={8}>
        ref
      </T>
    </>
  ),
  caption: (p) => (p.device === 'igbt' ? 'IGBT leg' : 'MOSFET leg'),
  netlist: ({ name, nodes, props }) => {
    const [dcp, dcn, out, g, gref] = nodes;
    return {
      lines: [`${name}_H ${dcp} ${out} ${g} ${gref} ${name}_modh`, `${name}_L ${out} ${dcn} ${gref} ${g} ${name}_modl`],
      models: {
        [`${name}_modh`]: legModel(`${name}_modh`, props, props.vt),
        [`${name}_modl`]: legModel(`${name}_modl`, props, negate(props.vt || '0')),
      },
    };
  },
  current: 'ammeter',
};
