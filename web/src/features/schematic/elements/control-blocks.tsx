// Control blocks as XSPICE-style A cards (`Aname ports... model` with a code-model
// .model card): PWM generator, comparator, gain, summer, integrator, PI controller,
// sample-and-hold. Outputs are ideal voltages to ground; inputs draw no current.
import type { ReactNode } from 'react';
import type { ElementDef, FieldDef, NetlistContext, NetlistFragment, Props } from './types';
import { T } from './draw';
import { modelCard } from './model-card';

/** A rectangular block from x=-40 to 40 with leads to its pins at x=±60 (y in grid units). */
function Block({ inputs, outputs, children, h = 30 }: { inputs: number[]; outputs: number[]; children?: ReactNode; h?: number }) {
  return (
    <>
      <rect x={-40} y={-h} width={80} height={2 * h} />
      {inputs.map((y) => (
        <line key={`i${y}`} x1={-60} y1={y * 20} x2={-40} y2={y * 20} />
      ))}
      {outputs.map((y) => (
        <line key={`o${y}`} x1={40} y1={y * 20} x2={60} y2={y * 20} />
      ))}
      {children}
    </>
  );
}

/** `Aname ports... name_mod` plus its .model card of `type` from `keys`. */
function aCard(ctx: NetlistContext, ports: string[], type: string, keys: readonly string[], props: Props = ctx.props): NetlistFragment {
  const model = `${ctx.name}_mod`;
  return { lines: [`${ctx.name} ${ports.join(' ')} ${model}`], models: { [model]: modelCard(model, type, props, keys) } };
}

const limitFields: FieldDef[] = [
  { key: 'out_lower_limit', label: 'Lower output limit', type: 'value', unit: 'V', placeholder: 'none' },
  { key: 'out_upper_limit', label: 'Upper output limit', type: 'value', unit: 'V', placeholder: 'none' },
  { key: 'out_ic', label: 'Initial output', type: 'value', unit: 'V' },
];

const IN_OUT = [
  { x: -3, y: 0 },
  { x: 3, y: 0 },
] as const;

/** PWM: out high while ref > carrier; outn its complement; dead time delays rising edges. */
export const pwm: ElementDef = {
  kind: 'pwm',
  title: 'PWM generator',
  short: 'PWM',
  group: 'Control blocks',
  prefix: 'APWM',
  spiceLetter: 'A',
  pins: [
    { x: -3, y: 0 },
    { x: 3, y: -1 },
    { x: 3, y: 1 },
  ],
  pinNames: ['ref', 'out', 'outn'],
  optionalPins: [2],
  defaultProps: { freq: '100k', carrier: 'triangle', phase: '0', vlow: '0', vhigh: '1', deadtime: '0', cmin: '0', cmax: '1' },
  fields: [
    { key: 'freq', label: 'Carrier frequency', type: 'value', unit: 'Hz' },
    { key: 'carrier', label: 'Carrier', type: 'select', options: ['triangle', 'sawtooth'] },
    { key: 'phase', label: 'Carrier phase', type: 'value', unit: '°' },
    { key: 'cmin', label: 'Carrier minimum', type: 'value', unit: 'V' },
    { key: 'cmax', label: 'Carrier maximum', type: 'value', unit: 'V' },
    { key: 'vlow', label: 'Output low', type: 'value', unit: 'V' },
    { key: 'vhigh', label: 'Output high', type: 'value', unit: 'V' },
    { key: 'deadtime', label: 'Dead time (delays rising edges)', type: 'value', unit: 's' },
  ],
  box: [-3, -1.5, 3, 1.5],
  render: (p) => (
    <Block inputs={[0]} outputs={[-1, 1]}>
      <path d={p.carrier === 'sawtooth' ? 'M-30 12 L-14 -12 L-14 12 L2 -12 L2 12' : 'M-30 12 L-22 -12 L-14 12 L-6 -12 L2 12'} />
      <T x={22} y={-20} size={8}>
        out
      </T>
      <T x={22} y={20} size={8}>
        outn
      </T>
      <T x={-26} y={-22} size={8} anchor="start">
        PWM
      </T>
    </Block>
  ),
  caption: (p) => `${p.freq}Hz`,
  netlist: (ctx) =>
    aCard(
      ctx,
      ctx.open(2) ? [ctx.nodes[0], ctx.nodes[1]] : ctx.nodes,
      'pwm',
      ['freq', 'carrier', 'phase', 'vlow', 'vhigh', 'deadtime', 'cmin', 'cmax'],
    ),
  current: 'none',
};

