// Schematic -> SPICE netlist text. Each element kind writes its own lines
// (elements/<kind>.tsx); this file adds nodes, ammeters, sliders, analysis.
import { elementDef, hasElementDef } from '../elements';
import type { Props } from '../elements';
import { computeConnectivity, type Connectivity } from './connectivity';
import type { AnalysisSettings, SchElement, SchematicDoc } from './schema';
import { parseSpiceNumber } from '@/shared/lib/si';

export interface GeneratedNetlist {
  text: string;
  conn: Connectivity;
  /** Slider parameter name (lower case) -> current numeric value. */
  params: Record<string, number>;
  /** Probe id -> signal name to plot ("v(out)", "i(vi_r1)"). */
  probeSignals: Record<string, string>;
  /** Element id -> signal carrying the current into its first pin, when measured. */
  currentSignals: Record<string, string>;
  warnings: string[];
}

export interface GenerateOptions {
  /** Measure the current of every element (used for the operating point). */
  allCurrents?: boolean;
  /** Override the document's analysis. */
  analysis?: AnalysisSettings;
}

/** SPICE instance name: the user's name, given the required first letter when it lacks it. */
export function spiceName(el: SchElement): string {
  const letter = elementDef(el.kind).spiceLetter;
  const n = el.name.trim().replace(/[^A-Za-z0-9_]/g, '_') || 'unnamed';
  return n.toUpperCase().startsWith(letter) ? n : `${letter}${n}`;
}

export function sliderParam(el: SchElement, key: string): string {
  return `p_${spiceName(el)}_${key}`.toLowerCase();
}

export function analysisCard(a: AnalysisSettings): string {
  switch (a.kind) {
    case 'op':
      return '.op';
    case 'tran':
      return `.tran ${a.tran.tstep} ${a.tran.tstop}`;
    case 'ac':
      return `.ac ${a.ac.sweep} ${a.ac.points} ${a.ac.fstart} ${a.ac.fstop}`;
    case 'dc':
      return `.dc ${a.dc.source} ${a.dc.start} ${a.dc.stop} ${a.dc.step}`;
  }
}

