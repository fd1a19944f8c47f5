#!/bin/sh
# `simcore run --plugin` and `.plugin` cards: a run that works, and the error
# paths (missing file, not a plugin, wrong ABI version, bad descriptor), each
# with its message naming the file and exit status 2.
# Usage: cli.sh SIMCORE PLUGIN_BUILD_DIR
set -u
simcore=$1
plugins=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/simcore-plugin-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0

# expect STATUS PATTERN -- ARGS...: run simcore, check the exit status and that
# stderr matches PATTERN (an empty PATTERN: stderr is empty)
expect() {
  want=$1 pattern=$2
  shift 3
  "$simcore" "$@" >"$work/out" 2>"$work/err"
  got=$?
  if [ -z "$pattern" ]; then matched=$([ ! -s "$work/err" ] && echo y); else matched=$(grep -q -- "$pattern" "$work/err" && echo y); fi
  if [ "$got" -ne "$want" ] || [ "$matched" != y ]; then
    echo "FAIL: simcore $* -> status $got (want $want), stderr:"; cat "$work/err"
    echo "  expected to match: $pattern"
    fails=$((fails + 1))
  else
    echo "ok: ${pattern:-(no message)}"
  fi
}

cat >"$work/mem.cir" <<'NET'
memristor through --plugin
v1 p 0 1
n1 p 0 mem w0=0
.model mem hpmemristor(roff=10k)
.op
.end
NET
expect 0 '' -- run -q "$work/mem.cir" -o "$work/r1" --plugin "$plugins/memristor.so"
if ! grep -q -- '-0.0001' "$work/r1/mem.op.csv"; then
  echo "FAIL: i(v1) is not -1e-4 A:"; cat "$work/r1/mem.op.csv"; fails=$((fails + 1))
fi

# .plugin relative to the netlist's own directory
mkdir -p "$work/sub/lib"
cp "$plugins/comparator_switch.so" "$work/sub/lib/"
cat >"$work/sub/sw.cir" <<'NET'
switch through .plugin
.plugin lib/comparator_switch.so
vc c 0 1
vs s 0 10
r1 s a 1
n1 a 0 c 0 sm
.model sm cmpswitch(vt=0.5 ron=1)
.op
.end
NET
expect 0 '' -- run -q "$work/sub/sw.cir" -o "$work/r2"
if ! grep -q '^5' "$work/r2/sw.op.csv" && ! grep -q ',5' "$work/r2/sw.op.csv"; then
  echo "FAIL: v(a) is not 5 V:"; cat "$work/r2/sw.op.csv"; fails=$((fails + 1))
fi

expect 2 "simcore run: error: device plugin '$work/none.so': no such file" -- run "$work/mem.cir" -o "$work/r" --plugin "$work/none.so"
expect 2 "not_a_plugin.so': no simcore_plugin_entry function" -- run "$work/mem.cir" -o "$work/r" --plugin "$plugins/test/not_a_plugin.so"
expect 2 "bad_abi.so': built for device plugin ABI version 42, this simcore loads version 1" -- run "$work/mem.cir" -o "$work/r" --plugin "$plugins/test/bad_abi.so"
expect 2 "bad_descriptor.so': bad descriptor: device kind 'broken': matrix entry 1 (0, 5) is outside the 2 local unknowns" -- run "$work/mem.cir" -o "$work/r" --plugin "$plugins/test/bad_descriptor.so"
# a .plugin card that names a missing file: file:line:col of the card
printf 'x\n.plugin nothing.so\n.op\n.end\n' >"$work/card.cir"
expect 2 "card.cir:2:9: error: device plugin '$work/nothing.so': no such file" -- run "$work/card.cir" -o "$work/r"
# the netlist uses N without the plugin
expect 2 "unknown device type 'n'" -- run "$work/mem.cir" -o "$work/r"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all plugin CLI checks passed"
