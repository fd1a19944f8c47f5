import type { ElementDef } from './types';
import { T } from './draw';

/** A net label: names the net it touches; labels with the same name connect. */
export const netLabel: ElementDef = {
  kind: 'label',
  title: 'Net label',
  short: 'Label',
  group: 'Wiring',
  prefix: 'LBL',
  spiceLetter: '',
  pins: [{ x: 0, y: 0 }],
  pinNames: ['net'],
  defaultProps: { net: 'out' },
  fields: [{ key: 'net', label: 'Net name', type: 'text' }],
  box: [0, -0.6, 3, 0.6],
  render: (p) => {
    const w = Math.max(30, 7 * (p.net?.length ?? 1) + 16);
    return (
      <>
        <path d={`M0 0 L8 -9 L${w} -9 L${w} 9 L8 9 Z`} />
        <T x={10} y={0} anchor="start" size={11}>
          {p.net}
        </T>
      </>
    );
  },
  netlist: () => ({ lines: [] }),
  current: 'none',
  hotkey: 'n',
};
