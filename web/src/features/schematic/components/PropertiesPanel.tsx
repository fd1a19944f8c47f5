import { useStore } from '@/shared/store/create-store';
import { parseSpiceNumber } from '@/shared/lib/si';
import { elementDef, hasElementDef } from '../elements';
import type { DocStore } from '../model/doc-store';
import type { EditorStore } from '../model/editor-store';
import { sliderRange } from '@/features/sliders/range';
import { deleteItems, mirrorElements, renameElement, rotateGroup, setProps } from '../model/ops';
import { computeConnectivity } from '../model/connectivity';
import { useMemo } from 'react';

const input = 'w-full rounded border border-slate-300 px-1.5 py-0.5 text-xs focus:border-blue-500 focus:outline-none';

export function PropertiesPanel({ docStore, editor, onProbeWire }: { docStore: DocStore; editor: EditorStore; onProbeWire: (wireId: string) => void }) {
  const doc = useStore(docStore, (s) => s.doc);
  const selection = useStore(editor, (s) => s.selection);
  const conn = useMemo(() => computeConnectivity(doc), [doc]);
  const id = selection.length === 1 ? selection[0] : null;
  const el = id ? doc.elements[id] : undefined;
  const wire = id ? doc.wires[id] : undefined;

  if (wire) {
    return (
      <div className="space-y-2 p-2 text-xs">
        <div className="font-semibold text-slate-700">Wire</div>
        <div>
          Net <code className="rounded bg-slate-100 px-1">{conn.wireNets[wire.id]}</code>
        </div>
        <div className="flex gap-1">
          <button className="btn" onClick={() => onProbeWire(wire.id)}>
            Plot voltage
          </button>
          <button className="btn" onClick={() => docStore.update((d) => deleteItems(d, [wire.id]))}>
            Delete
          </button>
        </div>
      </div>
    );
  }
  if (!el || !hasElementDef(el.kind)) {
    return (
      <div className="p-2 text-xs text-slate-500">
        {selection.length > 1 ? `${selection.length} items selected (R rotate, M mirror, Del delete).` : 'Select a part to edit its values. Click a part in the palette to place it.'}
      </div>
    );
  }
  const def = elementDef(el.kind);
  const sliderOn = (key: string) => doc.sliders.some((s) => s.elementId === el.id && s.key === key);
  const toggleSlider = (key: string) =>
    docStore.update((d) => {
      if (d.sliders.some((s) => s.elementId === el.id && s.key === key))
        return { ...d, sliders: d.sliders.filter((s) => !(s.elementId === el.id && s.key === key)) };
      const v = parseSpiceNumber(el.props[key] ?? '');
      if (!Number.isFinite(v) || v === 0) return d;
      const r = sliderRange(v, def.fields.find((f) => f.key === key)?.range);
      return { ...d, sliders: [...d.sliders, { elementId: el.id, key, min: r.min, max: r.max }] };
    });
  const vsources = Object.values(doc.elements).filter((e) => e.kind === 'vsource');

  return (
    <div className="space-y-1.5 p-2 text-xs" data-testid="properties">
      <div className="flex items-center justify-between">
        <span className="font-semibold text-slate-700">{def.title}</span>
        <span className="flex gap-1">
          <button className="btn" title="Rotate (R)" onClick={() => docStore.update((d) => rotateGroup(d, [el.id]))}>
            ⟳
          </button>
          <button className="btn" title="Mirror (M)" onClick={() => docStore.update((d) => mirrorElements(d, [el.id]))}>
            ⇋
          </button>
          <button
            className="btn"
            title="Delete (Del)"
            onClick={() => {
              docStore.update((d) => deleteItems(d, [el.id]));
              editor.set((s) => ({ ...s, selection: [] }));
            }}
          >
            ✕
          </button>
        </span>
      </div>
      {def.spiceLetter && (
        <label className="grid grid-cols-[7rem_1fr] items-center gap-1">
          <span className="text-slate-500">Name</span>
          <input
            className={input}
            data-testid="prop-name"
            value={el.name}
            onChange={(e) => docStore.update((d) => renameElement(d, el.id, e.target.value), { mergeKey: `name-${el.id}` })}
          />
        </label>
      )}
      {def.fields
        .filter((f) => !f.when || f.when(el.props))
        .map((f) => (
          <label key={f.key} className="grid grid-cols-[7rem_1fr_auto] items-center gap-1">
            <span className="truncate text-slate-500" title={f.label}>
              {f.label}
              {f.unit ? ` (${f.unit})` : ''}
            </span>
            {f.type === 'select' ? (
              <select
                className={input}
                data-testid={`prop-${f.key}`}
                value={el.props[f.key]}
                onChange={(e) => docStore.update((d) => setProps(d, el.id, { [f.key]: e.target.value }))}
              >
                {f.options!.map((o) => (
                  <option key={o} value={o}>
                    {o.toUpperCase()}
                  </option>
                ))}
              </select>
            ) : f.type === 'element' ? (
              <select
                className={input}
                data-testid={`prop-${f.key}`}
                value={el.props[f.key]}
                onChange={(e) => docStore.update((d) => setProps(d, el.id, { [f.key]: e.target.value }))}
              >
                {!vsources.some((v) => v.name === el.props[f.key]) && <option value={el.props[f.key]}>{el.props[f.key]}</option>}
                {vsources.map((v) => (
                  <option key={v.id} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </select>
            ) : (
              <input
                className={`${input} font-mono`}
                data-testid={`prop-${f.key}`}
                value={el.props[f.key] ?? ''}
                placeholder={f.placeholder}
                spellCheck={false}
                onChange={(e) => docStore.update((d) => setProps(d, el.id, { [f.key]: e.target.value }), { mergeKey: `${el.id}-${f.key}` })}
              />
            )}
            {f.type === 'value' ? (
              <button
                title="Parameter slider: re-run while dragging"
                className={`rounded px-1 text-[11px] ${sliderOn(f.key) ? 'bg-blue-600 text-white' : 'text-slate-400 hover:bg-slate-100'}`}
                onClick={() => toggleSlider(f.key)}
              >
                ⇔
              </button>
            ) : (
              <span />
            )}
          </label>
        ))}
      <div className="pt-1 text-[10px] text-slate-400">
        Pins: {def.pinNames.map((p, i) => `${p}→${conn.pinNets[el.id]?.[i] ?? '?'}`).join('  ')}
      </div>
    </div>
  );
}
