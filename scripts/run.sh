#!/usr/bin/env bash
# The main job: install what is needed, build everything, simulate one example
# circuit with the native CLI, then start `simcore serve`: the web app (the
# engine runs in the browser as WebAssembly, or remotely through gRPC-Web) on
# its HTTP port, and gRPC for Python clients.
#   ./scripts/run.sh [EXAMPLE] [--no-serve] [simcore run options...]
# EXAMPLE is a netlist path or the name of a file in examples/ (default: the buck
# converter). Results go to out/<example>/; the server keeps its sessions and
# results in out/serve-data/ (SQLite + files). Ctrl-C stops the server.
# Environment: SIMCORE_HTTP_PORT (default 8080), SIMCORE_GRPC_PORT (default 50051).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SIMCORE_ROOT"

DEFAULT_EXAMPLE=examples/buck_converter.cir
serve=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-serve" ]; then serve=0; else args+=("$a"); fi
done
set -- "${args[@]+"${args[@]}"}"

example="${1:-$DEFAULT_EXAMPLE}"
[ $# -gt 0 ] && shift
if [ ! -f "$example" ]; then
  for cand in "examples/$example" "examples/$example.cir"; do
    if [ -f "$cand" ]; then example="$cand"; break; fi
  done
fi
[ -f "$example" ] || die "run: no netlist '$example' (try one of: $(cd examples && ls ./*.cir | sed 's|^\./||' | tr '\n' ' '))"

t0="$(now)"
./scripts/setup.sh
./scripts/parquet_sdk.sh
say "build ($BUILD/, ccache in $CCACHE_DIR)"
make --no-print-directory build BUILD="$BUILD" JOBS="$JOBS" >"${TMPDIR:-/tmp}/simcore-build.log" 2>&1 || {
  tail -n 40 "${TMPDIR:-/tmp}/simcore-build.log"
  die "run: build failed (full log: ${TMPDIR:-/tmp}/simcore-build.log)"
}
say "build ok ($(elapsed "$t0") s)"

stem="$(basename "$example")"
stem="${stem%.*}"
out="out/$stem"
rm -rf "$out"
mkdir -p "$out"
say "simcore run $example --out $out --stats $*"
rc=0
"./$BUILD/bin/simcore" run "$example" --out "$out" --stats "$@" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "simcore exited with status $rc (1 = simulation failure, 2 = bad input)" >&2
  exit "$rc"
fi

# A few numbers per result file, so there is something to look at without a plotter.
say "summary"
python3 - "$out" <<'PY'
import csv, glob, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.csv"))):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    head, data = rows[0], [[float(v) for v in r] for r in rows[1:]]
    kind = path.rsplit(".", 2)[-2]
    print("%s  (%d rows)" % (path, len(data)))
    if not data:
        continue
    first = 0 if kind == "op" else 1
    if first:
        xs = [r[0] for r in data]
        print("    %-12s %g .. %g" % (head[0], min(xs), max(xs)))
    for k in range(first, min(len(head), first + 6)):
        ys = [r[k] for r in data]
        if kind == "op":
            print("    %-12s %.6g" % (head[k], ys[0]))
        else:
            print("    %-12s min %-12.5g max %-12.5g last %.5g" % (head[k], min(ys), max(ys), ys[-1]))
    if len(head) > first + 6:
        print("    ... %d more columns" % (len(head) - first - 6))
PY
say "results written to $SIMCORE_ROOT/$out/ ($(elapsed "$t0") s so far)"
[ "$serve" -eq 1 ] || exit 0

# --- the web app (wasm engine) and the server -------------------------------------------------
say "build the WebAssembly engine and the web app (make web)"
make --no-print-directory web >"${TMPDIR:-/tmp}/simcore-web.log" 2>&1 || {
  tail -n 40 "${TMPDIR:-/tmp}/simcore-web.log"
  die "run: web build failed (full log: ${TMPDIR:-/tmp}/simcore-web.log)"
}
http_port="${SIMCORE_HTTP_PORT:-8080}"
grpc_port="${SIMCORE_GRPC_PORT:-50051}"
"./$BUILD/bin/simcore" --help 2>/dev/null | grep -q 'simcore serve' ||
  die "run: this simcore was built without the server (run scripts/setup.sh, then make build)"
say "simcore serve: web app and gRPC-Web on http://127.0.0.1:$http_port/, gRPC on 127.0.0.1:$grpc_port (data in out/serve-data)"
say "open the http:// URL of the ready line below (it carries an admin token); Ctrl-C stops"
exec "./$BUILD/bin/simcore" serve --data-dir out/serve-data --bind 127.0.0.1 --grpc-port "$grpc_port" \
  --http-port "$http_port" --web-dir web/dist
