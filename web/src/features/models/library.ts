// The model library (the repository's models/: .lib files and PLECS loss files) bundled
// into the app, so a netlist's `.include models/...` and a model's `losses="models/..."`
// resolve in the browser as they do in the CLI, the server and Python.
const raw = import.meta.glob('../../../../models/**/*.{lib,xml}', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** Library files by the path netlists write: "models/power/packs.lib". */
export const MODEL_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(raw).map(([k, v]) => [k.slice(k.lastIndexOf('/models/') + 1), v]),
);

/** The library's files, for a netlist that has an .include/.lib card (else none). */
export function filesFor(netlist: string): Record<string, string> | undefined {
  return /^[ \t]*\.(include|inc|lib)\b/im.test(netlist) ? { ...MODEL_FILES } : undefined;
}

/** The library's .lib files with their first comment line (what they hold). */
export function libraryIndex(): { path: string; about: string }[] {
  return Object.entries(MODEL_FILES)
    .filter(([p]) => p.endsWith('.lib'))
    .map(([path, text]) => ({ path, about: (/^\*\s*(.+)$/m.exec(text)?.[1] ?? '').trim() }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The netlist with `.include PATH` after its title line (unchanged when it already has it). */
export function withInclude(netlist: string, path: string): string {
  const lines = netlist.split('\n');
  const has = lines.some((l) => new RegExp(`^\\s*\\.(include|inc)\\s+["']?${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'i').test(l));
  if (has) return netlist;
  lines.splice(Math.min(1, lines.length), 0, `.include ${path}`);
  return lines.join('\n');
}
