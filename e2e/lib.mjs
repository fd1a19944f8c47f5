// Shared harness: a static server for web/dist on 127.0.0.1 and Debian's
// chromium driven by playwright-core (never downloads a browser).
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const DIST = new URL('../web/dist/', import.meta.url).pathname;
export const OUT = new URL('./out/', import.meta.url).pathname;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

export function serveDist() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no build in ${DIST}: run make web`);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = normalize(join(DIST, decodeURIComponent(url.pathname)));
    if (!path.startsWith(DIST)) return res.writeHead(403).end();
    if (!existsSync(path) || statSync(path).isDirectory()) path = join(DIST, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': path.endsWith('sw.js') || path.endsWith('.html') ? 'no-cache' : 'max-age=3600',
    });
    res.end(readFileSync(path));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })),
  );
}

/** Debian's chromium in a fresh profile; `options` add to the context's (e.g. serviceWorkers: 'block'). */
export async function launch(options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'simcore-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...options,
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** Wait until the status line leaves "running" (or an error shows); returns its text. */
export async function waitForRunEnd(page, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.waitForFunction(
      () => {
        const s = document.querySelector('[data-testid=status]');
        return s && ['done', 'error', 'cancelled'].includes(s.getAttribute('data-state'));
      },
      null,
      { timeout: Math.max(1_000, deadline - Date.now()) },
    );
    const shown = await page.locator('[data-testid=status]').getAttribute('data-state');
    if (shown !== 'cancelled') break;
    // A run cancelled because a newer one replaced it (on a loaded machine an
    // edit's run can still be starting when the probe's run begins): wait for
    // the newer one; a cancellation that stays is the answer.
    const id = await page.evaluate(() => window.__simcore.sim.state.get().runId);
    await page.waitForTimeout(500);
    const now = await page.evaluate(() => window.__simcore.sim.state.get());
    if ((now.runId === id && now.status === 'cancelled') || Date.now() > deadline) break;
  }
  return page.locator('[data-testid=status]').innerText();
}

/**
 * Start a run (open a file, click) and wait for that run, not the one before
 * it, to end: right after the click the status line still shows the previous
 * run's end. Returns the status line's text.
 */
export async function runToEnd(page, start, timeout = 60_000) {
  const before = await page.evaluate(() => window.__simcore.sim.state.get().runId);
  await start();
  await page.waitForFunction(
    (id) => {
      const s = window.__simcore.sim.state.get();
      const shown = document.querySelector('[data-testid=status]')?.getAttribute('data-state');
      return s.runId > id && ['done', 'error', 'cancelled'].includes(s.status) && shown === s.status;
    },
    before,
    { timeout },
  );
  return page.locator('[data-testid=status]').innerText();
}

/** Click on the schematic at grid point (gx, gy), with the app's default view (pan 40,40, zoom 1, 20 px per grid). */
/** Replaces the netlist editor's text by `text`, as a user's select-all and paste. */
export async function pasteNetlist(page, text) {
  await page.click('[data-testid=netlist-editor] .cm-content');
  await page.keyboard.press('Control+A');
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document
      .querySelector('[data-testid=netlist-editor] .cm-content')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

export async function clickGrid(page, gx, gy, opts = {}) {
  const box = await page.locator('[data-testid=schematic-canvas]').boundingBox();
  await page.mouse.click(box.x + 40 + gx * 20, box.y + 40 + gy * 20, opts);
}

/**
 * Draw wires with the wire tool, one per [[gx, gy], [gx, gy]] segment (Escape ends each), and
 * leave the tool with a last Escape.
 */
export async function drawWires(page, segments) {
  await page.click('[data-testid=tool-wire]');
  for (const [a, b] of segments) {
    await clickGrid(page, ...a);
    await clickGrid(page, ...b);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=tool-wire]');
  }
  await page.keyboard.press('Escape');
}

export const REPO = new URL('../', import.meta.url).pathname;

/**
 * Start `simcore serve` on free ports with the web app from web/dist.
 * Resolves with { url (the ready line's http URL, token included), base, token, stop() },
 * or null when there is no server binary or it has no HTTP port yet.
 * `args` are more options (`--insecure-no-auth`: the ready URL and `token` have no token).
 */
export async function startServer({ binary = process.env.SIMCORE ?? join(REPO, 'build/bin/simcore'), args = [] } = {}) {
  if (!existsSync(binary)) return null;
  const { spawn } = await import('node:child_process');
  const dataDir = mkdtempSync(join(tmpdir(), 'simcore-e2e-serve-'));
  const proc = spawn(binary, ['serve', '--data-dir', dataDir, '--grpc-port', '0', '--http-port', '0', '--web-dir', DIST, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const ready = await new Promise((resolve) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('ready:'));
      if (line) resolve(line);
    });
    proc.on('exit', () => resolve(null));
  });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const m = ready && /(http:\/\/[^\s/?]+)\/?(?:\?token=([^\s&]+))?(?:\s|$)/.exec(ready);
  if (!m) {
    await stop();
    if (ready === null && /unknown option/.test(stderr)) return null; // an older server: no --http-port / --web-dir
    if (ready === null) throw new Error(`simcore serve exited before it was ready:\n${stderr}`);
    return null; // a server without the HTTP port
  }
  const url = m[2] ? `${m[1]}/?token=${m[2]}` : `${m[1]}/`;
  return { url, base: m[1], token: m[2], proc, stop, stderr: () => stderr };
}

/**
 * The usual suite set-up: the production build served statically (no simcore server behind
 * it) and one Chromium, started before the suite's tests and closed after them. Returns an
 * object whose `url` and `browser` are set once the suite runs.
 */
export function staticApp() {
  const env = { url: '', browser: undefined, server: undefined };
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    ({ server: env.server, url: env.url } = await serveDist());
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.close();
  });
  return env;
}
