#!/usr/bin/env bash
# The Arrow/Parquet C++ libraries and headers for simcore's Parquet result files
# (io/CMakeLists.txt): Debian 12 packages no Arrow, so they come from the pyarrow
# wheel on PyPI, installed into $BUILD/venv-parquet. Idempotent (a check when present).
# A failure here is not fatal: simcore is then built without Parquet (the CLI and
# the server say so when Parquet is asked for).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SIMCORE_ROOT"

venv="$BUILD/venv-parquet"
if "$venv/bin/python" -c 'import pyarrow' 2>/dev/null; then
  say "parquet: pyarrow present in $venv"
  exit 0
fi
say "parquet: installing pyarrow into $venv (the Arrow/Parquet C++ libraries of the wheel)"
mkdir -p "$BUILD"
if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'pyarrow>=15'; } >"${TMPDIR:-/tmp}/simcore-parquet-sdk.log" 2>&1; then
  tail -n 5 "${TMPDIR:-/tmp}/simcore-parquet-sdk.log" >&2
  echo "parquet: could not install pyarrow; building without Parquet results" >&2
fi
exit 0
