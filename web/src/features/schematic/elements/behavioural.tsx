import type { ElementDef } from './types';
import { Leads2, T } from './draw';

// B source: plus on pin 1 (top), minus on pin 2; V={expr} or I={expr} of
// v(node), i(vsource), time, ... (docs/netlist.md, behavioural sources).
const bsource = (current: boolean): ElementDef => ({
  kind: current ? 'bcurrent' : 'bvoltage',
  title: current ? 'Behavioural current source (B, I=)' : 'Behavioural voltage source (B, V=)',
  short: current ? 'B I=' : 'B V=',
  group: 'Controlled',
  prefix: 'B',
  spiceLetter: 'B',
  pins: [
    { x: 0, y: -2 },
    { x: 0, y: 2 },
  ],
  pinNames: ['+', '-'],
  defaultProps: { expr: current ? '1m*tanh(v(in)/0.1)' : 'v(in)*v(in)' },
  fields: [{ key: 'expr', label: current ? 'Current I= (expression)' : 'Voltage V= (expression)', type: 'text' }],
  box: [-1, -2, 1, 2],
  render: () => (
    <>
      <Leads2 top={-16} bottom={16} />
      <path d="M0 -16 L14 0 L0 16 L-14 0 Z" />
      <T x={0} y={0} size={11}>
        {current ? 'I' : 'V'}
      </T>
    </>
  ),
  caption: (p) => (p.expr.length > 18 ? `${p.expr.slice(0, 17)}…` : p.expr),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${current ? 'I' : 'V'}={${props.expr}}`],
  }),
  current: current ? 'ammeter' : 'native',
});

export const bvoltage = bsource(false);
export const bcurrent = bsource(true);
