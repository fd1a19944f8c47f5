import { addElement, addWire } from '@/features/schematic/model/ops';
import { emptyDoc, type SchematicDoc } from '@/features/schematic/model/schema';

/** V1 (1 V step) -> R1 1k -> out, C1 1u to ground; transient over 10 τ. */
export function rcSchematic(): SchematicDoc {
  let d = emptyDoc('RC low-pass');
  d = addElement(d, 'vsource', { x: 4, y: 8 }, 0, false, {
    wave: 'pulse', dc: '0', ac: '1', v1: '0', v2: '1', td: '0', tr: '1u', tf: '1u', pw: '1', per: '2',
  }).doc;
  d = addElement(d, 'resistor', { x: 10, y: 4 }, 1, false, { value: '1k' }).doc; // pins (12,4) and (8,4)
  d = addElement(d, 'capacitor', { x: 16, y: 8 }, 0, false, { value: '1u' }).doc;
  d = addElement(d, 'ground', { x: 4, y: 12 }).doc;
  d = addElement(d, 'label', { x: 18, y: 4 }, 0, false, { net: 'out' }).doc;
  d = addWire(d, { x: 4, y: 6 }, { x: 4, y: 4 }).doc;
  d = addWire(d, { x: 4, y: 4 }, { x: 8, y: 4 }).doc;
  d = addWire(d, { x: 12, y: 4 }, { x: 18, y: 4 }).doc;
  d = addWire(d, { x: 16, y: 4 }, { x: 16, y: 6 }).doc;
  d = addWire(d, { x: 4, y: 10 }, { x: 4, y: 12 }).doc;
  d = addWire(d, { x: 16, y: 10 }, { x: 16, y: 12 }).doc;
  d = addWire(d, { x: 4, y: 12 }, { x: 16, y: 12 }).doc;
  return { ...d, analysis: { ...d.analysis, kind: 'tran', tran: { tstep: '10u', tstop: '10m' }, ac: { sweep: 'dec', points: '50', fstart: '1', fstop: '100k' } } };
}
