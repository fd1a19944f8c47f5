#!/usr/bin/env bash
# Build the Python package into a venv and run its tests:
#   build/venv (python3 -m venv; requirements-test.txt from PyPI), pip install ./py (the native
#   binding is compiled by scikit-build-core in build/py-skbuild), then pytest py/tests.
# Last line: `py: N passed, N failed`. Environment: VENV (default build/venv), PYTHON (python3),
# SIMCORE_CIRCUITS (the conformance suite, default ../shared/circuits), PYTEST_ARGS,
# SIMCORE (the executable whose `simcore serve` the client tests start, default $BUILD/bin/simcore).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-build/venv}"
build_dir="${BUILD:-build}"
[[ "$build_dir" = /* ]] || build_dir="$ROOT/$build_dir"
export SIMCORE="${SIMCORE:-$build_dir/bin/simcore}"
PYTHON="${PYTHON:-python3}"
logdir="${TMPDIR:-/tmp}/simcore-test-logs"
mkdir -p "$logdir"

fail() { echo "$1 (log: $2)"; tail -n 30 "$2"; echo "py: 0 passed, 1 failed"; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV" >"$logdir/py-venv.log" 2>&1 || fail "cannot create the venv $VENV" "$logdir/py-venv.log"
fi
# Install the requirements only when one is missing (a no-op check takes about a second).
if ! "$VENV/bin/python" - py/requirements-test.txt >/dev/null 2>&1 <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
import re
for line in open(sys.argv[1]):
    name = re.split(r"[<>=\s#]", line.strip(), maxsplit=1)[0]
    if name:
        version(name)
PY
then
  "$VENV/bin/pip" install -q --upgrade pip >"$logdir/py-pip.log" 2>&1 || true
  "$VENV/bin/pip" install -q -r py/requirements-test.txt >>"$logdir/py-pip.log" 2>&1 ||
    fail "pip could not install py/requirements-test.txt" "$logdir/py-pip.log"
fi
# The build reuses build/py-skbuild, so a rebuild after a change is incremental.
CMAKE_BUILD_PARALLEL_LEVEL="${JOBS:-2}" "$VENV/bin/pip" install -q --no-build-isolation ./py \
  >"$logdir/py-build.log" 2>&1 || fail "pip install ./py failed" "$logdir/py-build.log"

rc=0
(cd py && MPLBACKEND=Agg "../$VENV/bin/pytest" -p no:cacheprovider ${PYTEST_ARGS:-} tests) | tee "$logdir/py.log" || rc=$?
# pytest's closing line, e.g. "==== 2 failed, 47 passed, 1 error in 24.2s ===="
line="$(grep -E '(passed|failed|errors?|skipped)[^=]* in [0-9.]+s' "$logdir/py.log" | tail -n 1 || true)"
count() { { grep -oE "[0-9]+ $1" <<<"$line" || true; } | awk '{ n += $1 } END { print n + 0 }'; }
passed="$(count passed)"
failed=$(( $(count failed) + $(count 'errors?') ))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "py: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
