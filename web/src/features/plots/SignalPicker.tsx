import { useMemo, useRef, useState } from 'react';
import { searchSignals } from './signal-search';
import { mathName, type MathOp } from './measure';

/** "+ signal": a search box over the result's signals (thousands in a large circuit), and math traces. */
export function SignalPicker({ names, onPick, allowMath }: { names: string[]; onPick: (s: string) => void; allowMath: boolean }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [op, setOp] = useState<MathOp>('mul');
  const [ma, setMa] = useState('');
  const [mb, setMb] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const found = useMemo(() => (open ? searchSignals(names, q, 100) : { names: [], total: 0 }), [open, names, q]);
  const close = () => {
    setOpen(false);
    setQ('');
  };
  const pick = (s: string) => {
    onPick(s);
    close();
  };
  const known = new Set(names);
  const mathOk = known.has(ma) && (op === 'integ' || known.has(mb));
  return (
    <div className="relative">
      <button
        className="btn"
        data-testid="signal-picker"
        aria-expanded={open}
        onClick={() => {
          setOpen((o) => !o);
          setTimeout(() => input.current?.focus(), 0);
        }}
        title="Add a signal or a math trace to the active pane"
      >
        + signal…
      </button>
      {open && (
        <div
          className="absolute right-0 top-7 z-30 w-80 rounded-md bg-white p-2 text-xs shadow-xl ring-1 ring-slate-200"
          onKeyDown={(e) => e.key === 'Escape' && close()}
          data-testid="signal-popover"
        >
          <input
            ref={input}
            className="w-full rounded border border-slate-300 px-1.5 py-1"
            placeholder={`search ${names.length} signals…`}
            aria-label="Search signals"
            data-testid="signal-search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && found.names[0]) pick(found.names[0]);
            }}
          />
          <div className="mt-1 text-[10px] text-slate-500" data-testid="signal-count">
            {found.total > found.names.length ? `${found.names.length} of ${found.total} shown — type to narrow` : `${found.total} match${found.total === 1 ? '' : 'es'}`}
          </div>
          <ul className="mt-1 max-h-56 overflow-y-auto font-mono" role="listbox" aria-label="Signals">
            {found.names.map((s) => (
              <li key={s}>
                <button role="option" aria-selected={false} data-testid="signal-option" className="w-full rounded px-1 text-left hover:bg-blue-50" onClick={() => pick(s)}>
                  {s}
                </button>
              </li>
            ))}
          </ul>
          {allowMath && (
            <div className="mt-2 border-t border-slate-200 pt-2" data-testid="math-form">
              <div className="mb-1 font-semibold text-slate-600">Math trace</div>
              <datalist id="signal-names">
                {names.slice(0, 2000).map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
              <div className="flex items-center gap-1">
                <select className="rounded border border-slate-300" value={op} onChange={(e) => setOp(e.target.value as MathOp)} data-testid="math-op" aria-label="Operation">
                  <option value="mul">a · b (power v·i)</option>
                  <option value="sub">a − b</option>
                  <option value="integ">∫ a dt</option>
                </select>
              </div>
              <div className="mt-1 flex gap-1">
                <input className="min-w-0 flex-1 rounded border border-slate-300 px-1 font-mono" list="signal-names" placeholder="a: v(out)" aria-label="Operand a" data-testid="math-a" value={ma} onChange={(e) => setMa(e.target.value.trim().toLowerCase())} />
                {op !== 'integ' && (
                  <input className="min-w-0 flex-1 rounded border border-slate-300 px-1 font-mono" list="signal-names" placeholder="b: i(l1)" aria-label="Operand b" data-testid="math-b" value={mb} onChange={(e) => setMb(e.target.value.trim().toLowerCase())} />
                )}
                <button className="btn" disabled={!mathOk} data-testid="math-add" onClick={() => pick(mathName(op === 'integ' ? { op, a: ma } : { op, a: ma, b: mb }))}>
                  add
                </button>
              </div>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
