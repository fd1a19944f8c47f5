// The app's open work: the schematic, the hand-written netlist and which of the
// two drives the simulation. It is saved, autosaved and shared as the JSON
// circuit model (document.ts), and every stored document is checked when it is
// loaded.
import type { SchematicDoc } from '@/features/schematic/model/schema';
import type { CircuitModel } from './document';

export type Source = 'schematic' | 'netlist';

export interface Workspace {
  kind: 'simcore.workspace';
  version: 1;
  source: Source;
  doc: SchematicDoc;
  netlist: string;
  fileName: string;
}

const KEY = 'simcore.autosave.v1';
/** Where an autosave that failed its check is kept (never overwritten by the next autosave). */
export const REJECTED_KEY = 'simcore.autosave.rejected';

/** The autosaved document as stored (checked by workspaceOfDocument), or null. */
export function loadAutosave(): unknown | null {
  try {
    const t = localStorage.getItem(KEY);
    return t ? JSON.parse(t) : null;
  } catch {
    return localStorage.getItem(KEY); // not JSON: the check names it
  }
}

/** Moves an autosave that cannot be loaded aside, so that the next autosave does not destroy it. */
export function keepRejectedAutosave() {
  try {
    const t = localStorage.getItem(KEY);
    if (t !== null) localStorage.setItem(REJECTED_KEY, t);
    localStorage.removeItem(KEY);
  } catch {
    /* storage unavailable */
  }
}

export function saveAutosave(m: CircuitModel) {
  try {
    localStorage.setItem(KEY, JSON.stringify(m));
  } catch {
    /* quota or private mode: autosave is best effort */
  }
}

/** Read a file the user picked: .cir/.sp/.net/.txt as a netlist, .json as a document (checked by the caller). */
export async function readUserFile(file: File): Promise<{ netlist: string } | { document: unknown }> {
  const text = await file.text();
  if (/\.json$/i.test(file.name) || text.trimStart().startsWith('{')) {
    try {
      return { document: JSON.parse(text) };
    } catch (e) {
      throw new Error(`not JSON (${(e as Error).message})`);
    }
  }
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