/** Comparator: out_high while v(in+) − v(in−) is above +hyst/2, out_low below −hyst/2. */
export const comparator: ElementDef = {
  kind: 'comparator',
  title: 'Comparator',
  short: 'CMP',
  group: 'Control blocks',
  prefix: 'ACMP',
  spiceLetter: 'A',
  pins: [
    { x: -3, y: -1 },
    { x: -3, y: 1 },
    { x: 3, y: 0 },
  ],
  pinNames: ['in+', 'in-', 'out'],
  defaultProps: { out_low: '0', out_high: '1', hyst: '0' },
  fields: [
    { key: 'out_low', label: 'Output low', type: 'value', unit: 'V' },
    { key: 'out_high', label: 'Output high', type: 'value', unit: 'V' },
    { key: 'hyst', label: 'Hysteresis width', type: 'value', unit: 'V' },
  ],
  box: [-3, -2, 3, 2],
  render: () => (
    <>
      <path d="M-40 -36 L-40 36 L36 0 Z" />
      <path d="M-60 -20 L-40 -20 M-60 20 L-40 20 M36 0 L60 0" />
      <T x={-32} y={-20}>+</T>
      <T x={-32} y={20}>−</T>
      <path d="M-18 6 L-8 6 L-8 -6 L2 -6" />
    </>
  ),
  netlist: (ctx) => aCard(ctx, ctx.nodes, 'comparator', ['out_low', 'out_high', 'hyst']),
  current: 'none',
};

/** Gain: out = gain · (in + in_offset) + out_offset. */
export const gainBlock: ElementDef = {
  kind: 'gain',
  title: 'Gain',
  short: 'K',
  group: 'Control blocks',
  prefix: 'AK',
  spiceLetter: 'A',
  pins: IN_OUT,
  pinNames: ['in', 'out'],
  defaultProps: { gain: '1', in_offset: '0', out_offset: '0' },
  fields: [
    { key: 'gain', label: 'Gain', type: 'value' },
    { key: 'in_offset', label: 'Input offset', type: 'value', unit: 'V' },
    { key: 'out_offset', label: 'Output offset', type: 'value', unit: 'V' },
  ],
  box: [-3, -1.5, 3, 1.5],
  render: () => (
    <>
      <path d="M-40 -30 L-40 30 L40 0 Z M-60 0 L-40 0 M40 0 L60 0" />
      <T x={-18} y={0}>
        K
      </T>
    </>
  ),
  caption: (p) => `×${p.gain}`,
  netlist: (ctx) => aCard(ctx, ctx.nodes, 'gain', ['gain', 'in_offset', 'out_offset']),
  current: 'none',
};

/** Summer of two inputs: out = out_gain · (g1 · in1 + g2 · in2). */
export const summer: ElementDef = {
  kind: 'summer',
  title: 'Summer',
  short: 'Σ',
  group: 'Control blocks',
  prefix: 'ASUM',
  spiceLetter: 'A',
  pins: [
    { x: -3, y: -1 },
    { x: -3, y: 1 },
    { x: 3, y: 0 },
  ],
  pinNames: ['in1', 'in2', 'out'],
  defaultProps: { g1: '1', g2: '-1', out_gain: '1' },
  fields: [
    { key: 'g1', label: 'Gain of in1', type: 'value' },
    { key: 'g2', label: 'Gain of in2', type: 'value' },
    { key: 'out_gain', label: 'Output gain', type: 'value' },
  ],
  box: [-3, -1.5, 3, 1.5],
  render: (p) => (
    <>
      <circle r={24} />
      <path d="M-60 -20 L-21 -12 M-60 20 L-21 12 M24 0 L60 0" />
      <T x={0} y={0} size={16}>
        Σ
      </T>
      <T x={-34} y={-26} size={9}>
        {p.g1?.trim().startsWith('-') ? '−' : '+'}
      </T>
      <T x={-34} y={27} size={9}>
        {p.g2?.trim().startsWith('-') ? '−' : '+'}
      </T>
    </>
  ),
  netlist: ({ name, nodes, props }) => {
    const model = `${name}_mod`;
    const gains = `in_gain=[${props.g1 || '1'} ${props.g2 || '1'}]`;
    const og = props.out_gain?.trim() ? ` out_gain=${props.out_gain.trim()}` : '';
    return { lines: [`${name} [${nodes[0]} ${nodes[1]}] ${nodes[2]} ${model}`], models: { [model]: `.model ${model} summer(${gains}${og})` } };
  },
  current: 'none',
};

