import type { ElementDef } from './types';

// GaAs MESFET and HFET, ngspice's Z device: level 1 (Statz; NMF/PMF models),
// the MESA levels 2-4 (NMF only) and the HFET levels 5-6 (NHFET/PHFET), the
// last two with gate width and length.
// Pins: drain (1,-2), gate (-2,0), source (1,2), as the JFET's.
const symbol = (p: boolean) => (
  <>
    <line x1={-40} y1={0} x2={-6} y2={0} />
    <line x1={-6} y1={-16} x2={-6} y2={16} strokeWidth={2.5} />
    <line x1={-10} y1={-16} x2={-10} y2={16} />
    <path d="M-6 -10 L20 -10 L20 -40" />
    <path d="M-6 10 L20 10 L20 40" />
    {p ? <path d="M-24 -4 L-14 0 L-24 4" fill="currentColor" /> : <path d="M-18 -4 L-28 0 L-18 4" fill="currentColor" />}
  </>
);

// What every Z element shares: its letter, group and three pins.
const zDevice: Pick<ElementDef, 'group' | 'prefix' | 'spiceLetter' | 'pins' | 'pinNames' | 'box' | 'current'> = {
  group: 'Semiconductors',
  prefix: 'Z',
  spiceLetter: 'Z',
  pins: [
    { x: 1, y: -2 },
    { x: -2, y: 0 },
    { x: 1, y: 2 },
  ],
  pinNames: ['d', 'g', 's'],
  box: [-2, -2, 1, 2],
  current: 'ammeter',
};

const mesfet = (p: boolean): ElementDef => ({
  kind: p ? 'pmf' : 'nmf',
  title: p ? 'P-type GaAs MESFET' : 'N-type GaAs MESFET',
  short: p ? 'PMF' : 'NMF',
  ...zDevice,
  defaultProps: {
    // VTO in the device's own polarity (negative: depletion, for either type, as ngspice)
    model: 'VTO=-1.3 BETA=1.4m ALPHA=3 B=0.3 LAMBDA=0.03 CGS=0.3p CGD=0.05p',
  },
  fields: [{ key: 'model', label: `Model (${p ? 'PMF' : 'NMF'} parameters)`, type: 'text' }],
  render: () => symbol(p),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${name}_mod`],
    models: { [`${name}_mod`]: `.model ${name}_mod ${p ? 'PMF' : 'NMF'}(${props.model})` },
  }),
});

export const nmf = mesfet(false);
export const pmf = mesfet(true);

// MESA (Z levels 2-4): the channel from the layer structure, sized by W and L.
export const mesa: ElementDef = {
  kind: 'mesa',
  title: 'GaAs MESFET (MESA model)',
  short: 'MESA',
  ...zDevice,
  defaultProps: {
    w: '20u',
    l: '1u',
    model: 'LEVEL=2 VTO=-1.26 RD=31 RS=31',
  },
  fields: [
    { key: 'w', label: 'Gate width W', type: 'value', unit: 'm' },
    { key: 'l', label: 'Gate length L', type: 'value', unit: 'm' },
    { key: 'model', label: 'Model (NMF parameters, LEVEL=2, 3 or 4)', type: 'text' },
  ],
  render: () => symbol(false),
  caption: (pr) => `${pr.w}/${pr.l}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${name}_mod W=${props.w} L=${props.l}`],
    models: { [`${name}_mod`]: `.model ${name}_mod NMF(${props.model})` },
  }),
};

// HFET (Z levels 5 and 6, NHFET/PHFET): heterostructure FETs, sized by W and L.
const hfet = (p: boolean): ElementDef => ({
  kind: p ? 'phfet' : 'nhfet',
  title: p ? 'P-type HFET' : 'N-type HFET',
  short: p ? 'PHFET' : 'NHFET',
  ...zDevice,
  defaultProps: {
    w: '10u',
    l: '1u',
    // VTO in the circuit's polarity for level 5 and 6 alike (ngspice's defaults: 0.15, -0.15)
    model: p ? 'LEVEL=5 VTO=-0.15 RD=60 RS=60' : 'LEVEL=5 VTO=0.15 RD=60 RS=60',
  },
  fields: [
    { key: 'w', label: 'Gate width W', type: 'value', unit: 'm' },
    { key: 'l', label: 'Gate length L', type: 'value', unit: 'm' },
    { key: 'model', label: `Model (${p ? 'PHFET' : 'NHFET'} parameters, LEVEL=5 or 6)`, type: 'text' },
  ],
  render: () => symbol(p),
  caption: (pr) => `${pr.w}/${pr.l}`,
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${name}_mod W=${props.w} L=${props.l}`],
    models: { [`${name}_mod`]: `.model ${name}_mod ${p ? 'PHFET' : 'NHFET'}(${props.model})` },
  }),
});

export const nhfet = hfet(false);
export const phfet = hfet(true);
