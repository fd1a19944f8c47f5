#!/usr/bin/env bash
# FMU step overhead on examples/rc_filter.cir (docs/fmu.md): builds step_overhead.c against
# the build's libsimcore.so, exports the RC filter as an FMI 2 FMU, runs the comparison.
# Usage: fmu/bench/step_overhead.sh [BUILD_DIR]   (default build)
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(realpath "${1:-$src/build}")"
work="$(mktemp -d "${TMPDIR:-/tmp}/simcore-fmu-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$build/bin/simcore" fmu "$src/examples/rc_filter.cir" -o "$work/rc.fmu" -q
mkdir "$work/rc" && (cd "$work/rc" && python3 -m zipfile -e ../rc.fmu .)
guid="$(sed -n 's/.*guid="\([^"]*\)".*/\1/p' "$work/rc/modelDescription.xml")"
cc -O2 -o "$work/step_overhead" "$src/fmu/bench/step_overhead.c" -I"$src/capi/include" -L"$build/lib" -lsimcore -ldl
LD_LIBRARY_PATH="$build/lib" "$work/step_overhead" "$work/rc" rc_filter "$guid" "$src/examples/rc_filter.cir"
