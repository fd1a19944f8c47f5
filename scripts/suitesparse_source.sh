#!/usr/bin/env bash
# Prints the directory of Debian's suitesparse source package (KLU, AMD, COLAMD,
# BTF, SuiteSparse_config), fetching it into $SIMCORE_SUITESPARSE_CACHE (default
# ~/.cache/simcore-suitesparse) when it is not there yet (scripts/debian_source.sh).
# Used by the wasm build (wasm/build.sh) and the Python sdist (py/build_sdist.sh).
set -euo pipefail
SIMCORE_SOURCE_CACHE=${SIMCORE_SUITESPARSE_CACHE:-$HOME/.cache/simcore-suitesparse} \
  exec "$(dirname "${BASH_SOURCE[0]}")/debian_source.sh" suitesparse KLU/Source/klu.c
