// SPICE numbers: parse "4.7k", "10uF", "1meg" and format 0.0047 as "4.7m".

const SCALE: [string, number][] = [
  ['meg', 1e6],
  ['mil', 25.4e-6],
  ['t', 1e12],
  ['g', 1e9],
  ['k', 1e3],
  ['m', 1e-3],
  ['u', 1e-6],
  ['µ', 1e-6],
  ['n', 1e-9],
  ['p', 1e-12],
  ['f', 1e-15],
  ['a', 1e-18],
];

/** Value of a SPICE number, or NaN when the text is not a plain number (e.g. an expression). */
export function parseSpiceNumber(text: string): number {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-zµ]*)\s*$/i.exec(text);
  if (!m) return NaN;
  const base = Number(m[1]);
  const suffix = m[2].toLowerCase();
  if (!suffix) return base;
  for (const [s, f] of SCALE) {
    if (!suffix.startsWith(s)) continue;
    if (s === 'mil') return base * f;
    // Exact decimal scaling (100n is 1e-7, not 1.0000000000000001e-7).
    return Number(`${m[1].replace(/e.*$/i, '')}e${Math.round(Math.log10(f)) + Number(/e([+-]?\d+)$/i.exec(m[1])?.[1] ?? 0)}`);
  }
  return base; // unit letters only
}

const PREFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'meg'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'u'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
];

/** Short SPICE text for a number: 0.0047 -> "4.7m", 1e6 -> "1meg". */
export function formatSpiceNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  for (const [f, p] of PREFIXES) {
    if (a >= f * 0.9999999) return `${trim((v / f).toPrecision(digits))}${p}`;
  }
  return v.toExponential(digits - 1);
}

/** Engineering notation for read-outs, with a unit: 1.234 mV. */
export function formatEng(v: number, unit = '', digits = 4): string {
  if (!Number.isFinite(v)) return `${v}`;
  if (v === 0) return `0 ${unit}`.trim();
  const a = Math.abs(v);
  const table: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'µ'],
    [1e-9, 'n'],
    [1e-12, 'p'],
    [1e-15, 'f'],
  ];
  for (const [f, p] of table) {
    if (a >= f * 0.9999999) return `${trim((v / f).toPrecision(digits))} ${p}${unit}`.trim();
  }
  return `${v.toExponential(digits - 1)} ${unit}`.trim();
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}
