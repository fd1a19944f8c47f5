import type { ReactNode } from 'react';
import type { Pt, SchElement } from '../model/schema';

export type Props = Record<string, string>;

export interface FieldDef {
  key: string;
  label: string;
  /** value: a SPICE number or {expr} (can get a slider); text: free text; select: one of options; element: name of another element */
  type: 'value' | 'text' | 'select' | 'element';
  options?: readonly string[];
  unit?: string;
  /** Show only when this holds (e.g. PULSE fields when wave = pulse). */
  when?: (p: Props) => boolean;
  placeholder?: string;
  /** Valid values of a number field (a slider on it stays inside). */
  range?: { min: number; max: number };
}

/** What one element contributes to the netlist. */
export interface NetlistFragment {
  lines: string[];
  /** .model cards, keyed by model name (deduplicated). */
  models?: Record<string, string>;
  /** .subckt definitions, keyed by sub-circuit name (deduplicated). */
  subckts?: Record<string, string>;
}

export interface NetlistContext {
  /** SPICE instance name, with the right first letter ("R1"). */
  name: string;
  /** Net name of each pin, in pin order. */
  nodes: string[];
  /** Props, with slider-bound fields replaced by {param} references. */
  props: Props;
  el: SchElement;
  /** SPICE name of another element of the schematic by its user-visible name, or the name itself. */
  ref: (name: string) => string;
  /** True when pin `i` is connected to nothing (an optional pin left open). */
  open: (i: number) => boolean;
}

export interface ElementDef {
  kind: string;
  /** Palette and panel title. */
  title: string;
  /** Short palette caption. */
  short: string;
  group: 'Passive' | 'Sources' | 'Semiconductors' | 'Power' | 'Control blocks' | 'Controlled' | 'Wiring';
  /** First letter(s) of names given on placement; netlist names start with spiceLetter. */
  prefix: string;
  spiceLetter: string;
  /** Pin positions in grid units, unrotated. */
  pins: readonly Pt[];
  pinNames: readonly string[];
  /** Pins that may stay unconnected without a warning (the netlist then leaves them out). */
  optionalPins?: readonly number[];
  defaultProps: Props;
  fields: readonly FieldDef[];
  /** Hit box in grid units, unrotated: [x0, y0, x1, y1]. */
  box: readonly [number, number, number, number];
  /** Local drawing in px (GRID px per unit), unrotated, stroke = currentColor. */
  render: (p: Props) => ReactNode;
  /** Text shown beside the symbol (value). */
  caption?: (p: Props) => string;
  netlist: (ctx: NetlistContext) => NetlistFragment;
  /** How its current is measured: a native branch current i(name), a 0 V ammeter on pin 1, or none. */
  current: 'native' | 'ammeter' | 'none';
  /** Keyboard shortcut for placement. */
  hotkey?: string;
}
