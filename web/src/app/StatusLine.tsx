import { formatEng } from '@/shared/lib/si';
import type { SimState } from '@/features/simulation/controller';
import type { EngineStatus } from '@/shared/engine/engine-switch';
import type { RunStats } from '@/shared/engine/types';

/** The transient's switching mode of a finished run: "event mode · 4 configurations", "SPICE mode", ... or "". */
export function switchingText(st: RunStats): string {
  switch (st.switchingMode) {
    case 'event': {
      const n = st.configurations ?? 0;
      return `event mode · ${n} configuration${n === 1 ? '' : 's'}`;
    }
    case 'spice':
      return 'SPICE mode';
    case 'linear':
      return 'linear mode';
    default:
      return '';
  }
}

export function statusText(s: SimState): string {
  const rows = s.results.list.reduce((n, a) => n + a.rows, 0);
  switch (s.status) {
    case 'idle':
      return 'ready';
    case 'running':
      return `running… ${rows} points`;
    case 'cancelled':
      return `cancelled after ${rows} points`;
    case 'done': {
      const st = s.stats;
      const parts = [`done in ${formatEng((s.elapsedMs ?? 0) / 1000, 's', 3)}`];
      if (st) {
        const mode = switchingText(st);
        if (mode) parts.push(mode);
        parts.push(`${rows} points`, `${st.rejectedSteps} rejected steps`, st.switchingMode === 'event' ? `${st.newtonIterations} linear solves` : `${st.newtonIterations} Newton iterations`, `${st.unknowns} unknowns`, `engine ${formatEng(st.seconds, 's', 3)}`);
      } else parts.push(`${rows} points`);
      return parts.join(' · ');
    }
    case 'error': {
      const e = s.error;
      if (!e) return 'error';
      const where = e.line > 0 ? ` at line ${e.line}${e.col > 0 ? `, column ${e.col}` : ''}` : '';
      return `error (${e.code})${where}: ${e.message}`;
    }
  }
}

export function StatusLine({ state, notice, engine }: { state: SimState; notice: string; engine: EngineStatus }) {
  const color = state.status === 'error' ? 'text-red-700 bg-red-50' : state.status === 'running' ? 'text-blue-800 bg-blue-50' : 'text-slate-700 bg-slate-100';
  const notices = [engine.notice, notice].filter(Boolean).join(' · ');
  return (
    <footer className={`flex items-center gap-3 border-t border-slate-200 px-3 py-1 font-mono text-xs ${color}`}>
      <span
        data-testid="engine-mode"
        data-engine={engine.active.mode}
        title={`Where the ${state.status === 'running' ? 'current' : 'last'} run ${state.status === 'running' ? 'runs' : 'ran'}${engine.reason ? `: ${engine.reason}` : ''}`}
        className={`shrink-0 rounded px-1.5 ${engine.active.mode === 'remote' ? 'bg-violet-100 text-violet-800' : 'bg-emerald-100 text-emerald-800'}`}
      >
        {engine.active.label}
      </span>
      <span data-testid="status" data-state={state.status} data-switching={state.status === 'done' ? (state.stats?.switchingMode ?? '') : ''} className="truncate">
        {statusText(state)}
      </span>
      {notices && (
        <span data-testid="notice" className="ml-auto shrink-0 text-slate-500">
          {notices}
        </span>
      )}
    </footer>
  );
}
