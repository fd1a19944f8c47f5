// What kind of edit turned one document into the next: a value edit (part fields, analysis
// settings) re-runs the simulation by itself; drawing (parts, wires, positions) does not,
// because a half-drawn circuit would fail on every click.
import type { SchematicDoc } from './schema';

/** True when next differs from prev only in element fields (props, names) or analysis settings. */
export function onlyValuesChanged(prev: SchematicDoc, next: SchematicDoc): boolean {
  if (prev === next) return false;
  if (prev.wires !== next.wires && !sameWires(prev, next)) return false;
  const a = Object.keys(prev.elements);
  const b = Object.keys(next.elements);
  if (a.length !== b.length) return false;
  let changed = prev.analysis !== next.analysis && JSON.stringify(prev.analysis) !== JSON.stringify(next.analysis);
  for (const id of a) {
    const p = prev.elements[id];
    const n = next.elements[id];
    if (!n || p.kind !== n.kind || p.x !== n.x || p.y !== n.y || p.rot !== n.rot || p.mirror !== n.mirror) return false;
    if (p.props !== n.props && JSON.stringify(p.props) !== JSON.stringify(n.props)) changed = true;
    if (p.name !== n.name) changed = true;
  }
  return changed;
}

function sameWires(prev: SchematicDoc, next: SchematicDoc): boolean {
  const a = Object.values(prev.wires);
  if (a.length !== Object.keys(next.wires).length) return false;
  return a.every((w) => {
    const o = next.wires[w.id];
    return o && o.a.x === w.a.x && o.a.y === w.a.y && o.b.x === w.b.x && o.b.y === w.b.y;
  });
}
