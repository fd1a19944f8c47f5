// Generates the TypeScript stubs of proto/simcore/v1/simulator.proto (and
// google/rpc/status.proto) into src/gen/ with protoc + protoc-gen-es v2.
// The output is not committed (web/.gitignore); npm's pre* scripts and the
// Vite config run this before dev, build, test and typecheck. Up-to-date
// output (newer than every input) is left alone, so repeated runs are cheap.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoRoot = join(web, '..', 'proto');
const out = join(web, 'src', 'gen');
const protos = ['simcore/v1/simulator.proto', 'google/rpc/status.proto'];
const outputs = ['simcore/v1/simulator_pb.ts', 'google/rpc/status_pb.ts'];
const plugin = join(web, 'node_modules', '.bin', process.platform === 'win32' ? 'protoc-gen-es.cmd' : 'protoc-gen-es');

export function generateProtos({ force = false, quiet = false } = {}) {
  const inputs = [...protos.map((p) => join(protoRoot, p)), join(web, 'node_modules', '@bufbuild', 'protoc-gen-es', 'package.json')];
  const newestInput = Math.max(...inputs.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
  const targets = outputs.map((p) => join(out, p));
  const fresh = targets.every((p) => existsSync(p) && statSync(p).mtimeMs >= newestInput);
  if (fresh && !force) return false;
  if (!existsSync(plugin)) throw new Error(`gen-proto: ${plugin} is missing: run npm install in web/`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    execFileSync(
      'protoc',
      [
        `--plugin=protoc-gen-es=${plugin}`,
        `--es_out=${out}`,
        '--es_opt=target=ts,import_extension=none',
        `-I${protoRoot}`,
        ...protos,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('gen-proto: protoc not found (Debian: apt-get install protobuf-compiler)');
    throw e;
  }
  if (!quiet) console.log(`gen-proto: ${protos.join(', ')} -> src/gen/`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  generateProtos({ force: process.argv.includes('--force') });
}
