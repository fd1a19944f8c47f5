#!/usr/bin/env bash
# Install what is needed, build, and simulate one example circuit.
#   ./scripts/run.sh [EXAMPLE] [simcore options...]
# EXAMPLE is a netlist path or the name of a file in examples/ (with or without .cir).
# Results go to out/<example>/ in the repo (ignored by git).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SIMCORE_ROOT"

# The default is a linear circuit (R, C and a source only), so it works even while the
# nonlinear devices (D, Q, M, S) are being changed. They pass the conformance suite now:
# examples/buck_converter.cir can become the default once they have settled.
DEFAULT_EXAMPLE=examples/rc_filter.cir

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
say "results written to $SIMCORE_ROOT/$out/ ($(elapsed "$t0") s in all)"
