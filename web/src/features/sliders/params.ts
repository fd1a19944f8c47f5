// Top-level `.param name=value` cards of a netlist with plain numeric values
// (the ones a slider can drive), and rewriting one of them.
import { formatSpiceNumber, parseSpiceNumber } from '@/shared/lib/si';

export interface NetlistParam {
  name: string;
  value: number;
  text: string;
}

const PARAM_LINE = /^\s*\.param\s+(.*)$/i;
const ASSIGN = /([a-z_][\w]*)\s*=\s*([^\s=]+)/gi;

export function netlistParams(text: string): NetlistParam[] {
  const out: NetlistParam[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    if (/^\s*\.subckt\b/i.test(line)) depth++;
    else if (/^\s*\.ends\b/i.test(line)) depth = Math.max(0, depth - 1);
    if (depth) continue;
    const m = PARAM_LINE.exec(line);
    if (!m) continue;
    for (const a of m[1].replace(/[;$].*$/, '').matchAll(ASSIGN)) {
      const v = parseSpiceNumber(a[2]);
      if (Number.isFinite(v)) out.push({ name: a[1].toLowerCase(), value: v, text: a[2] });
    }
  }
  return out;
}

export function setNetlistParam(text: string, name: string, value: number): string {
  const re = new RegExp(`^(\\s*\\.param\\b.*?\\b${name}\\s*=\\s*)([^\\s=]+)`, 'im');
  return text.replace(re, (_m, pre: string) => `${pre}${formatSpiceNumber(value)}`);
}