/** Integrator: out = out_ic + gain · ∫ (in + in_offset) dt, held at its limits (anti-windup). */
export const integrator: ElementDef = {
  kind: 'integrator',
  title: 'Integrator',
  short: '∫',
  group: 'Control blocks',
  prefix: 'AINT',
  spiceLetter: 'A',
  pins: IN_OUT,
  pinNames: ['in', 'out'],
  defaultProps: { gain: '1', out_lower_limit: '', out_upper_limit: '', out_ic: '0' },
  fields: [{ key: 'gain', label: 'Integration gain', type: 'value', unit: '1/s' }, ...limitFields],
  box: [-3, -1.5, 3, 1.5],
  render: () => (
    <Block inputs={[0]} outputs={[0]}>
      <T x={0} y={0} size={18}>
        ∫
      </T>
    </Block>
  ),
  caption: (p) => `k=${p.gain}`,
  netlist: (ctx) => aCard(ctx, ctx.nodes, 'int', ['gain', 'out_lower_limit', 'out_upper_limit', 'out_ic']),
  current: 'none',
};

/** PI controller: out = kp · in + ki · ∫ in dt (+ out_ic), limited with anti-windup. */
export const piController: ElementDef = {
  kind: 'pi',
  title: 'PI controller',
  short: 'PI',
  group: 'Control blocks',
  prefix: 'API',
  spiceLetter: 'A',
  pins: IN_OUT,
  pinNames: ['in', 'out'],
  defaultProps: { kp: '1', ki: '1', out_lower_limit: '', out_upper_limit: '', out_ic: '0' },
  fields: [
    { key: 'kp', label: 'Proportional gain', type: 'value' },
    { key: 'ki', label: 'Integral gain', type: 'value', unit: '1/s' },
    ...limitFields,
  ],
  box: [-3, -1.5, 3, 1.5],
  render: () => (
    <Block inputs={[0]} outputs={[0]}>
      <T x={0} y={0} size={14}>
        PI
      </T>
    </Block>
  ),
  caption: (p) => `kp=${p.kp} ki=${p.ki}`,
  netlist: (ctx) => aCard(ctx, ctx.nodes, 'pi', ['kp', 'ki', 'out_lower_limit', 'out_upper_limit', 'out_ic']),
  current: 'none',
};

/** Sample-and-hold: samples its input at phase + k·period and holds it. */
export const sampleHold: ElementDef = {
  kind: 'samplehold',
  title: 'Sample-and-hold',
  short: 'S/H',
  group: 'Control blocks',
  prefix: 'ASH',
  spiceLetter: 'A',
  pins: IN_OUT,
  pinNames: ['in', 'out'],
  defaultProps: { period: '10u', phase: '0' },
  fields: [
    { key: 'period', label: 'Sampling period', type: 'value', unit: 's' },
    { key: 'phase', label: 'First sample at', type: 'value', unit: 's' },
  ],
  box: [-3, -1.5, 3, 1.5],
  render: () => (
    <Block inputs={[0]} outputs={[0]}>
      <path d="M-28 14 L-16 14 L-16 4 L-4 4 L-4 -6 L8 -6 L8 -14 L20 -14" />
      <T x={18} y={12} size={8}>
        S/H
      </T>
    </Block>
  ),
  caption: (p) => `T=${p.period}s`,
  netlist: (ctx) => aCard(ctx, ctx.nodes, 'zoh', ['period', 'phase']),
  current: 'none',
};
