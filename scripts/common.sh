# Sourced by the other scripts: repo root, ccache location, suite location, helpers.
# shellcheck shell=bash

SIMCORE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SIMCORE_ROOT

# ccache lives outside the clone so a fresh clone (CI) reuses it; override with CCACHE_DIR.
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/root}/.cache/simcore-ccache}"
mkdir -p "$CCACHE_DIR" 2>/dev/null || true
# Paths below the clone are hashed relative to it, so clones in other folders (CI) hit the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$SIMCORE_ROOT}"

# The conformance suite sits beside the repo (../shared/circuits) unless SIMCORE_CIRCUITS says otherwise.
export SIMCORE_CIRCUITS="${SIMCORE_CIRCUITS:-$SIMCORE_ROOT/../shared/circuits}"

# Build directory and parallelism, shared with the Makefile.
export BUILD="${BUILD:-build}"
export JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with a fraction, for timing the steps.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
