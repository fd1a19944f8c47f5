// Builds a schematic document in code, part by part (the gallery's schematics);
// coordinates in grid units.
import { addElement, addProbe, addWire } from '@/features/schematic/model/ops';
import { emptyDoc, type Pt, type Rot, type SchematicDoc } from '@/features/schematic/model/schema';

/** Builds a document part by part; coordinates in grid units. */
export class Sheet {
  doc: SchematicDoc;
  constructor(title: string) {
    this.doc = emptyDoc(title);
  }
  part(kind: string, x: number, y: number, props: Record<string, string> = {}, rot: Rot = 0, name?: string): string {
    const r = addElement(this.doc, kind, { x, y }, rot, false, props, name);
    this.doc = r.doc;
    return r.id;
  }
  label(net: string, x: number, y: number) {
    this.part('label', x, y, { net });
  }
  /** A polyline of wires through the points; returns the first segment's id. */
  wire(...pts: [number, number][]): string {
    let first = '';
    for (let i = 1; i < pts.length; i++) {
      const a: Pt = { x: pts[i - 1][0], y: pts[i - 1][1] };
      const b: Pt = { x: pts[i][0], y: pts[i][1] };
      const r = addWire(this.doc, a, b);
      this.doc = r.doc;
      first ||= r.id ?? '';
    }
    return first;
  }
  probeWire(wireId: string, pane = 0) {
    this.doc = addProbe(this.doc, { kind: 'v', wireId, pane });
  }
  probeCurrent(elementId: string, pane = 1) {
    this.doc = addProbe(this.doc, { kind: 'i', elementId, pane });
  }
  tran(tstep: string, tstop: string): SchematicDoc {
    return { ...this.doc, analysis: { ...this.doc.analysis, kind: 'tran', tran: { tstep, tstop } } };
  }
}
