// Which signals are plotted in which pane. Empty panes list = automatic
// (every node voltage of the result).
import { createStore } from '@/shared/store/create-store';

export interface PlotState {
  panes: string[][];
  active: number;
  /** Cursor A of the shown plot (the schematic's live values follow it). */
  cursor?: { analysis: string; x: number };
}

export const createPlotStore = () => createStore<PlotState>({ panes: [], active: 0 });
export type PlotStore = ReturnType<typeof createPlotStore>;

export function addSignal(s: PlotState, signal: string, pane = s.active): PlotState {
  const panes = s.panes.length ? s.panes.map((p) => [...p]) : [[]];
  const idx = Math.min(pane, panes.length - 1);
  if (panes[idx].includes(signal)) return s;
  panes[idx].push(signal);
  return { ...s, panes, active: idx };
}

export function removeSignal(s: PlotState, pane: number, signal: string): PlotState {
  const panes = s.panes.map((p, i) => (i === pane ? p.filter((x) => x !== signal) : p)).filter((p, i) => p.length || i === 0);
  return { ...s, panes: panes.length === 1 && !panes[0].length ? [] : panes, active: Math.min(s.active, Math.max(0, panes.length - 1)) };
}

export function addPane(s: PlotState): PlotState {
  const panes = s.panes.length ? [...s.panes, []] : [[], []];
  return { ...s, panes, active: panes.length - 1 };
}

export const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#475569', '#65a30d'];
