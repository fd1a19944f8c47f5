// What is saved, autosaved and shared: the schematic, the hand-written
// netlist and which of the two drives the simulation.
import { migrateDoc, type SchematicDoc } from '@/features/schematic/model/schema';

export type Source = 'schematic' | 'netlist';

export interface Workspace {
  kind: 'simcore.workspace';
  version: 1;
  source: Source;
  doc: SchematicDoc;
  netlist: string;
  fileName: string;
}

export function parseWorkspace(raw: unknown): Workspace {
  const o = raw as Partial<Workspace> & { schema?: string };
  if (o && o.kind === 'simcore.workspace') {
    return {
      kind: 'simcore.workspace',
      version: 1,
      source: o.source === 'netlist' ? 'netlist' : 'schematic',
      doc: migrateDoc(o.doc),
      netlist: String(o.netlist ?? ''),
      fileName: String(o.fileName ?? 'untitled'),
    };
  }
  // A bare schematic document (saved with "Save .json").
  const doc = migrateDoc(raw);
  return { kind: 'simcore.workspace', version: 1, source: 'schematic', doc, netlist: '', fileName: doc.title };
}

const KEY = 'simcore.autosave.v1';

export function loadAutosave(): Workspace | null {
  try {
    const t = localStorage.getItem(KEY);
    return t ? parseWorkspace(JSON.parse(t)) : null;
  } catch {
    return null;
  }
}

export function saveAutosave(w: Workspace) {
  try {
    localStorage.setItem(KEY, JSON.stringify(w));
  } catch {
    /* quota or private mode: autosave is best effort */
  }
}

/** Read a file the user picked: .cir/.sp/.net/.txt as a netlist, .json as a document. */
export async function readUserFile(file: File): Promise<{ netlist: string } | { workspace: Workspace }> {
  const text = await file.text();
  if (/\.json$/i.test(file.name) || text.trimStart().startsWith('{')) return { workspace: parseWorkspace(JSON.parse(text)) };
  return { netlist: text };
}

/**
 * A file name for a netlist from its title line (SPICE's first line), e.g. a pasted buck
 * converter is "buck converter", not the name of the file that was open before; 'untitled'
 * when the first line is empty or a card.
 */
export function netlistTitle(text: string): string {
  const first = (text.split('\n')[0] ?? '').replace(/^\s*\*+\s*/, '').trim();
  if (!first || /^[.+]/.test(first)) return 'untitled';
  return first.slice(0, 60);
}
