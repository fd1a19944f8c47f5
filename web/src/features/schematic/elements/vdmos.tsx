import type { ElementDef } from './types';

// Vertical power MOSFET (a VDMOS model: vendors' power MOSFET models, with the
// body diode). Pins: drain (1,-2), gate (-2,0), source (1,2); the body is the source.
const vdmos = (p: boolean): ElementDef => ({
  kind: p ? 'vdmosp' : 'vdmosn',
  title: p ? 'Power MOSFET, P-channel (VDMOS)' : 'Power MOSFET, N-channel (VDMOS)',
  short: p ? 'PMOS pwr' : 'NMOS pwr',
  group: 'Power',
  prefix: 'M',
  spiceLetter: 'M',
  pins: [
    { x: 1, y: -2 },
    { x: -2, y: 0 },
    { x: 1, y: 2 },
  ],
  pinNames: ['d', 'g', 's'],
  defaultProps: {
    model: p
      ? 'VTO=-3 KP=10 RD=20m RS=5m RG=2 LAMBDA=0.01 CGS=1n CGDMAX=1n CGDMIN=50p CJO=500p IS=1e-12 TT=50n'
      : 'VTO=3 KP=20 RD=10m RS=5m RG=2 LAMBDA=0.01 CGS=1n CGDMAX=1n CGDMIN=50p CJO=500p IS=1e-12 TT=50n',
    selfheat: 'no',
  },
  fields: [
    { key: 'model', label: `Model (VDMOS ${p ? 'pchan' : 'nchan'} parameters)`, type: 'text' },
    // ngspice's `thermal` flag: with RTHJC (RTHCA, CTHJ) in the model the junction and case
    // temperatures are the internal nodes <name>#tj and <name>#tc (°C)
    { key: 'selfheat', label: 'Self-heating (thermal; needs RTHJC in the model)', type: 'select', options: ['no', 'yes'] },
  ],
  box: [-2, -2, 1.6, 2],
  render: () => (
    <>
      <line x1={-40} y1={0} x2={-10} y2={0} />
      <line x1={-10} y1={-14} x2={-10} y2={14} />
      <path d="M-4 -16 L-4 -8 M-4 -4 L-4 4 M-4 8 L-4 16" strokeWidth={2.5} />
      <path d="M-4 -12 L20 -12 L20 -40" />
      <path d="M-4 12 L20 12 L20 40" />
      {p ? <path d="M8 -4 L-2 0 L8 4" /> : <path d="M-2 -4 L8 0 L-2 4" />}
      <path d="M-4 0 L20 0 L20 12" />
      {/* body diode, cathode at the drain for n-channel */}
      <path d="M20 -24 L30 -24 L30 24 L20 24" />
      {p ? <path d="M24 -4 L36 -4 L30 6 Z M24 6 L36 6" /> : <path d="M24 6 L36 6 L30 -4 Z M24 -4 L36 -4" />}
    </>
  ),
  netlist: ({ name, nodes, props }) => ({
    lines: [`${name} ${nodes[0]} ${nodes[1]} ${nodes[2]} ${name}_mod${props.selfheat === 'yes' ? ' thermal' : ''}`],
    models: { [`${name}_mod`]: `.model ${name}_mod VDMOS(${p ? 'pchan ' : ''}${props.model})` },
  }),
  current: 'ammeter',
});

export const vdmosN = vdmos(false);
export const vdmosP = vdmos(true);
