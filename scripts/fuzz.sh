#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan, and run each for a bounded
# time on a corpus seeded from the repository's netlists:
#   fuzz_netlist   netlist text -> ir::Circuit or a located error (with .include/.lib)
#   fuzz_simulate  netlist text -> a finished run or an error (small unknown/time-point limits)
#   fuzz_codec     the HTTP port's gRPC-Web framing, base64 text mode, percent coding, timeouts
#   fuzz_limits    the server's limits file (TOML and the deprecated INI form), round trip
#   fuzz_plecs_xml the PLECS semiconductor loss-file reader
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]      (default: 20 s each, every target)
# Installs clang-14 and its runtime (libclang-rt-14-dev) from apt when missing. The build lives in
# $BUILD_FUZZ (default build-fuzz), the growing corpus in $BUILD_FUZZ/corpus/<target>, inputs that
# crashed in $BUILD_FUZZ/crashes/<target>/. Prints "<target>: N executions, C crashes" per target
# and a last line "fuzz: N passed, N failed" (a target passes when it ran without a crash).
# Inputs that once crashed are kept in tests/fuzz/regressions/ and seed every run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SIMCORE_ROOT"

seconds="${1:-20}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(fuzz_netlist fuzz_simulate fuzz_codec fuzz_limits fuzz_plecs_xml)
BUILD_FUZZ="${BUILD_FUZZ:-build-fuzz}"
logdir="${TMPDIR:-/tmp}/simcore-test-logs"
mkdir -p "$logdir"

CLANG=clang-14
CLANGXX=clang++-14
rt="$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -n 1 || true)"
if ! command -v "$CLANGXX" >/dev/null || [ -z "$rt" ]; then
  say "installing clang-14 and libclang-rt-14-dev (apt)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
    clang-14 libclang-rt-14-dev >"$logdir/fuzz-apt.log" 2>&1 ||
    { tail -n 20 "$logdir/fuzz-apt.log"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi

say "build ($BUILD_FUZZ/, clang, ASan + UBSan + libFuzzer)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if ! { cmake -S . -B "$BUILD_FUZZ" -G Ninja -DSIMCORE_FUZZ=ON -DCMAKE_BUILD_TYPE=Release \
         -DCMAKE_C_COMPILER="$CLANG" -DCMAKE_CXX_COMPILER="$CLANGXX" "${launcher[@]}" &&
       cmake --build "$BUILD_FUZZ" -j "$JOBS" --target "${targets[@]}"; } >"$logdir/fuzz-build.log" 2>&1; then
  tail -n 40 "$logdir/fuzz-build.log"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi

# seed_dir TARGET: a folder of seed inputs for the target (made once per build folder)
seed_dir() {
  local d="$BUILD_FUZZ/seeds/$1"
  if [ ! -d "$d" ]; then
    mkdir -p "$d"
    case "$1" in
      fuzz_netlist | fuzz_simulate)
        local i=0 f
        for f in tests/fuzz/regressions/*.cir tests/bad_netlists/*.cir examples/*.cir bench/power/*.cir tests/hard/*.cir \
                 tests/compat/cider*.cir "$SIMCORE_CIRCUITS"/*/*.cir; do
          [ -f "$f" ] || continue
          # fuzz_simulate skips inputs over 4 KiB; keep the seeds it can use
          if [ "$1" = fuzz_simulate ] && [ "$(wc -c <"$f")" -gt 4096 ]; then continue; fi
          cp "$f" "$d/seed$((i += 1)).cir"
        done
        ;;
      fuzz_limits)
        printf '[role.user]\nmax_jobs = 2\n[user.alice]\nmax_wall_seconds = 30.5\n' >"$d/a.toml"
        printf '[user "bob"]\nmax_unknowns = 1000\n' >"$d/b.toml"
        printf '[role user]\nmax_jobs = 3\nmax_memory_mb = 512\n' >"$d/legacy.ini"
        ;;
      fuzz_plecs_xml)
        local j=0 x
        for x in models/devices/*.xml tests/bad_plecs/*.xml; do
          [ -f "$x" ] && cp "$x" "$d/seed$((j += 1)).xml"
        done
        ;;
      fuzz_codec)
        printf '\x05\x00\x00\x00\x00\x03abc\x80\x00\x00\x00\x0fgrpc-status: 0\r\n' >"$d/frames"
        printf '\x00AAAAAgoI\x3d\x3d' >"$d/b64"
        printf '\x03%%41%%zz 10S' >"$d/pct"
        printf '\x0199999999H' >"$d/timeout"
        ;;
    esac
  fi
  echo "$d"
}

pass=0
fail=0
for tgt in "${targets[@]}"; do
  corpus="$BUILD_FUZZ/corpus/$tgt"
  crashes="$BUILD_FUZZ/crashes/$tgt"
  mkdir -p "$corpus" "$crashes"
  seeds="$(seed_dir "$tgt")"
  log="$logdir/$tgt.log"
  rc=0
  # -timeout: one input may take at most 10 s (a hang is a finding); -rss_limit_mb bounds memory.
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$BUILD_FUZZ/bin/$tgt" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$seeds" >"$log" 2>&1 || rc=$?
  runs="$(grep -E '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}')"
  found="$(find "$crashes" -type f | wc -l)"
  echo "$tgt: ${runs:-0} executions, $found crashes (corpus $(find "$corpus" -type f | wc -l) inputs, log $log)"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ] || [ -z "$runs" ]; then
    grep -E 'ERROR|SUMMARY|runtime error|deadly signal|Test unit written' "$log" | head -n 20 || true
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
