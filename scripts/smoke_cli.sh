#!/usr/bin/env bash
# CLI smoke test of `simcore run`: output files, formats, exit codes 0/1/2 and the
# `FILE:LINE:COL: error: message` diagnostics on bad netlists (tests/bad_netlists/*.cir
# plus a few written here with known error positions).
# Prints one line per check and finally `cli: N passed, N failed`; exit 1 on any failure.
#   SIMCORE=path/to/simcore ./scripts/smoke_cli.sh [-v]   (default: build/bin/simcore; -v lists passing checks too)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SIMCORE="${SIMCORE:-$SIMCORE_ROOT/$BUILD/bin/simcore}"
case "$SIMCORE" in /*) ;; *) SIMCORE="$SIMCORE_ROOT/$SIMCORE" ;; esac
[ -x "$SIMCORE" ] || die "smoke: $SIMCORE not built (make build)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/simcore-smoke.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
npass=0
nfail=0
verbose=0
[ "${1:-}" = "-v" ] && verbose=1
ok() { npass=$((npass + 1)); [ "$verbose" -eq 1 ] && printf '  ok    %s\n' "$1"; return 0; }
bad() { nfail=$((nfail + 1)); printf '  FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '        %s\n' "$2"; return 0; }

# run_cli NAME EXPECTED_EXIT ARGS... : runs simcore, keeps stderr in $tmp/NAME.err, checks the exit status.
run_cli() {
  local name="$1" want="$2"
  shift 2
  local rc=0
  "$SIMCORE" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
  if [ "$rc" -eq "$want" ]; then
    ok "$name: exit $rc"
  else
    bad "$name: exit $rc, expected $want" "$(head -n 1 "$tmp/$name.err")"
  fi
}

# check_diag NAME FILE_AS_GIVEN [LINE [COL]] : first stderr line is `FILE:LINE:COL: error: message`.
check_diag() {
  local name="$1" file="$2" line="${3:-[0-9]+}" col="${4:-[0-9]+}"
  local first
  first="$(head -n 1 "$tmp/$name.err")"
  local re="^$(printf '%s' "$file" | sed 's/[][\.*^$/]/\\&/g'):${line}:${col}: error: .+"
  if printf '%s\n' "$first" | grep -Eq "$re"; then
    ok "$name: diagnostic '$first'"
  else
    bad "$name: diagnostic not in FILE:LINE:COL: error: form (want $file:${3:-L}:${4:-C})" "got: $first"
  fi
}

echo "cli smoke test of $SIMCORE"
cd "$SIMCORE_ROOT"

run_cli version 0 --version

# 0: an example runs and writes one CSV per analysis, in every format.
ex=examples/rc_filter.cir
run_cli example 0 run "$ex" --out "$tmp/out" --quiet
for an in tran ac; do
  f="$tmp/out/rc_filter.$an.csv"
  if [ -s "$f" ] && [ "$(wc -l <"$f")" -gt 10 ]; then ok "example: $an CSV written ($(wc -l <"$f") lines)"
  else bad "example: $an CSV missing or short: $f"; fi
done
hdr="$(head -n 1 "$tmp/out/rc_filter.tran.csv" 2>/dev/null)"
case "$hdr" in time,*v\(out\)*) ok "example: tran header '$hdr'" ;; *) bad "example: tran header '$hdr'" ;; esac
for fmt in json raw hdf5 parquet; do
  ext=$fmt; [ "$fmt" = hdf5 ] && ext=h5
  run_cli "format-$fmt" 0 run "$ex" --out "$tmp/$fmt" --format "$fmt" --quiet
  if [ -s "$tmp/$fmt/rc_filter.tran.$ext" ]; then ok "format-$fmt: rc_filter.tran.$ext written"
  else bad "format-$fmt: rc_filter.tran.$ext missing"; fi
done
# libhdf5 (and the ~30 libraries behind it) is loaded only for --format hdf5, from a module.
if command -v ldd >/dev/null; then
  if ldd "$SIMCORE" | grep -q hdf5; then bad "start-up: the executable itself links libhdf5 (it belongs in libsimcore_hdf5.so)"
  else ok "start-up: no libhdf5 in the executable"; fi
  if ldd "$SIMCORE" | grep -qE 'libarrow|libparquet'; then bad "start-up: the executable itself links Arrow (it belongs in libsimcore_parquet.so)"
  else ok "start-up: no Arrow in the executable"; fi
fi
run_cli stdin 0 run - --out "$tmp/stdin" --quiet <"$ex"
if [ -n "$(find "$tmp/stdin" -name '*.tran.csv' 2>/dev/null)" ]; then ok "stdin: tran CSV written"
else bad "stdin: no tran CSV written for a netlist on stdin"; fi
if [ ! -s "$tmp/example.out" ]; then ok "quiet: nothing on stdout"; else bad "quiet: stdout not empty"; fi

# losses: the loss table is written beside the transient (csv and hdf5), with its summary on stdout.
run_cli losses 0 run examples/buck_losses.cir --out "$tmp/losses"
lhdr="$(head -n 1 "$tmp/losses/buck_losses.losses.csv" 2>/dev/null)"
case "$lhdr" in time,*p_cond\(s1\)*tj\(s1\)*t\(hs\)*) ok "losses: losses CSV header" ;; *) bad "losses: losses CSV header '$lhdr'" ;; esac
if grep -q "efficiency" "$tmp/losses.out" && grep -q "p_sw" "$tmp/losses.out"; then ok "losses: loss table and efficiency printed"
else bad "losses: no loss table on stdout" "$(head -n 3 "$tmp/losses.out")"; fi
run_cli losses-hdf5 0 run examples/buck_losses.cir --out "$tmp/losses-h5" --format hdf5 --quiet
if [ -s "$tmp/losses-h5/buck_losses.losses.h5" ]; then ok "losses-hdf5: buck_losses.losses.h5 written"
else bad "losses-hdf5: buck_losses.losses.h5 missing" "$(ls "$tmp/losses-h5" 2>&1 | head -n 3)"; fi

# 1: a netlist that parses but cannot be solved (an E source that sets its own control: singular).
cat >"$tmp/singular.cir" <<'CIR'
singular: E1 drives the node that controls it with gain 1
E1 a 0 a 0 1
R1 a 0 1k
.op
.end
CIR
run_cli singular 1 run "$tmp/singular.cir" --out "$tmp/o1"

# 2: bad input. Netlists written here with known error positions...
cat >"$tmp/missing_value.cir" <<'CIR'
missing value after DC
R1 a 0 1k
V1 a 0 DC
.op
.end
CIR
run_cli missing_value 2 run "$tmp/missing_value.cir" --out "$tmp/o2"
check_diag missing_value "$tmp/missing_value.cir" 3
cat >"$tmp/vloop.cir" <<'CIR'
two voltage sources in parallel
V1 a 0 1
V2 a 0 2
R1 a 0 1k
.op
.end
CIR
run_cli vloop 2 run "$tmp/vloop.cir" --out "$tmp/o3"
check_diag vloop "$tmp/vloop.cir" 3 1

# ...and every file of tests/bad_netlists (run from the repo root, so FILE is the relative path).
shopt -s nullglob
for f in tests/bad_netlists/*.cir tests/bad_netlists/*.sp; do
  n="bad_netlists/$(basename "$f")"
  n="${n//\//_}"
  # Exit 2 (bad input) unless the file says otherwise, e.g. `* exit: 1` for a
  # simulation failure such as a runaway junction.
  want=2
  w="$(sed -n 's/^\* exit: \([0-9]\)$/\1/p' "$f" | head -n 1)"
  [ -n "$w" ] && want="$w"
  run_cli "$n" "$want" run "$f" --out "$tmp/o4"
  check_diag "$n" "$f"
done
shopt -u nullglob

# 2: usage errors.
run_cli no-such-file 2 run "$tmp/does_not_exist.cir" --out "$tmp/o5"
run_cli bad-option 2 run "$ex" --no-such-option
run_cli bad-command 2 frobnicate
run_cli bad-format 2 run "$ex" --out "$tmp/o6" --format xlsx

echo "cli: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
