// The schematic document: plain JSON, versioned, migrated on load.
// Coordinates are grid units (integers); one grid unit is GRID px on screen.

export const SCHEMA_ID = 'simcore.schematic';
export const SCHEMA_VERSION = 2;

export type Rot = 0 | 1 | 2 | 3; // quarter turns, clockwise on screen
export interface Pt {
  x: number;
  y: number;
}

export interface SchElement {
  id: string;
  kind: string; // key of the element registry ("resistor", "vsource", ...)
  name: string; // SPICE instance name ("R1")
  x: number;
  y: number;
  rot: Rot;
  mirror: boolean; // mirrored about the local y axis before rotating
  props: Record<string, string>;
}

export interface Wire {
  id: string;
  a: Pt;
  b: Pt;
}

export type AnalysisKind = 'op' | 'tran' | 'ac' | 'dc';
export interface AnalysisSettings {
  kind: AnalysisKind;
  tran: { tstep: string; tstop: string };
  ac: { sweep: 'dec' | 'oct' | 'lin'; points: string; fstart: string; fstop: string };
  dc: { source: string; start: string; stop: string; step: string };
  /** Transient switching mode (`.options switching=`); auto (absent) lets the engine choose. */
  switching?: SwitchingMode;
}

export type SwitchingMode = 'auto' | 'event' | 'spice';

/** A probe: the voltage of the net a wire/pin is on, or the current into an element's first pin. */
export interface Probe {
  id: string;
  kind: 'v' | 'i';
  wireId?: string;
  elementId?: string;
  pin?: number;
  pane: number;
}

/** A parameter slider on one field of one element. */
export interface Slider {
  elementId: string;
  key: string;
  min: number;
  max: number;
}

export interface SchematicDoc {
  schema: typeof SCHEMA_ID;
  version: typeof SCHEMA_VERSION;
  title: string;
  elements: Record<string, SchElement>;
  wires: Record<string, Wire>;
  analysis: AnalysisSettings;
  probes: Probe[];
  sliders: Slider[];
}

export function defaultAnalysis(): AnalysisSettings {
  return {
    kind: 'tran',
    tran: { tstep: '10u', tstop: '10m' },
    ac: { sweep: 'dec', points: '20', fstart: '10', fstop: '1meg' },
    dc: { source: 'V1', start: '0', stop: '5', step: '0.05' },
  };
}

export function emptyDoc(title = 'untitled'): SchematicDoc {
  return {
    schema: SCHEMA_ID,
    version: SCHEMA_VERSION,
    title,
    elements: {},
    wires: {},
    analysis: defaultAnalysis(),
    probes: [],
    sliders: [],
  };
}

let idCounter = 0;
export function newId(prefix = 'e'): string {
  idCounter = (idCounter + 1) % 1e6;
  return `${prefix}${Date.now().toString(36)}${idCounter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

// ---- migrations ---------------------------------------------------------
// Version 1 (the first prototype) stored arrays, rotation in degrees and wires
// as x1/y1/x2/y2, and had no analysis, probes or sliders.
interface DocV1 {
  schema?: string;
  version: 1;
  title?: string;
  elements: { id: string; type: string; name: string; x: number; y: number; rotation?: number; mirrored?: boolean; props?: Record<string, string | number> }[];
  wires: { id: string; x1: number; y1: number; x2: number; y2: number }[];
}

type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
const MIGRATIONS: Record<number, Migration> = {
  1: (raw) => {
    const d = raw as unknown as DocV1;
    const elements: Record<string, SchElement> = {};
    for (const e of d.elements ?? []) {
      const props: Record<string, string> = {};
      for (const [k, v] of Object.entries(e.props ?? {})) props[k] = String(v);
      elements[e.id] = {
        id: e.id,
        kind: e.type,
        name: e.name,
        x: e.x,
        y: e.y,
        rot: ((((Math.round((e.rotation ?? 0) / 90) % 4) + 4) % 4) as Rot),
        mirror: !!e.mirrored,
        props,
      };
    }
    const wires: Record<string, Wire> = {};
    for (const w of d.wires ?? []) wires[w.id] = { id: w.id, a: { x: w.x1, y: w.y1 }, b: { x: w.x2, y: w.y2 } };
    return {
      schema: SCHEMA_ID,
      version: 2,
      title: d.title ?? 'untitled',
      elements,
      wires,
      analysis: defaultAnalysis(),
      probes: [],
      sliders: [],
    };
  },
};

export class DocFormatError extends Error {}

/** Bring any stored version up to SCHEMA_VERSION; throws DocFormatError on foreign or future data. */
export function migrateDoc(input: unknown): SchematicDoc {
  if (!input || typeof input !== 'object') throw new DocFormatError('not a schematic document');
  let doc = input as Record<string, unknown>;
  if (doc.schema !== undefined && doc.schema !== SCHEMA_ID) throw new DocFormatError(`unknown schema '${String(doc.schema)}'`);
  let version = Number(doc.version);
  if (!Number.isInteger(version) || version < 1) throw new DocFormatError('document has no version');
  if (version > SCHEMA_VERSION)
    throw new DocFormatError(`document version ${version} is newer than this app (${SCHEMA_VERSION}); reload to update`);
  while (version < SCHEMA_VERSION) {
    const m = MIGRATIONS[version];
    if (!m) throw new DocFormatError(`no migration from version ${version}`);
    doc = m(doc);
    version = Number(doc.version);
  }
  const d = doc as unknown as SchematicDoc;
  return {
    ...emptyDoc(d.title),
    ...d,
    analysis: { ...defaultAnalysis(), ...d.analysis },
    probes: d.probes ?? [],
    sliders: d.sliders ?? [],
  };
}
