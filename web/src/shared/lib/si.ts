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
  // no atto: ngspice 39 and the engine read `1a` as 1 (an ampere: PySpice's `1.0A`)
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

// SI prefixes for display (read-outs and axes), largest first.
const DISPLAY_PREFIXES: [number, string][] = [
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

/** Engineering notation for read-outs, with a unit: 1.234 mV. */
export function formatEng(v: number, unit = '', digits = 4): string {
  if (!Number.isFinite(v)) return `${v}`;
  if (v === 0) return `0 ${unit}`.trim();
  const a = Math.abs(v);
  for (const [f, p] of DISPLAY_PREFIXES) {
    if (a >= f * 0.9999999) return `${trim((v / f).toPrecision(digits))} ${p}${unit}`.trim();
  }
  return `${v.toExponential(digits - 1)} ${unit}`.trim();
}

/** A pole or zero of .pz: "re ± j·im rad/s" (engineering notation, no imaginary part when it is 0). */
export function formatPz(re: number, im: number): string {
  const r = formatEng(re, '', 5);
  if (im === 0) return `${r} rad/s`;
  return `${r} ${im < 0 ? '-' : '+'} j${formatEng(Math.abs(im), '', 5)} rad/s`;
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Labels for the ticks of a linear axis: one SI prefix for the whole axis
 * (from its largest magnitude) and as many decimals as the tick spacing needs,
 * so neighbouring labels never read the same ("0.975 V, 0.980 V, ..., 1.020 V",
 * not "975 mV, 980 mV, ..., 1.02 V, 1.02 V").
 */
export function formatTicks(vals: (number | null | undefined)[], unit = ''): string[] {
  const finite = vals.filter((v): v is number => v != null && Number.isFinite(v));
  if (finite.length === 0) return vals.map((v) => (v == null ? '' : `${v}`));
  const maxAbs = Math.max(...finite.map((v) => Math.abs(v)));
  let step = Infinity;
  for (let i = 1; i < finite.length; i++) {
    const d = Math.abs(finite[i] - finite[i - 1]);
    if (d > 0 && d < step) step = d;
  }
  if (!Number.isFinite(step)) step = maxAbs || 1;
  let f = 1;
  let p = '';
  if (maxAbs > 0) {
    const hit = DISPLAY_PREFIXES.find(([k]) => maxAbs >= k * 0.9999999);
    [f, p] = hit ?? DISPLAY_PREFIXES[DISPLAY_PREFIXES.length - 1];
  }
  const s = step / f;
  let dec = 0;
  while (dec < 12) {
    const scaled = s * 10 ** dec;
    // Enough decimals when the step is a whole number of the last digit (a step below one unit
    // of the last digit is not: 1e-6 ms steps need six decimals, not none).
    const r = Math.round(scaled);
    if (r >= 1 && Math.abs(r - scaled) <= 1e-6 * scaled) break;
    dec++;
  }
  return vals.map((v) => {
    if (v == null) return '';
    if (!Number.isFinite(v)) return `${v}`;
    let t = (v / f).toFixed(dec);
    if (/^-0(\.0*)?$/.test(t)) t = t.slice(1);
    return `${t} ${p}${unit}`.trim();
  });
}
