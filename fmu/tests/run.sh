#!/usr/bin/env bash
# ctest fmu.fmpy: FMPy (from PyPI, into BUILD/venv when missing) checks the FMUs that
# `simcore fmu` writes: fmpy validate, simulate_fmu against `simcore run`, inputs,
# parameters, errors. Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(realpath "$1")"
src="$(realpath "$2")"
venv="$build/venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c 'import fmpy, pytest, numpy' 2>/dev/null; then
  "$venv/bin/pip" install -q fmpy pytest numpy
fi
export SIMCORE="$build/bin/simcore" SIMCORE_SRC="$src" FMPY="$venv/bin/fmpy"
cd "$src"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$src/fmu/tests"