export function generateNetlist(doc: SchematicDoc, opts: GenerateOptions = {}): GeneratedNetlist {
  const conn = computeConnectivity(doc);
  const analysis = opts.analysis ?? doc.analysis;
  const elements = Object.values(doc.elements).filter((e) => hasElementDef(e.kind));
  const warnings = [...conn.warnings];
  const byUserName = new Map(elements.map((e) => [e.name.toLowerCase(), e]));
  const ref = (name: string) => {
    const e = byUserName.get(name.trim().toLowerCase());
    return e ? spiceName(e) : name.trim();
  };

  // Which elements need a 0 V ammeter on pin 1.
  const probedCurrent = new Set(doc.probes.filter((p) => p.kind === 'i' && p.elementId).map((p) => p.elementId!));
  const currentSignals: Record<string, string> = {};

  const params: Record<string, number> = {};
  const paramLines: string[] = [];
  const sliderKeys = new Map<string, Set<string>>();
  for (const s of doc.sliders) {
    const el = doc.elements[s.elementId];
    if (!el) continue;
    const v = parseSpiceNumber(el.props[s.key] ?? '');
    if (!Number.isFinite(v)) continue;
    const name = sliderParam(el, s.key);
    params[name] = v;
    paramLines.push(`.param ${name}=${el.props[s.key].trim()}`);
    if (!sliderKeys.has(el.id)) sliderKeys.set(el.id, new Set());
    sliderKeys.get(el.id)!.add(s.key);
  }

  const openAt = new Set([...conn.danglingPins, ...conn.openOptional].map((d) => `${d.elementId}:${d.pin}`));
  const lines: string[] = [];
  const models: Record<string, string> = {};
  const subckts: Record<string, string> = {};
  const seenNames = new Set<string>();
  for (const el of elements) {
    const def = elementDef(el.kind);
    if (!def.spiceLetter) continue; // ground, labels
    const name = spiceName(el);
    if (seenNames.has(name.toLowerCase())) warnings.push(`two elements are named ${name}`);
    seenNames.add(name.toLowerCase());
    const nodes = [...conn.pinNets[el.id]];
    // A part whose pins all sit on one net does nothing (often a net label joined them).
    const used = nodes.filter((_, i) => !openAt.has(`${el.id}:${i}`));
    if (used.length >= 2 && used.every((n) => n === used[0]))
      warnings.push(`${el.name} is shorted: ${used.length === 2 ? 'both' : 'all'} pins are on net '${used[0] === '0' ? 'ground' : used[0]}'`);
    const keys = sliderKeys.get(el.id);
    const props: Props = {};
    for (const [k, v] of Object.entries(el.props)) props[k] = keys?.has(k) ? `{${sliderParam(el, k)}}` : v;

    const measure = def.current !== 'none' && (probedCurrent.has(el.id) || opts.allCurrents);
    if (measure && def.current === 'native' && el.kind !== 'coupled') {
      currentSignals[el.id] = `i(${name})`.toLowerCase();
    } else if (measure) {
      const am = `VI_${name}`;
      const inner = `ia_${name}`.toLowerCase();
      lines.push(`${am} ${nodes[0]} ${inner} DC 0`);
      nodes[0] = inner;
      currentSignals[el.id] = `i(${am})`.toLowerCase();
    }
    const open = (i: number) => openAt.has(`${el.id}:${i}`);
    const frag = def.netlist({ name, nodes, props, el, ref, open });
    lines.push(...frag.lines);
    Object.assign(models, frag.models ?? {});
    Object.assign(subckts, frag.subckts ?? {});
  }
  if (!elements.some((e) => e.kind === 'ground') && elements.length > 0) warnings.push('the schematic has no ground');
  if (conn.danglingPins.length) {
    const names = [...new Set(conn.danglingPins.map((d) => doc.elements[d.elementId]?.name))];
    warnings.push(`unconnected pins on ${names.join(', ')}`);
  }

  const probeSignals: Record<string, string> = {};
  for (const p of doc.probes) {
    if (p.kind === 'v') {
      const net = p.wireId ? conn.wireNets[p.wireId] : p.elementId ? conn.pinNets[p.elementId]?.[p.pin ?? 0] : undefined;
      if (net !== undefined) probeSignals[p.id] = net === '0' ? 'v(0)' : `v(${net})`;
    } else if (p.elementId && currentSignals[p.elementId]) {
      probeSignals[p.id] = currentSignals[p.elementId];
    }
  }

  const out = [`* ${doc.title || 'untitled'} (simcore schematic)`];
  if (paramLines.length) out.push(...paramLines);
  if (Object.keys(models).length) out.push(...Object.values(models));
  if (Object.keys(subckts).length) out.push(...Object.values(subckts));
  if (analysis.kind === 'tran' && analysis.switching && analysis.switching !== 'auto') out.push(`.options switching=${analysis.switching}`);
  out.push(...lines, analysisCard({ ...analysis, dc: { ...analysis.dc, source: ref(analysis.dc.source) } }), '.end', '');
  return { text: out.join('\n'), conn, params, probeSignals, currentSignals, warnings };
}

/** The signals of the document's probes grouped by plot pane, in pane order (empty panes left out). */
export function probePanes(doc: SchematicDoc, g: GeneratedNetlist = generateNetlist(doc)): string[][] {
  const panes = new Map<number, string[]>();
  for (const p of doc.probes) {
    const sig = g.probeSignals[p.id];
    if (!sig || sig === 'v(0)') continue;
    const list = panes.get(p.pane) ?? [];
    if (!list.includes(sig)) list.push(sig);
    panes.set(p.pane, list);
  }
  return [...panes.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
}

/**
 * What a run of the generated netlist must save: every default signal ("all": node voltages
 * and V-source currents) plus the probed and measured currents the engine gives only on
 * request (inductors, E and H sources); undefined when the defaults cover everything.
 */
export function saveList(g: GeneratedNetlist): string[] | undefined {
  const wanted = [...new Set([...Object.values(g.probeSignals), ...Object.values(g.currentSignals)])].filter(
    (s) => s.startsWith('i(') && !s.startsWith('i(v'),
  );
  return wanted.length ? ['all', ...wanted] : undefined;
}
