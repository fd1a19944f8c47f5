#!/usr/bin/env bash
# Installs libsimcore from the build folder into a temporary prefix, builds the C example
# against it with pkg-config (shared, then static), runs both and the Python ctypes example on
# examples/buck_converter.cir. Usage: examples.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
src="$2"
prefix="$(mktemp -d "${TMPDIR:-/tmp}/simcore-capi-XXXXXX")"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" --component Unspecified >/dev/null
libdir="$(dirname "$(find "$prefix" -name simcore.pc | head -n 1)")/.."
export PKG_CONFIG_PATH="$libdir/pkgconfig"
netlist="$src/examples/buck_converter.cir"
cc -O2 -o "$prefix/buck" "$src/capi/examples/buck.c" $(pkg-config --cflags --libs simcore) -lm
LD_LIBRARY_PATH="$libdir" "$prefix/buck" "$netlist"
# static: libsimcore.a + libsimcore_engine.a + KLU (pkg-config --static); no libsimcore.so needed
deps="$(pkg-config --static --libs simcore | sed -e 's/-lsimcore_engine//' -e 's/-lsimcore\b//')"
cc -O2 -o "$prefix/buck_static" "$src/capi/examples/buck.c" $(pkg-config --cflags simcore) \
  "$libdir/libsimcore.a" "$libdir/libsimcore_engine.a" $deps -lm
if ldd "$prefix/buck_static" | grep -q libsimcore; then echo "static example links libsimcore.so"; exit 1; fi
"$prefix/buck_static" "$netlist"
python3 "$src/capi/examples/buck_ctypes.py" "$libdir/libsimcore.so" "$netlist"
# only the C API is exported
if nm -D --defined-only "$libdir/libsimcore.so" | awk '{print $3}' | grep -v '^simcore_' | grep -vq '^_'; then
  echo "libsimcore.so exports more than simcore_*:"; nm -D --defined-only "$libdir/libsimcore.so" | grep -v simcore_ | head
  exit 1
fi
echo "capi examples: ok"
