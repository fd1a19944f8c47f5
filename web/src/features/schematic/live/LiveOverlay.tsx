// Live values drawn on the schematic: wires coloured by their net's voltage and dots
// running along wires and through two-terminal parts at a speed proportional to the
// current (direction by its sign), plus the colour legend. The numbers come from
// live-values.ts; this file only draws them and moves the dots once per frame.
import { useEffect, useMemo, useRef } from 'react';
import { formatEng } from '@/shared/lib/si';
import { GRID } from '../model/geometry';
import type { GeneratedNetlist } from '../model/netlist';
import type { Pt, SchematicDoc } from '../model/schema';
import type { AnalysisResult } from '@/features/simulation/results';
import type { Hit } from '../editor/hit-test';
import { buildLiveModel, dotSpeed, isSmallCircuit, liveFrame, LiveScale, voltageColor, type LiveFrame, type LiveModel } from './live-values';

export interface LiveView {
  model: LiveModel;
  frame: LiveFrame;
  scale: { vlim: number; vmin: number; vmax: number; imax: number };
  /** What the values belong to: 'tran' draws dots, 'op'/'dc' only colours. */
  analysis: string;
}

/** The model of a document: rebuilt on edits, not on every frame. */
export function useLiveModel(doc: SchematicDoc, g: GeneratedNetlist, enabled: boolean): LiveModel | null {
  return useMemo(() => (enabled && isSmallCircuit(doc) ? buildLiveModel(doc, g) : null), [doc, g, enabled]);
}

/**
 * Values at the newest streamed point of a transient (or at cursor A once it is placed), or
 * of an operating point / DC sweep. `version` is the results' data version (a new value per
 * streamed frame).
 */
export function useLiveView(model: LiveModel | null, analyses: AnalysisResult[], version: number, cursor?: { analysis: string; x: number }): LiveView | null {
  const scaler = useRef(new LiveScale());
  return useMemo(() => {
    if (!model) return null;
    const a = analyses.find((r) => r.analysis === 'tran') ?? analyses.find((r) => r.analysis === 'op') ?? analyses.find((r) => r.analysis === 'dc');
    if (!a || a.rows === 0) return null;
    const x = cursor && cursor.analysis === a.analysis ? cursor.x : undefined;
    const frame = liveFrame(model, a, x);
    if (!frame) return null;
    const s = scaler.current.update(model, a);
    return { model, frame, scale: { vlim: s.vlim, vmin: s.vmin, vmax: s.vmax, imax: s.imax }, analysis: a.analysis };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, analyses, version, cursor?.analysis, cursor?.x]);
}

/** Dots every DOT_GAP document px. */
const DOT_GAP = 16;

