// Renders public/icon.svg to icon-192.png and icon-512.png with headless
// Debian chromium (run once; the PNGs are committed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const svg = readFileSync(new URL('../public/icon.svg', import.meta.url), 'utf8');
for (const size of [192, 512]) {
  const dir = mkdtempSync(join(tmpdir(), 'icon-'));
  const html = join(dir, 'i.html');
  writeFileSync(html, `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  const out = new URL(`../public/icon-${size}.png`, import.meta.url).pathname;
  execFileSync('/usr/bin/chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--default-background-color=00000000',
    `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${size},${size}`, `--screenshot=${out}`, `file://${html}`,
  ], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
}
