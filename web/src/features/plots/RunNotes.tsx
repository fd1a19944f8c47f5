import { useEffect, useMemo, useState } from 'react';
import type { RunStats } from '@/shared/engine/types';
import { runNotes, scriptDownloads } from './run-notes';

/** .meas results, .control script output (text and files to download) and engine warnings of the
 * last run, folded to one line until opened. */
export function RunNotes({ stats }: { stats: RunStats | undefined }) {
  const notes = runNotes(stats);
  const text = stats?.script?.text ?? '';
  const downloads = scriptDownloads(stats);
  const urls = useMemo(
    () => downloads.map((d) => URL.createObjectURL(new Blob([d.file.data as BlobPart], { type: 'application/octet-stream' }))),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [stats],
  );
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);
  const [open, setOpen] = useState(true);
  if (!notes.length && !text && !downloads.length) return null;
  const nm = notes.filter((n) => n.kind === 'measure' || n.kind === 'measure-failed').length;
  const nw = notes.filter((n) => n.kind === 'warning').length;
  const ns = notes.length - nm - nw;
  const summary = [
    nm ? `${nm} measurement${nm === 1 ? '' : 's'}` : '',
    text || downloads.length || ns ? 'script output' : '',
    nw ? `${nw} warning${nw === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="m-1 rounded bg-slate-50 px-2 py-1 text-[11px] text-slate-700 ring-1 ring-slate-200" data-testid="run-notes">
      <button className="font-semibold text-slate-800" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} {summary}
      </button>
      {open && (
        <>
          {text && (
            <pre className="mt-0.5 max-h-60 overflow-auto whitespace-pre font-mono" data-testid="script-output">
              {text}
            </pre>
          )}
          {downloads.length > 0 && (
            <ul className="mt-0.5" data-testid="script-files">
              {downloads.map((d, i) => (
                <li key={i}>
                  <a className="text-sky-700 underline" href={urls[i]} download={d.name}>
                    ⭳ {d.label}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <ul className="mt-0.5 font-mono">
            {notes.map((n, i) => (
              <li
                key={i}
                data-kind={n.kind}
                className={n.kind === 'warning' ? 'text-amber-800' : n.kind === 'measure' ? '' : 'text-red-700'}
              >
                {n.kind === 'warning' ? '⚠ ' : ''}
                {n.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
