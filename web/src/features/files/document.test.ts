import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModel, DocumentError, documentErrorText, linesAsCards, modelOfWorkspace, workspaceOfDocument, type CircuitConverter } from './document';
import { emptyDoc } from '@/features/schematic/model/schema';
import type { Workspace } from './workspace';

// tests/model/cases.json: documents the schema and simcore's C++ reader judge alike.
const cases = JSON.parse(readFileSync(new URL('../../../../tests/model/cases.json', import.meta.url), 'utf8')).cases as {
  name: string;
  valid: boolean;
  path?: string;
  doc: unknown;
}[];

/** A converter that records what it was asked (the engine's convert, without the wasm worker). */
function fakeEngine(json = '{"format":"simcore.circuit","version":1,"title":"rc","cards":[{"type":"element","name":"R1","kind":"r","nodes":["a","0"],"value":"1k"}]}') {
  const calls: { text: string; to: string }[] = [];
  const engine: CircuitConverter = {
    async convert(text, to) {
      calls.push({ text, to });
      return to === 'json' ? json : 'rc\nR1 a 0 1k\n.end\n';
    },
  };
  return { engine, calls };
}

const brokenEngine: CircuitConverter = {
  convert: async () => {
    throw new Error('engine not built');
  },
};

function ws(over: Partial<Workspace> = {}): Workspace {
  return { kind: 'simcore.workspace', version: 1, source: 'netlist', doc: emptyDoc('rc'), netlist: 'rc\nR1 a 0 1k\n.end\n', fileName: 'rc.cir', ...over };
}

describe('the circuit-model schema (ajv, compiled from schema/circuit.schema.json at build time)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (c.valid) {
      expect(() => checkModel(c.doc)).not.toThrow();
      return;
    }
    try {
      checkModel(c.doc);
    } catch (e) {
      expect(e).toBeInstanceOf(DocumentError);
      expect((e as DocumentError).path).toBe(c.path);
      return;
    }
    throw new Error(`${c.name} was accepted`);
  });

  it('names the place and the fault in its message', () => {
    try {
      checkModel({ format: 'simcore.circuit', version: 1, title: 't', cards: [{ type: 'element', name: 'R1', kind: 'r', colour: 'red' }] });
      throw new Error('accepted');
    } catch (e) {
      expect(documentErrorText(e)).toBe('at /cards/0: unknown property "colour"');
    }
  });
});

describe('saving: the open work as a circuit model', () => {
  it('holds the cards of the netlist in effect, the schematic and the editor state', async () => {
    const { engine, calls } = fakeEngine();
    const m = await modelOfWorkspace(ws(), 'schematic netlist', engine);
    expect(calls).toEqual([{ text: 'rc\nR1 a 0 1k\n.end\n', to: 'json' }]);
    expect(m.cards[0]).toMatchObject({ type: 'element', name: 'R1' });
    expect(m.editor).toEqual({ source: 'netlist', fileName: 'rc.cir' });
    expect(m.schematic?.schema).toBe('simcore.schematic');
    expect(() => checkModel(JSON.parse(JSON.stringify(m)))).not.toThrow();
    await modelOfWorkspace(ws({ source: 'schematic' }), 'from the schematic', engine);
    expect(calls[1].text).toBe('from the schematic');
  });

  it('keeps a netlist the engine cannot read line by line, still a valid model', async () => {
    const text = 'broken {\n* a comment\nR1 a 0 {1+\n\n.tran 1u 1m\n.end\n';
    const m = await modelOfWorkspace(ws({ netlist: text }), '', brokenEngine);
    expect(m.title).toBe('broken {');
    expect(m.cards).toEqual([
      { type: 'comment', text: ' a comment' },
      { type: 'raw', text: 'R1 a 0 {1+' },
      { type: 'raw', text: '.tran 1u 1m' },
    ]);
    expect(() => checkModel(JSON.parse(JSON.stringify(m)))).not.toThrow();
    expect(linesAsCards('')[1]).toEqual([]);
  });
});

describe('loading: every document checked, older ones migrated', () => {
  it('opens a model in netlist mode with the netlist its cards stand for', async () => {
    const { engine, calls } = fakeEngine();
    const m = await modelOfWorkspace(ws(), '', engine);
    const w = await workspaceOfDocument(JSON.parse(JSON.stringify(m)), engine);
    expect(w.source).toBe('netlist');
    expect(w.fileName).toBe('rc.cir');
    expect(w.netlist).toBe('rc\nR1 a 0 1k\n.end\n');
    expect(calls[1].to).toBe('spice');
    expect(JSON.parse(calls[1].text).schematic).toBeUndefined();
  });

  it('opens a model in schematic mode with its schematic', async () => {
    const { engine } = fakeEngine();
    const doc = emptyDoc('buck');
    const m = await modelOfWorkspace(ws({ source: 'schematic', doc }), 'buck\n.end\n', engine);
    const w = await workspaceOfDocument(JSON.parse(JSON.stringify(m)), engine);
    expect(w.source).toBe('schematic');
    expect(w.doc.title).toBe('buck');
  });

  it('migrates the version-1 workspace and a bare schematic', async () => {
    const { engine, calls } = fakeEngine();
    const legacy = { kind: 'simcore.workspace', version: 1, source: 'netlist', doc: emptyDoc('x'), netlist: 'x\nR1 a 0 1\n', fileName: 'x.cir' };
    const w = await workspaceOfDocument(legacy, engine);
    expect(w).toMatchObject({ source: 'netlist', netlist: 'x\nR1 a 0 1\n', fileName: 'x.cir' });
    const v1 = { schema: 'simcore.schematic', version: 1, title: 'old', elements: [{ id: 'e1', type: 'resistor', name: 'R1', x: 1, y: 2, rotation: 90 }], wires: [] };
    const w1 = await workspaceOfDocument(v1, engine);
    expect(w1.source).toBe('schematic');
    expect(w1.doc.elements.e1.rot).toBe(1);
    expect(calls).toEqual([]); // nothing to convert
  });

  it('refuses a bad document with the place of the error', async () => {
    const { engine } = fakeEngine();
    const badLegacy = { kind: 'simcore.workspace', version: 1, source: 'schematic', doc: { ...emptyDoc('x'), elements: { e1: { id: 'e1', kind: 'resistor', name: 'R1', x: 'left', y: 0 } } }, netlist: '' };
    await expect(workspaceOfDocument(badLegacy, engine)).rejects.toMatchObject({ path: '/schematic/elements/e1/x' });
    await expect(workspaceOfDocument({ hello: 'world' }, engine)).rejects.toBeInstanceOf(DocumentError);
    await expect(workspaceOfDocument({ schema: 'kicad', elements: {}, wires: {} }, engine)).rejects.toThrow(/unknown schema/);
    await expect(workspaceOfDocument('not an object', engine)).rejects.toMatchObject({ path: '' });
  });
});
