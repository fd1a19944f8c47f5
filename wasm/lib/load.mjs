// Loading the wasm module under Node: the glue (build/wasm/simcore.mjs) is
// given the .wasm bytes (Module.wasmBinary), so it never reads files itself.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Directory holding simcore.mjs + simcore.wasm ($SIMCORE_WASM_DIR, else <repo>/build/wasm). */
export function wasmDir() {
  return resolve(process.env.SIMCORE_WASM_DIR || join(HERE, '..', '..', 'build', 'wasm'));
}

/** Instantiates the module; resolves to the Emscripten Module (Module.Simulation, Module.version()). */
export async function loadSimcore(dir = wasmDir()) {
  const glue = join(dir, 'simcore.mjs');
  let create;
  try {
    create = (await import(pathToFileURL(glue).href)).default;
  } catch (e) {
    throw new Error(`cannot load ${glue} (run 'make wasm' first): ${e.message}`);
  }
  const wasmBinary = readFileSync(join(dir, 'simcore.wasm'));
  return create({ wasmBinary, print: () => {}, printErr: () => {} });
}
