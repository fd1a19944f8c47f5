import type { ElementDef } from './types';
import { Diamond, T } from './draw';

// E and G: out+ (2,-2), out- (2,2), ctrl+ (-2,-2), ctrl- (-2,2).
const vcontrolled = (current: boolean): ElementDef => ({
  kind: current ? 'vccs' : 'vcvs',
  title: current ? 'VCCS (G)' : 'VCVS (E)',
  short: current ? 'G' : 'E',
  group: 'Controlled',
  prefix: current ? 'G' : 'E',
  spiceLetter: current ? 'G' : 'E',
  pins: [
    { x: 2, y: -2 },
    { x: 2, y: 2 },
    { x: -2, y: -2 },
    { x: -2, y: 2 },
  ],
  pinNames: ['out+', 'out-', 'ctrl+', 'ctrl-'],
  defaultProps: { gain: current ? '1m' : '10' },
  fields: [{ key: 'gain', label: current ? 'Transconductance' : 'Voltage gain', type: 'value', unit: current ? 'S' : '' }],
  box: [-2, -2, 2, 2],
  render: () => (
    <>
      <path d="M40 -40 L40 -16 M40 16 L40 40" />
      <Diamond cx={40} current={current} />
      <path d="M-40 -40 L-20 -40 L-20 -28 M-40 40 L-20 40 L-20 28" />
      <circle cx={-20} cy={-24} r={3} />
      <circle cx={-20} cy={24} r={3} />
      <T x={-10} y={-24}>+</T>
      <T x={-10} y={24}>−</T>
    </>
  ),
  caption: (p) => `×${p.gain}`,
  netlist: ({ name, nodes, props }) => ({ lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${nodes[3]} ${props.gain}`] }),
  current: current ? 'ammeter' : 'native',
});

// F and H: out+ (0,-2), out- (0,2); controlled by the current of a named V source.
const icontrolled = (current: boolean): ElementDef => ({
  kind: current ? 'cccs' : 'ccvs',
  title: current ? 'CCCS (F)' : 'CCVS (H)',
  short: current ? 'F' : 'H',
  group: 'Controlled',
  prefix: current ? 'F' : 'H',
  spiceLetter: current ? 'F' : 'H',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['out+', 'out-'],
  defaultProps: { control: 'V1', gain: current ? '10' : '1k' },
  fields: [
    { key: 'control', label: 'Controlling V source', type: 'element' },
    { key: 'gain', label: current ? 'Current gain' : 'Transresistance', type: 'value', unit: current ? '' : 'Ω' },
  ],
  box: [-1, -2, 1, 2],
  render: () => (
    <>
      <path d="M0 -40 L0 -16 M0 16 L0 40" />
      <Diamond cx={0} current={current} />
    </>
  ),
  caption: (p) => `${p.gain}·i(${p.control})`,
  netlist: ({ name, nodes, props, ref }) => ({ lines: [`${name} ${nodes[0]} ${nodes[1]} ${ref(props.control)} ${props.gain}`] }),
  current: current ? 'ammeter' : 'native',
});

export const vcvs = vcontrolled(false);
export const vccs = vcontrolled(true);
export const cccs = icontrolled(true);
export const ccvs = icontrolled(false);