/** Drawn inside the canvas' document group (document px). */
export function LiveOverlay({ live }: { live: LiveView }) {
  const { model, frame, scale } = live;
  const g = GRID;
  const dots = live.analysis === 'tran';
  // Runs with dots: segments and parts whose current is known and not negligible.
  const runs = useMemo(() => {
    if (!dots) return [];
    const out: { key: string; a: Pt; b: Pt; speed: number }[] = [];
    // Speed is proportional to the current within a frame, the largest current of the frame
    // at full speed; a frame whose currents are all below a twentieth of the run's largest
    // moves proportionally slower (so a decaying current is seen to slow down).
    let frameMax = 0;
    for (const c of Object.values(frame.partCurrents)) frameMax = Math.max(frameMax, Math.abs(c));
    const ref = Math.max(frameMax, scale.imax / 20);
    const tiny = ref * 1e-3;
    model.segments.forEach((s, i) => {
      const c = frame.segmentCurrents[i];
      if (Number.isFinite(c) && Math.abs(c) > tiny) out.push({ key: `s${i}`, a: s.a, b: s.b, speed: dotSpeed(c, ref) });
    });
    for (const p of model.parts) {
      const c = frame.partCurrents[p.id];
      if (c !== undefined && Math.abs(c) > tiny) out.push({ key: `p${p.id}`, a: p.pins[0], b: p.pins[1], speed: dotSpeed(c, ref) });
    }
    return out;
  }, [dots, model, frame, scale.imax]);

  // Dots move by the dash offset, once per animation frame, without re-rendering.
  const refs = useRef(new Map<string, SVGLineElement>());
  const phase = useRef(new Map<string, number>());
  const speeds = useRef(runs);
  speeds.current = runs;
  useEffect(() => {
    if (!dots) return;
    let last = performance.now();
    let raf = requestAnimationFrame(function step(now) {
      const dt = Math.min(0.1, (now - last) / 1000);
      last = now;
      for (const r of speeds.current) {
        const el = refs.current.get(r.key);
        if (!el) continue;
        const p = ((phase.current.get(r.key) ?? 0) - r.speed * dt) % DOT_GAP;
        phase.current.set(r.key, p);
        el.setAttribute('stroke-dashoffset', p.toFixed(2));
      }
      raf = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(raf);
  }, [dots]);

  return (
    <g data-testid="live-overlay" pointerEvents="none">
      {model.segments.map((s, i) => {
        const v = frame.netVolts[model.segmentNets[i]];
        if (v === undefined) return null;
        return (
          <line
            key={`v${i}`}
            data-testid="live-wire"
            data-net={model.segmentNets[i]}
            data-volts={v}
            x1={s.a.x * g}
            y1={s.a.y * g}
            x2={s.b.x * g}
            y2={s.b.y * g}
            stroke={voltageColor(v, scale.vlim)}
            strokeWidth={3.5}
            strokeLinecap="round"
          />
        );
      })}
      {runs.map((r) => (
        <line
          key={r.key}
          ref={(el) => {
            if (el) refs.current.set(r.key, el);
            else refs.current.delete(r.key);
          }}
          data-testid="live-dots"
          data-speed={r.speed.toFixed(3)}
          x1={r.a.x * g}
          y1={r.a.y * g}
          x2={r.b.x * g}
          y2={r.b.y * g}
          stroke="#facc15"
          strokeWidth={4.5}
          strokeLinecap="round"
          strokeDasharray={`0.01 ${DOT_GAP}`}
          strokeDashoffset={phase.current.get(r.key) ?? 0}
        />
      ))}
    </g>
  );
}

/** The colour scale, the instant shown and the switch. */
export function LiveLegend({ live, enabled, onToggle, tooBig }: { live: LiveView | null; enabled: boolean; onToggle: (on: boolean) => void; tooBig: boolean }) {
  const lim = live?.scale.vlim ?? 1;
  const signed = (live?.scale.vmin ?? 0) < 0;
  return (
    <div className="absolute right-2 top-2 flex items-center gap-2 rounded bg-white/90 px-2 py-1 text-[11px] text-slate-600 shadow ring-1 ring-slate-200" data-testid="live-legend">
      <label className="flex items-center gap-1" title="Colour wires by voltage and show currents as moving dots while a transient runs; values on hover">
        <input type="checkbox" data-testid="live-toggle" checked={enabled} onChange={(e) => onToggle(e.target.checked)} />
        Live values
      </label>
      {enabled && tooBig && <span className="text-slate-400">circuit too large</span>}
      {enabled && live && (
        <>
          <span className="font-mono" data-testid="live-min">{formatEng(signed ? -lim : 0, 'V', 3)}</span>
          <span
            className="inline-block h-2 w-20 rounded"
            role="img"
            aria-label="voltage colour scale"
            style={{
              background: signed
                ? `linear-gradient(to right, ${voltageColor(-lim, lim)}, ${voltageColor(0, lim)}, ${voltageColor(lim, lim)})`
                : `linear-gradient(to right, ${voltageColor(0, lim)}, ${voltageColor(lim, lim)})`,
            }}
          />
          <span className="font-mono" data-testid="live-max">{formatEng(lim, 'V', 3)}</span>
          {live.analysis === 'tran' && (
            <span className="font-mono text-slate-500" data-testid="live-time">
              t = {formatEng(live.frame.x, 's', 4)}
            </span>
          )}
        </>
      )}
    </div>
  );
}

/** The text shown on hover over a wire (its node voltage) or a part (current, voltage, power). */
export function hoverText(hit: Hit, doc: SchematicDoc, g: GeneratedNetlist, frame: LiveFrame | null, model: LiveModel | null): string | null {
  if (!frame) return null;
  if (hit.kind === 'wire') {
    const net = g.conn.wireNets[hit.id];
    const v = frame.netVolts[net];
    return v === undefined ? null : `v(${net === '0' ? 'gnd' : net}) = ${formatEng(v, 'V', 4)}`;
  }
  const el = doc.elements[hit.id];
  if (!el) return null;
  const nets = g.conn.pinNets[el.id] ?? [];
  if (nets.length === 1) {
    const v = frame.netVolts[nets[0]];
    return v === undefined ? null : `${el.name}: v(${nets[0] === '0' ? 'gnd' : nets[0]}) = ${formatEng(v, 'V', 4)}`;
  }
  const i = frame.partCurrents[el.id];
  const part = model?.parts.find((p) => p.id === el.id);
  const va = frame.netVolts[nets[0]];
  const vb = frame.netVolts[nets[1]];
  const parts: string[] = [];
  if (nets.length === 2 && va !== undefined && vb !== undefined) parts.push(`V = ${formatEng(va - vb, 'V', 4)}`);
  if (i !== undefined) parts.push(`I = ${formatEng(i, 'A', 4)}`);
  if (i !== undefined && part && va !== undefined && vb !== undefined) parts.push(`P = ${formatEng((va - vb) * i, 'W', 4)}`);
  return parts.length ? `${el.name}: ${parts.join(' · ')}` : null;
}
