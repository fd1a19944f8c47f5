// `vite build` with a temporary folder of its own, removed afterwards: the PWA
// step (workbox-build) bundles the service worker through a file it writes
// into os.tmpdir() and never deletes (one /tmp/<hash>/sw.js per build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'simcore-web-build-'));
let status = 1;
try {
  const web = join(dirname(fileURLToPath(import.meta.url)), '..');
  const vite = join(web, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: web,
    env: { ...process.env, TMPDIR: dir, TMP: dir, TEMP: dir },
  });
  status = r.status ?? 1;
  if (r.error) console.error(r.error.message);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
