// The document the app saves, autosaves and shares: the JSON circuit model of
// schema/circuit.schema.json (docs/interop.md), the same one `simcore convert`
// writes and the server accepts, with the schematic and the editor state in
// it. Every document is checked against that schema when it is loaded (files,
// share links, autosave) by a validator ajv compiles from the schema file at
// build time (vite.config.ts); a bad one is refused with the JSON Pointer of
// the first error and the current work stays. Older documents (the
// 'simcore.workspace' of version 1, a bare schematic) are migrated first.
import { validate as validateCircuit } from 'virtual:simcore-circuit-validator';
import { DocFormatError, emptyDoc, migrateDoc, type SchematicDoc } from '@/features/schematic/model/schema';
import type { Source, Workspace } from './workspace';

export const CIRCUIT_FORMAT = 'simcore.circuit';
export const CIRCUIT_VERSION = 1;

/** A card of the model; its fields are described by the schema (docs/interop.md). */
export interface Card {
  type: string;
  [key: string]: unknown;
}

export interface CircuitModel {
  $schema?: string;
  format: typeof CIRCUIT_FORMAT;
  version: typeof CIRCUIT_VERSION;
  title: string;
  cards: Card[];
  schematic?: SchematicDoc;
  editor?: { source?: Source; fileName?: string };
}

/** Netlist text <-> the model, by the engine (the wasm worker's convert). */
export interface CircuitConverter {
  convert(text: string, to: 'json' | 'spice', fileName?: string): Promise<string>;
}

/** A document that is not a circuit model: `path` is the JSON Pointer of the first error ('' the document itself). */
export class DocumentError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path || '/'}: ${detail}`);
    this.name = 'DocumentError';
  }
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function describeError(e: AjvError): string {
  const p = e.params;
  if (e.keyword === 'additionalProperties') return `unknown property "${String(p.additionalProperty)}"`;
  if (e.keyword === 'required') return `missing required property "${String(p.missingProperty)}"`;
  if (e.keyword === 'enum') return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `must be ${JSON.stringify(p.allowedValue)}`;
  return e.message ?? e.keyword;
}

/** The document if it follows the schema; else throws DocumentError. */
export function checkModel(raw: unknown): CircuitModel {
  if (validateCircuit(raw)) return raw as CircuitModel;
  const errors = (validateCircuit.errors ?? []) as AjvError[];
  // The deepest error names the value at fault (the "then"/"oneOf" ones above it only repeat it).
  const first = errors.find((e) => e.keyword !== 'if' && e.keyword !== 'oneOf') ?? errors[0];
  if (!first) throw new DocumentError('', 'not a circuit model');
  throw new DocumentError(first.instancePath, describeError(first));
}

/** A schematic's layout as the model carries it (kept as the app has it). */
function wrap(title: string, cards: Card[], w: Pick<Workspace, 'doc' | 'source' | 'fileName'>): CircuitModel {
  return {
    format: CIRCUIT_FORMAT,
    version: CIRCUIT_VERSION,
    title,
    cards,
    schematic: w.doc,
    editor: { source: w.source, fileName: w.fileName },
  };
}

/**
 * The model of what the app has open: the cards of the netlist in effect (the hand-written
 * one, or the schematic's), the schematic and the editor state. `schematicNetlist` is the
 * netlist the schematic generates.
 */
export async function modelOfWorkspace(w: Workspace, schematicNetlist: string, engine: CircuitConverter): Promise<CircuitModel> {
  const text = w.source === 'netlist' ? w.netlist : schematicNetlist;
  if (!text.trim()) return wrap(w.doc.title, [], w);
  try {
    const m = JSON.parse(await engine.convert(text, 'json', w.fileName)) as CircuitModel;
    return wrap(m.title, m.cards, w);
  } catch {
    // A netlist the engine cannot read (an unclosed brace while typing), or no engine: its
    // lines are kept as they are (raw cards), so saving never loses the text.
    return wrap(...linesAsCards(text), w);
  }
}

/** The title line and the other non-blank lines of a netlist as comment and raw cards. */
export function linesAsCards(text: string): [string, Card[]] {
  const lines = text.split(/\r?\n/);
  const cards: Card[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    if (/^\s*\.end\s*$/i.test(line)) break;
    const t = line.trimStart();
    cards.push(t.startsWith('*') ? { type: 'comment', text: t.slice(1) } : { type: 'raw', text: line });
  }
  return [lines[0] ?? '', cards];
}

/** Migrations of documents older than the circuit model into its shape (the netlist text beside it). */
function migrate(raw: unknown): { model: CircuitModel; netlist?: string } {
  const o = raw as Record<string, unknown> | null;
  if (o && typeof o === 'object' && !Array.isArray(o) && o.kind === 'simcore.workspace') {
    // Version 1 of the app's own format: {kind, version, source, doc, netlist, fileName}.
    if (typeof o.netlist !== 'string' && o.netlist !== undefined) throw new DocumentError('/netlist', 'must be string');
    const doc = migrateDoc(o.doc);
    const source: Source = o.source === 'netlist' ? 'netlist' : 'schematic';
    const fileName = typeof o.fileName === 'string' ? o.fileName : 'untitled';
    return { model: wrap(doc.title, [], { doc, source, fileName }), netlist: (o.netlist as string | undefined) ?? '' };
  }
  if (o && typeof o === 'object' && !Array.isArray(o) && (o.schema === 'simcore.schematic' || ('elements' in o && 'wires' in o && !('format' in o)))) {
    const doc = migrateDoc(o); // a bare schematic (the first Save .json)
    return { model: wrap(doc.title, [], { doc, source: 'schematic', fileName: doc.title }), netlist: '' };
  }
  return { model: raw as CircuitModel };
}

/**
 * A loaded document (a file, a share link, the autosave) as a workspace: migrated, checked
 * against the schema, the netlist of a netlist-mode model written from its cards by the
 * engine. Throws DocumentError (or the migration's DocFormatError) and changes nothing.
 */
export async function workspaceOfDocument(raw: unknown, engine: CircuitConverter): Promise<Workspace> {
  let migrated: { model: CircuitModel; netlist?: string };
  try {
    migrated = migrate(raw);
  } catch (e) {
    if (e instanceof DocFormatError) throw new DocumentError('', e.message);
    throw e;
  }
  const model = checkModel(migrated.model);
  const doc = model.schematic ? migrateDoc(model.schematic) : emptyDoc(model.title);
  const source: Source = model.editor?.source ?? (model.schematic ? 'schematic' : 'netlist');
  const fileName = model.editor?.fileName ?? model.title ?? 'untitled';
  let netlist = migrated.netlist;
  if (netlist === undefined) netlist = model.cards.length || source === 'netlist' ? await engine.convert(JSON.stringify({ ...model, schematic: undefined, editor: undefined }), 'spice') : '';
  return { kind: 'simcore.workspace', version: 1, source: model.schematic ? source : 'netlist', doc, netlist, fileName };
}

/** "where: what" for a message to the user. */
export function documentErrorText(e: unknown): string {
  if (e instanceof DocumentError) return `${e.path ? `at ${e.path}` : 'the document'}: ${e.detail}`;
  return (e as Error)?.message ?? String(e);
}
