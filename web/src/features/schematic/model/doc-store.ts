// The schematic document store: the current document plus undo/redo
// history. Lives outside React; components read it with useStore.
import { createStore, type Store } from '@/shared/store/create-store';
import { emptyDoc, type SchematicDoc } from './schema';

export interface DocState {
  doc: SchematicDoc;
  past: SchematicDoc[];
  future: SchematicDoc[];
  /** Consecutive updates with the same merge key form one undo step (e.g. a drag). */
  mergeKey: string | null;
}

export interface UpdateOptions {
  /** push (default): new undo step; merge: same step as the previous update with this key; skip: no history. */
  history?: 'push' | 'skip';
  mergeKey?: string;
}

export const HISTORY_LIMIT = 200;

export interface DocStore extends Store<DocState> {
  doc(): SchematicDoc;
  update(fn: (doc: SchematicDoc) => SchematicDoc, opts?: UpdateOptions): void;
  undo(): boolean;
  redo(): boolean;
  /** Replace the document (open, example, shared link); clears history. */
  load(doc: SchematicDoc): void;
}

export function createDocStore(initial: SchematicDoc = emptyDoc()): DocStore {
  const store = createStore<DocState>({ doc: initial, past: [], future: [], mergeKey: null });
  return {
    ...store,
    doc: () => store.get().doc,
    update(fn, opts = {}) {
      const s = store.get();
      const next = fn(s.doc);
      if (next === s.doc) return;
      if (opts.history === 'skip') {
        store.set({ ...s, doc: next });
        return;
      }
      const key = opts.mergeKey ?? null;
      if (key !== null && key === s.mergeKey) {
        store.set({ ...s, doc: next, future: [] });
        return;
      }
      const past = [...s.past, s.doc];
      if (past.length > HISTORY_LIMIT) past.shift();
      store.set({ doc: next, past, future: [], mergeKey: key });
    },
    undo() {
      const s = store.get();
      if (!s.past.length) return false;
      const prev = s.past[s.past.length - 1];
      store.set({ doc: prev, past: s.past.slice(0, -1), future: [s.doc, ...s.future], mergeKey: null });
      return true;
    },
    redo() {
      const s = store.get();
      if (!s.future.length) return false;
      const [next, ...rest] = s.future;
      store.set({ doc: next, past: [...s.past, s.doc], future: rest, mergeKey: null });
      return true;
    },
    load(doc) {
      store.set({ doc, past: [], future: [], mergeKey: null });
    },
  };
}
