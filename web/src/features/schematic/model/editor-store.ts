// Editor UI state of the schematic (tool, selection, view). Not part of the
// document and not undoable.
import { createStore } from '@/shared/store/create-store';
import type { Pt, Rot } from './schema';

export type Tool = 'select' | 'wire' | 'probe' | 'place';

export interface EditorState {
  tool: Tool;
  placeKind: string | null;
  placeRot: Rot;
  placeMirror: boolean;
  selection: string[];
  /** Wire being drawn: its last fixed point. */
  wireStart: Pt | null;
  /** Pan (px) and zoom of the canvas. */
  view: { x: number; y: number; scale: number };
}

export const createEditorStore = () =>
  createStore<EditorState>({
    tool: 'select',
    placeKind: null,
    placeRot: 0,
    placeMirror: false,
    selection: [],
    wireStart: null,
    view: { x: 40, y: 40, scale: 1 },
  });

export type EditorStore = ReturnType<typeof createEditorStore>;
