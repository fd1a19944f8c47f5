import { useEffect, useState } from 'react';
import { formatSpiceNumber } from '@/shared/lib/si';

export interface SliderSpec {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
}

const STEPS = 1000;
const toPos = (v: number, s: SliderSpec) => {
  const log = s.min > 0 && s.max > 0;
  const t = log ? Math.log(v / s.min) / Math.log(s.max / s.min) : (v - s.min) / (s.max - s.min);
  return Math.round(Math.max(0, Math.min(1, t)) * STEPS);
};
const fromPos = (p: number, s: SliderSpec) => {
  const t = p / STEPS;
  const v = s.min > 0 && s.max > 0 ? s.min * Math.pow(s.max / s.min, t) : s.min + t * (s.max - s.min);
  return Number(v.toPrecision(3));
};

/** Parameter sliders: onInput while dragging (the caller debounces and re-runs), onCommit on release. */
export function SliderPanel({ sliders, onInput, onCommit, onRemove }: { sliders: SliderSpec[]; onInput: (id: string, v: number) => void; onCommit: (id: string, v: number) => void; onRemove?: (id: string) => void }) {
  if (!sliders.length) return null;
  return (
    <div className="space-y-1 border-t border-slate-200 p-2 text-xs" data-testid="sliders">
      <div className="font-semibold text-slate-700">Parameters</div>
      {sliders.map((s) => (
        <SliderRow key={s.id} s={s} onInput={onInput} onCommit={onCommit} onRemove={onRemove} />
      ))}
    </div>
  );
}

function SliderRow({ s, onInput, onCommit, onRemove }: { s: SliderSpec; onInput: (id: string, v: number) => void; onCommit: (id: string, v: number) => void; onRemove?: (id: string) => void }) {
  const [v, setV] = useState(s.value);
  useEffect(() => setV(s.value), [s.value]);
  return (
    <div className="grid grid-cols-[6rem_1fr_3.5rem_auto] items-center gap-1">
      <span className="truncate font-mono" title={s.label}>
        {s.label}
      </span>
      <input
        type="range"
        min={0}
        max={STEPS}
        value={toPos(v, s)}
        data-testid={`slider-${s.id}`}
        aria-label={s.label}
        onChange={(e) => {
          const nv = fromPos(Number(e.target.value), s);
          setV(nv);
          onInput(s.id, nv);
        }}
        onPointerUp={() => onCommit(s.id, v)}
        onKeyUp={() => onCommit(s.id, v)}
      />
      <span className="text-right font-mono">{formatSpiceNumber(v, 3)}</span>
      {onRemove ? (
        <button className="text-slate-500 hover:text-red-600" onClick={() => onRemove(s.id)} title="Remove slider" aria-label={`Remove slider ${s.label}`}>
          ×
        </button>
      ) : (
        <span />
      )}
    </div>
  );
}
