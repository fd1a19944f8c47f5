import { useState } from 'react';
import type { RunStats } from '@/shared/engine/types';
import { runNotes } from './run-notes';

/** .meas results and engine warnings of the last run, folded to one line until opened. */
export function RunNotes({ stats }: { stats: RunStats | undefined }) {
  const notes = runNotes(stats);
  const [open, setOpen] = useState(true);
  if (!notes.length) return null;
  const nm = notes.filter((n) => n.kind !== 'warning').length;
  const nw = notes.length - nm;
  const summary = [nm ? `${nm} measurement${nm === 1 ? '' : 's'}` : '', nw ? `${nw} warning${nw === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  return (
    <div className="m-1 rounded bg-slate-50 px-2 py-1 text-[11px] text-slate-700 ring-1 ring-slate-200" data-testid="run-notes">
      <button className="font-semibold text-slate-800" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} {summary}
      </button>
      {open && (
        <ul className="mt-0.5 font-mono">
          {notes.map((n, i) => (
            <li key={i} data-kind={n.kind} className={n.kind === 'warning' ? 'text-amber-800' : n.kind === 'measure-failed' ? 'text-red-700' : ''}>
              {n.kind === 'warning' ? '⚠ ' : ''}
              {n.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
