// Shared by the wasm tests: where things are, running the two CLIs, a
// node:worker_threads adapter with the WorkerLike shape engine.ts expects.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const WASM = resolve(HERE, '..');
export const ROOT = resolve(WASM, '..');
export const CIRCUITS = process.env.SIMCORE_CIRCUITS || resolve(ROOT, '..', 'shared', 'circuits');
export const FIXTURES = join(HERE, 'fixtures');

/** The native CLI to compare with: $SIMCORE, else the first build dir bin/simcore found. */
export function nativeSimcore() {
  if (process.env.SIMCORE) return resolve(process.env.SIMCORE);
  for (const b of ['build', 'build-wasmref', 'build-dev', 'build-tests']) {
    const p = join(ROOT, b, 'bin', 'simcore');
    if (existsSync(p)) return p;
  }
  return null;
}

const made = []; // the directories tmp() created in this process

/**
 * A new empty directory under os.tmpdir(), removed with its contents when the test file's
 * process exits; kept (paths on stderr) when the process exits non-zero, i.e. a test failed.
 */
export function tmp(prefix = 'simcore-wasm-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.length === 0) process.on('exit', removeMade);
  made.push(dir);
  return dir;
}

function removeMade(code) {
  if (code !== 0) {
    process.stderr.write(`kept ${made.join(' ')} (a test failed)\n`);
    return;
  }
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
}

export function runCli(args, cwd, env = process.env) {
  return spawnSync(process.execPath, ['--no-concurrent-recompilation', join(WASM, 'cli.mjs'), ...args], { cwd, env, encoding: 'utf8' });
}

export function runNative(args, cwd, env = process.env) {
  return spawnSync(nativeSimcore(), args, { cwd, env, encoding: 'utf8' });
}

/** engine.ts's WorkerLike over a node:worker_threads Worker running dist/worker.js. */
export function nodeWorker() {
  const w = new Worker(join(WASM, 'dist', 'worker.js'));
  return {
    postMessage: (m) => w.postMessage(m),
    addEventListener: (type, fn) => {
      if (type === 'message') w.on('message', (data) => fn({ data }));
      else if (type === 'error') w.on('error', (e) => fn({ message: e.message }));
    },
    terminate: () => { void w.terminate(); },
  };
}
