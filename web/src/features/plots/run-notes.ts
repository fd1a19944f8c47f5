// What a finished run says besides its waveforms: the netlist's .meas results, what its
// .control script printed and wrote, and the constructs the engine accepted but did not act
// on. Pure: RunNotes.tsx renders it.
import type { Measurement, RunStats, RunWarning, ScriptFile } from '@/shared/engine/types';

export interface NoteLine {
  kind: 'measure' | 'measure-failed' | 'script-error' | 'warning';
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
  for (const e of stats.script?.errors ?? []) out.push({ kind: 'script-error', text: e, line: scriptErrorLine(e) });
  for (const w of stats.warnings ?? ([] as RunWarning[]))
    out.push({ kind: 'warning', text: w.line > 0 ? `line ${w.line}: ${w.message}` : w.message, line: w.line });
  return out;
}

/** The netlist line of "FILE:LINE:COL: error: ..." (0: none). */
function scriptErrorLine(e: string): number {
  const m = /:(\d+):\d+: error: /.exec(e);
  return m ? Number(m[1]) : 0;
}

/** A script file as a download: its name, a size label, and whether the server cut it. */
export interface ScriptDownload {
  name: string;
  label: string;
  file: ScriptFile;
}

export function scriptDownloads(stats: RunStats | undefined): ScriptDownload[] {
  return (stats?.script?.files ?? []).map((f) => ({
    name: f.name.replace(/^.*[\\/]/, ''),
    label: `${f.name} (${sizeText(f.sizeBytes)}${f.truncated ? `, first ${sizeText(f.data.length)} kept by the server` : ''})`,
    file: f,
  }));
}

function sizeText(n: number): string {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}
