// window.__simcore: read-only access for end-to-end tests and the console.
import { interpolateAt, signalIndex, signalValues } from '@/features/simulation/results';
import type { AnalysisType } from '@/shared/engine/types';
import type { AppStores } from './stores';

export function installDebugHook({ sim, docStore, editor, workspace, plots, liveView }: AppStores) {
  (window as unknown as Record<string, unknown>).__simcore = {
    sim,
    docStore,
    editor,
    workspace,
    plots,
    liveView,
    /** Values of a signal as plotted: [x[], y[]] (AC: part db or phase). */
    series(name: string, kind?: AnalysisType, part: 're' | 'db' | 'phase' = 're') {
      const list = sim.state.get().results.list;
      const a = kind ? list.find((x) => x.analysis === kind) : list[0];
      if (!a) return null;
      const i = signalIndex(a, name);
      if (i < 0) return null;
      return { x: Array.from(a.x.subarray(0, a.rows)), y: Array.from(signalValues(a, i, part)) };
    },
    valueAt(name: string, x: number, kind?: AnalysisType, part: 're' | 'db' | 'phase' = 're') {
      const list = sim.state.get().results.list;
      const a = kind ? list.find((r) => r.analysis === kind) : list[0];
      if (!a) return NaN;
      const i = signalIndex(a, name);
      return i < 0 ? NaN : interpolateAt(a.x, signalValues(a, i, part), x, a.rows);
    },
    signals() {
      return sim.state.get().results.list.map((a) => ({ analysis: a.analysis, rows: a.rows, signals: a.signals.map((s) => s.name) }));
    },
  };
}
