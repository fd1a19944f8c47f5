// Searching the signals of a result for the picker: every word of the query must occur in the
// name; names that start with the query (after "v(" / "i(") come first, then shorter names.

export interface SearchResult {
  names: string[];
  /** Matches in all (names holds at most `limit` of them). */
  total: number;
}

export function searchSignals(all: readonly string[], query: string, limit = 100): SearchResult {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const hits: { name: string; rank: number }[] = [];
  for (const name of all) {
    const n = name.toLowerCase();
    if (!words.every((w) => n.includes(w))) continue;
    const inner = n.replace(/^[a-z]+\(/, '');
    const first = words[0] ?? '';
    const rank = !first ? 0 : n === first || inner.replace(/\)$/, '') === first ? 0 : n.startsWith(first) || inner.startsWith(first) ? 1 : 2;
    hits.push({ name, rank });
  }
  hits.sort((a, b) => a.rank - b.rank || a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { names: hits.slice(0, limit).map((h) => h.name), total: hits.length };
}
