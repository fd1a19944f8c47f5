#!/usr/bin/env bash
# Builds the Python sdist that installs with no Debian dev package: a staging tree
# of py/ plus the repository's engine/, io/, proto/, cmake/, models/ and VERSION, pugixml's
# sources (Debian's pugixml source package) in third_party/pugixml, nlohmann-json's
# header (MIT, from Debian's nlohmann-json3-dev) in third_party/, and the KLU,
# AMD, COLAMD, BTF and SuiteSparse_config sources with their licence files from
# Debian's suitesparse source package (scripts/suitesparse_source.sh) in
# suitesparse/; py/CMakeLists.txt compiles KLU from there, as the wasm build does.
# Nothing of it is committed. Wheels: `pip wheel build/dist/simcore-*.tar.gz` or
# cibuildwheel on the sdist (see py/README.md, [tool.cibuildwheel] in pyproject.toml).
#
#   py/build_sdist.sh [OUT_DIR]       (default build/dist; PYTHON: default build/venv/bin/python)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$(realpath -ms "${1:-build/dist}")"
PYTHON="$(realpath -ms "${PYTHON:-build/venv/bin/python}")"
# Checked and run from / : in the repository root, `import build` would find the CMake build/ folder.
(cd / && "$PYTHON" -c 'import build.__main__, scikit_build_core, nanobind, grpc_tools') 2>/dev/null ||
  { echo "error: $PYTHON needs build, scikit-build-core, nanobind and grpcio-tools (pip install ...)" >&2; exit 1; }
SS_SRC="$(scripts/suitesparse_source.sh)"
PUGI_SRC="$(scripts/debian_source.sh pugixml src/pugixml.cpp)"

stage="$(mktemp -d "${TMPDIR:-/tmp}/simcore-sdist.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
tree="$stage/py"
# py/ as git tracks it (no build output), with its VERSION link replaced by the file
git ls-files -z py | tar --null -T - -cf - | tar -xf - -C "$stage"
rm -f "$tree/VERSION"
cp VERSION "$tree/VERSION"
git ls-files -z engine io proto cmake models app/common plugins/loader plugins/osdi | tar --null -T - -cf - | tar -xf - -C "$tree"
# An sdist built in a temporary directory has no ../build to put its build tree in.
sed -i '/^build-dir = /d' "$tree/pyproject.toml"

# The SuiteSparse parts KLU needs, each with its licence (KLU, BTF: LGPL-2.1+;
# AMD, COLAMD: BSD-3-Clause; SuiteSparse_config: no restrictions, said in its README.txt).
for part in KLU AMD COLAMD BTF; do
  mkdir -p "$tree/suitesparse/$part"
  cp -r "$SS_SRC/$part/Source" "$SS_SRC/$part/Include" "$tree/suitesparse/$part/"
  cp "$SS_SRC/$part/Doc/License.txt" "$tree/suitesparse/$part/License.txt" 2>/dev/null ||
    cp "$SS_SRC/$part/Doc/"*[Ll]icense* "$tree/suitesparse/$part/"
done
mkdir -p "$tree/suitesparse/SuiteSparse_config"
cp "$SS_SRC/SuiteSparse_config/SuiteSparse_config.c" "$SS_SRC/SuiteSparse_config/SuiteSparse_config.h" \
   "$SS_SRC/SuiteSparse_config/README.txt" "$tree/suitesparse/SuiteSparse_config/"
cp "$SS_SRC/LICENSE.txt" "$tree/suitesparse/LICENSE.txt" 2>/dev/null || true

# io/ writes JSON through nlohmann-json (header-only, MIT): Debian's copy with its licence.
mkdir -p "$tree/third_party"
cp -r /usr/include/nlohmann "$tree/third_party/"
cp /usr/share/doc/nlohmann-json3-dev/copyright "$tree/third_party/nlohmann/LICENSE.txt"

# The engine reads PLECS loss files with pugixml (MIT): Debian's source with its licence.
mkdir -p "$tree/third_party/pugixml"
cp -r "$PUGI_SRC/src" "$tree/third_party/pugixml/"
cp "$PUGI_SRC/LICENSE.md" "$tree/third_party/pugixml/LICENSE.md" 2>/dev/null || cp "$PUGI_SRC/debian/copyright" "$tree/third_party/pugixml/LICENSE.md"

mkdir -p "$OUT"
(cd / && "$PYTHON" -m build --sdist --no-isolation --outdir "$OUT" "$tree") >&2
ls "$OUT"/simcore-*.tar.gz
