#!/usr/bin/env bash
# Build the WebAssembly engine: build/wasm/simcore.mjs + build/wasm/simcore.wasm
# from the same engine/ sources as the native build, with Debian's emscripten
# and KLU/AMD/COLAMD/BTF compiled from Debian's suitesparse source package
# (pugixml from Debian's pugixml source package).
# Idempotent: installs emscripten and fetches the suitesparse source only when
# missing. Nothing is downloaded except Debian packages.
#
# Environment:
#   SIMCORE_SUITESPARSE_CACHE  where the suitesparse source lives (default $HOME/.cache/simcore-suitesparse)
#   SIMCORE_WASM_OPT           optimisation flags for compile and link (default "-O3")
#   SIMCORE_WASM_LTO           1: add -flto (default 0)
#   SIMCORE_WASM_COLD_OPT      optimisation flags for the netlist front end and loss readers (run once per netlist);
#                              default -Oz (set it empty for the flags of the rest)
#   SIMCORE_WASM_LINK_LEVEL    optimisation level of the final link (Binaryen), default the one in SIMCORE_WASM_OPT
#   SIMCORE_WASM_LINK_EXTRA    extra link flags (e.g. --emit-symbol-map, --profiling-funcs)
#   BUILD_DIR / OUT_DIR        cmake build dir / output dir (default build/wasm-cmake, build/wasm)
#   JOBS                       parallel jobs (default 2)
#   SIMCORE_WASM_PLUGINS       device plugin C sources to link in, ';'-separated (default none; docs/plugins.md)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SS_CACHE=${SIMCORE_SUITESPARSE_CACHE:-$HOME/.cache/simcore-suitesparse}
BUILD_DIR=${BUILD_DIR:-build/wasm-cmake}
OUT_DIR=${OUT_DIR:-build/wasm}
JOBS=${JOBS:-2}
OPT=${SIMCORE_WASM_OPT:--O3}
LTO=${SIMCORE_WASM_LTO:-0}

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"

# emscripten 3.1.6 runs its JS optimizer with node and needs acorn from Debian's
# node modules.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# 1. emscripten. --no-install-recommends and no nodejs upgrade: the machine's
# node (v20 from nodesource) satisfies emscripten's "nodejs (>= 12)"; apt keeps
# the installed, newer version.
if ! command -v emcc >/dev/null 2>&1; then
  echo "== installing emscripten (Debian package)"
  node_before=$(node --version 2>/dev/null || echo none)
  $APT install -y --no-install-recommends emscripten
  node_after=$(node --version 2>/dev/null || echo none)
  if [ "$node_before" != "$node_after" ]; then
    echo "warning: installing emscripten changed node from $node_before to $node_after" >&2
  fi
fi

# 2. suitesparse source (KLU, AMD, COLAMD, BTF, SuiteSparse_config).
SS_SRC=$(SIMCORE_SUITESPARSE_CACHE="$SS_CACHE" scripts/suitesparse_source.sh)
# pugixml source (the PLECS loss-file reader of the engine).
PUGI_SRC=$(scripts/debian_source.sh pugixml src/pugixml.cpp)

# 3. configure and build.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/simcore-ccache}
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
flags="$OPT"
[ "$LTO" = 1 ] && flags="$flags -flto"

echo "== configuring $BUILD_DIR ($flags)"
emcmake cmake -S . -B "$BUILD_DIR" "${gen[@]}" "${launcher[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DSIMCORE_TESTS=OFF \
  -DCMAKE_C_FLAGS_RELEASE="$flags -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="$flags -DNDEBUG" \
  -DSIMCORE_WASM_LINK_OPT="$flags ${SIMCORE_WASM_LINK_LEVEL:-} ${SIMCORE_WASM_LINK_EXTRA:-}" \
  -DSIMCORE_SUITESPARSE_SRC="$SS_SRC" \
  -DSIMCORE_PUGIXML_SRC="$PUGI_SRC" \
  -DSIMCORE_WASM_COLD_OPT="${SIMCORE_WASM_COLD_OPT--Oz}" \
  -DSIMCORE_WASM_PLUGINS="${SIMCORE_WASM_PLUGINS:-}" \
  -DSIMCORE_WASM_OUT="$ROOT/$OUT_DIR" >/dev/null
echo "== building"
cmake --build "$BUILD_DIR" -j "$JOBS" --target simcore_wasm

wasm="$OUT_DIR/simcore.wasm"
raw=$(wc -c <"$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "== $OUT_DIR/simcore.mjs + $wasm: $raw bytes raw, $gz bytes gzip -9"
