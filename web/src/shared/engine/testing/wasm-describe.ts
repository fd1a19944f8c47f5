// The engine's describe() for unit tests: the wasm module that `make wasm`
// builds (build/wasm), loaded in the test process without a worker, so the
// policy is tested against the engine's own reading of a netlist.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CircuitDescription, DescribeOptions, EngineError } from '@simcore/wasm/protocol';
import type { CreateSimcoreModule, SimcoreModule } from '@simcore/wasm/simcore_module';
import { fileResolver } from '@simcore/wasm/files';
import { filesFor } from '@/features/models/library';

const dir = fileURLToPath(new URL('../../../../../build/wasm/', import.meta.url));
let module: Promise<SimcoreModule> | null = null;

/** The wasm module of build/wasm, loaded once per test process. */
export function loadWasmModule(): Promise<SimcoreModule> {
  module ??= (async () => {
    let create: CreateSimcoreModule;
    try {
      create = (await import(/* @vite-ignore */ pathToFileURL(`${dir}simcore.mjs`).href)).default;
    } catch (e) {
      throw new Error(`the wasm engine is not built in ${dir} (run \`make wasm\`): ${e instanceof Error ? e.message : String(e)}`);
    }
    return create({ wasmBinary: readFileSync(`${dir}simcore.wasm`), print: () => {}, printErr: () => {} });
  })();
  return module;
}

/** describe() of the wasm engine; rejects with an Error carrying the EngineError's fields. */
export async function wasmDescribe(netlist: string, options: DescribeOptions = {}): Promise<CircuitDescription> {
  const { files, ...rest } = { ...options, files: options.files ?? filesFor(netlist) };
  const r = (await loadWasmModule()).describe(netlist, '<netlist>', rest, fileResolver(files));
  if ('error' in r) throw Object.assign(new Error(r.error.message), r.error as EngineError);
  return r.description;
}
