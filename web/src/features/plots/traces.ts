// What a trace can show: "no signal" when it has no finite value to draw (an AC magnitude that
// is zero everywhere is -inf dB), and plot data with gaps where a value is not finite.

/** True when no value of the trace is finite (nothing to draw, e.g. -inf dB everywhere). */
export function isNoSignal(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) return false;
  return true;
}

/**
 * Values for the chart: the array itself when every value is finite, else a copy with null
 * (a gap) in place of each non-finite value, so one -inf point cannot blank the whole axis.
 */
export function plotValues(values: Float64Array): Float64Array | (number | null)[] {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return Array.from(values, (v) => (Number.isFinite(v) ? v : null));
  }
  return values;
}

/**
 * True when some independent source of the netlist has an AC magnitude (`AC 1` on a V or I
 * card), i.e. an .ac analysis has an excitation. Comment lines and `+` continuations count
 * with their card.
 */
export function hasAcExcitation(netlist: string): boolean {
  return sourceCards(netlist).some((c) => /(^|[\s(),])ac([\s=(]|$)/i.test(c.replace(/^\s*\S+/, '')));
}

/** The independent source cards (V..., I...) of a netlist after its title line, continuations joined, comments dropped. */
function sourceCards(netlist: string): string[] {
  const cards: string[] = [];
  // The first line is the title, never a card.
  for (const raw of netlist.split('\n').slice(1)) {
    const line = raw.replace(/[;$].*$/, '');
    if (/^\s*\*/.test(line)) continue;
    if (/^\s*\+/.test(line) && cards.length) cards[cards.length - 1] += ` ${line.replace(/^\s*\+/, '')}`;
    else cards.push(line);
  }
  return cards.filter((c) => /^\s*[vi]\S*\s/i.test(c));
}

/** The sentence shown for traces with nothing to draw in an AC analysis. */
export function noSignalHint(netlist: string): string {
  return hasAcExcitation(netlist)
    ? 'zero at every frequency (−∞ dB): nothing drives this node in the AC analysis'
    : `no source has an AC magnitude (${sourceCards(netlist)
        .map((c) => c.trim().split(/\s+/)[0])
        .slice(0, 4)
        .join(', ') || 'none found'}), so every AC response is zero: set "AC magnitude" on the input source (e.g. 1)`;
}
