// What a finished run says besides its waveforms: the netlist's .meas results and the
// constructs the engine accepted but did not act on. Pure: RunNotes.tsx renders it.
import type { Measurement, RunStats, RunWarning } from '@/shared/engine/types';

export interface NoteLine {
  kind: 'measure' | 'measure-failed' | 'warning';
  text: string;
  /** Netlist line (0: unknown). */
  line: number;
}

/** A .meas result as ngspice prints it (name = value), or why it failed. */
function measureText(m: Measurement): string {
  if (!m.ok) return `${m.name}: not measured — ${m.error}`;
  const a = Math.abs(m.value);
  const v = a === 0 || (a >= 1e-3 && a < 1e4) ? String(Number(m.value.toPrecision(6))) : m.value.toExponential(5);
  return `${m.name} = ${v}`;
}

export function runNotes(stats: RunStats | undefined): NoteLine[] {
  if (!stats) return [];
  const out: NoteLine[] = [];
  for (const m of stats.measures ?? []) out.push({ kind: m.ok ? 'measure' : 'measure-failed', text: measureText(m), line: m.line });
  for (const w of stats.warnings ?? ([] as RunWarning[]))
    out.push({ kind: 'warning', text: w.line > 0 ? `line ${w.line}: ${w.message}` : w.message, line: w.line });
  return out;
}
