#!/usr/bin/env bash
# Install what is needed, build, and run every test:
#   1. unit         GoogleTest unit tests through ctest
#   2. conformance  tests/conformance/run.py over every circuit of ../shared/circuits
#   3. cli          scripts/smoke_cli.sh (exit codes 0/1/2, FILE:LINE:COL diagnostics)
#   4. server       simcore serve: C++ unit tests run by ctest, pytest integration tests
#   5. py           the Python package (py/test.sh)
#   6. wasm         the WebAssembly engine: build, node:test, conformance through wasm
#   7. web          vitest and the production build of the web app
#   8. e2e          Playwright in Debian's chromium against the built app
#   9. fuzz         scripts/fuzz.sh: libFuzzer targets under ASan/UBSan (clang), 20 s each
#   py           py/test.sh: the Python package (pip install ./py into build/venv), pytest py/tests
#   server       tests/server/*.py: `simcore serve` over gRPC (pytest in $BUILD/venv, grpcio from PyPI)
# The last line is `N passed, N failed`, summed over the groups (an expected failure of the
# conformance suite, XFAIL, counts as passed: it does not fail the run). Exit 1 on any failure.
# Environment: SIMCORE_CIRCUITS (suite folder), JOBS, BUILD, CCACHE_DIR,
# SIMCORE_CONFORMANCE_TIMEOUT, SIMCORE_CONFORMANCE_JOBS (default 2).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$SIMCORE_ROOT"

t_all="$(now)"
total_pass=0
total_fail=0
summary=()
logdir="${TMPDIR:-/tmp}/simcore-test-logs"
mkdir -p "$logdir"

# record GROUP PASSED FAILED SECONDS
record() {
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
  summary+=("$(printf '%-12s %4d passed, %d failed  (%s s)' "$1" "$2" "$3" "$4")")
}

finish() {
  echo
  say "summary ($(elapsed "$t_all") s)"
  for line in "${summary[@]}"; do echo "  $line"; done
  echo "$total_pass passed, $total_fail failed"
  [ "$total_fail" -eq 0 ]
  exit $?
}

# count_summary PREFIX LOG RC -> "PASS FAIL" from the last "PREFIX: N passed, N failed"
# line of LOG; no such line, or a non-zero exit RC with no failure counted, is a failure.
count_summary() {
  local line p f
  line="$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed$" "$2" | tail -n 1 || true)"
  if [ -n "$line" ]; then
    p="$(sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/' <<<"$line")"
    f="$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")"
  else
    p=0
    f=1
  fi
  if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "$p $f"
}

# --- setup + build -------------------------------------------------------------------------
t="$(now)"
./scripts/setup.sh
./scripts/parquet_sdk.sh
say "build ($BUILD/, -j $JOBS, ccache in $CCACHE_DIR)"
command -v ccache >/dev/null && ccache -z >/dev/null 2>&1 || true  # statistics of this build only
if ! make --no-print-directory build BUILD="$BUILD" JOBS="$JOBS" >"$logdir/build.log" 2>&1; then
  tail -n 60 "$logdir/build.log"
  echo "build failed (full log: $logdir/build.log)"
  record build 0 1 "$(elapsed "$t")"
  finish
fi
record build 1 0 "$(elapsed "$t")"
command -v ccache >/dev/null && ccache -s 2>/dev/null | grep -iE 'hits|misses' | head -n 3 | sed 's/^/  ccache: /' || true

# --- 1. unit tests ---------------------------------------------------------------------------
t="$(now)"
say "unit tests (ctest)"
rc=0
(cd "$BUILD" && ctest --output-on-failure -j "$JOBS" --timeout 300) >"$logdir/ctest.log" 2>&1 || rc=$?
# ctest ends with "NN% tests passed, F tests failed out of T"; show the failures, not every test.
grep -E 'tests passed|\*\*\*Failed|\*\*\*Timeout|\*\*\*Exception|Not Run|Errors while running' "$logdir/ctest.log" | head -n 40 || true
line="$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$logdir/ctest.log" | tail -n 1 || true)"
if [ -n "$line" ]; then
  u_fail="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
  u_total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")"
  u_pass=$((u_total - u_fail))
else
  echo "ctest gave no summary (exit $rc); log: $logdir/ctest.log"
  tail -n 20 "$logdir/ctest.log"
  u_pass=0
  u_fail=1
fi
if [ "$rc" -ne 0 ] && [ "$u_fail" -eq 0 ]; then u_fail=1; fi
[ "$u_fail" -ne 0 ] && echo "  full output: $logdir/ctest.log"
record unit "$u_pass" "$u_fail" "$(elapsed "$t")"

# --- 2. conformance --------------------------------------------------------------------------
t="$(now)"
say "conformance ($SIMCORE_CIRCUITS)"
rc=0
python3 tests/conformance/run.py --simcore "$BUILD/bin/simcore" --circuits "$SIMCORE_CIRCUITS" \
  --json "$logdir/conformance.json" --markdown "$logdir/conformance.md" | tee "$logdir/conformance.log" || rc=$?
read -r c_pass c_fail <<<"$(count_summary conformance "$logdir/conformance.log" "$rc")"
echo "  table for README.md: $logdir/conformance.md"
record conformance "$c_pass" "$c_fail" "$(elapsed "$t")"

# --- 3. CLI smoke test -----------------------------------------------------------------------
t="$(now)"
say "cli smoke test"
rc=0
SIMCORE="$BUILD/bin/simcore" ./scripts/smoke_cli.sh | tee "$logdir/cli.log" || rc=$?
read -r s_pass s_fail <<<"$(count_summary cli "$logdir/cli.log" "$rc")"
record cli "$s_pass" "$s_fail" "$(elapsed "$t")"

# --- fuzzing: each libFuzzer target for a bounded time under ASan/UBSan ----------------------------
t="$(now)"
say "fuzz (scripts/fuzz.sh, ${SIMCORE_FUZZ_SECONDS:-20} s per target)"
rc=0
./scripts/fuzz.sh "${SIMCORE_FUZZ_SECONDS:-20}" | tee "$logdir/fuzz.log" || rc=$?
read -r z_pass z_fail <<<"$(count_summary fuzz "$logdir/fuzz.log" "$rc")"
record fuzz "$z_pass" "$z_fail" "$(elapsed "$t")"

# --- 4. server integration tests -------------------------------------------------------------
# When the server was built (its stubs and module exist); the venv is made once and reused.
# Its dependencies installed (what app/CMakeLists.txt looks for) but no server built
# is a failure, not a skip; only a build configured with -DSIMCORE_SERVER=OFF skips it then.
server_deps=0
if command -v pkg-config >/dev/null && pkg-config --exists grpc++ protobuf sqlite3 libjwt spdlog 2>/dev/null &&
  command -v protoc >/dev/null && command -v grpc_cpp_plugin >/dev/null; then
  server_deps=1
fi
if [ -f "$BUILD/gen/simcore/v1/simulator.pb.h" ] && [ -f "$BUILD/bin/libsimcore_server.so" ]; then
  t="$(now)"
  say "server (tests/server, pytest)"
  venv="$BUILD/venv"
  rc=0
  if ! "$venv/bin/python" -c 'import grpc, grpc_tools, pytest, h5py, pyarrow, duckdb' 2>/dev/null; then
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q grpcio grpcio-tools pytest h5py pyarrow duckdb; } >"$logdir/venv.log" 2>&1 || rc=$?
  fi
  if [ "$rc" -eq 0 ]; then
    SIMCORE="$BUILD/bin/simcore" SIMCORE_PY_GEN="$BUILD/py-gen" \
      "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/server >"$logdir/server.log" 2>&1 || rc=$?
    tail -n 12 "$logdir/server.log"
  else
    echo "  cannot create $venv (log: $logdir/venv.log)"
  fi
  line="$(grep -E '^[=]* ?[0-9]+ (passed|failed)' "$logdir/server.log" 2>/dev/null | tail -n 1 || true)"
  v_pass="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  v_fail="$({ grep -oE '[0-9]+ (failed|errors?)' <<<"$line" || true; } | awk '{s += $1} END {print s + 0}')"
  if [ "$rc" -ne 0 ] && [ "${v_fail:-0}" -eq 0 ]; then v_fail=1; fi
  record server "${v_pass:-0}" "${v_fail:-0}" "$(elapsed "$t")"
elif grep -q '^SIMCORE_SERVER:BOOL=OFF' "$BUILD/CMakeCache.txt" 2>/dev/null; then
  say "server: skipped (configured with -DSIMCORE_SERVER=OFF)"
elif [ "$server_deps" -eq 1 ]; then
  say "server (tests/server, pytest)"
  echo "  the server's dependencies are installed but $BUILD has no server ($BUILD/bin/libsimcore_server.so,"
  echo "  $BUILD/gen/simcore/v1/simulator.pb.h); see the cmake lines of $logdir/build.log"
  grep -E 'server dependencies missing' "$logdir/build.log" 2>/dev/null | head -n 3 || true
  record server 0 1 "0.0"
else
  say "server: skipped (its dependencies are not installed; scripts/setup.sh installs them)"
fi

# --- Python package ------------------------------------------------------------------------
t="$(now)"
say "python package (py/test.sh)"
rc=0
./py/test.sh | tee "$logdir/py-run.log" || rc=$?
read -r p_pass p_fail <<<"$(count_summary py "$logdir/py-run.log" "$rc")"
record py "$p_pass" "$p_fail" "$(elapsed "$t")"


# --- WebAssembly engine: build, node tests, every circuit through wasm ----------------------
# count_node_test LOG -> "PASS FAIL" from node --test's "# pass N" / "# fail N" lines
count_node_test() {
  local p f
  p="$(grep -E '^# pass [0-9]+' "$1" | tail -n 1 | awk '{print $3}')"
  f="$(grep -E '^# fail [0-9]+' "$1" | tail -n 1 | awk '{print $3}')"
  echo "${p:-0} ${f:-1}"
}
t="$(now)"
say "wasm (make wasm, node:test, conformance through wasm)"
w_pass=0
w_fail=0
if make --no-print-directory wasm >"$logdir/wasm-build.log" 2>&1; then
  w_pass=$((w_pass + 1))
  grep -E 'bytes gzip' "$logdir/wasm-build.log" | tail -n 1 | sed 's/^/  /' || true
  rc=0
  (cd wasm && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npx tsc -p tsconfig.json) \
    >"$logdir/wasm-tsc.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    SIMCORE="$BUILD/bin/simcore" node --test wasm/test/ >"$logdir/wasm-node.log" 2>&1 || true
    read -r np nf <<<"$(count_node_test "$logdir/wasm-node.log")"
    echo "  node:test: $np passed, $nf failed"
    w_pass=$((w_pass + np))
    w_fail=$((w_fail + nf))
  else
    echo "  TypeScript build of wasm/ failed (log: $logdir/wasm-tsc.log)"
    w_fail=$((w_fail + 1))
  fi
  rc=0
  python3 tests/conformance/run.py --runner wasm --circuits "$SIMCORE_CIRCUITS" \
    --json "$logdir/conformance-wasm.json" >"$logdir/conformance-wasm.log" 2>&1 || rc=$?
  read -r cp cf <<<"$(count_summary conformance "$logdir/conformance-wasm.log" "$rc")"
  echo "  conformance: $cp passed, $cf failed (through wasm)"
  [ "$cf" -ne 0 ] && tail -n 20 "$logdir/conformance-wasm.log"
  w_pass=$((w_pass + cp))
  w_fail=$((w_fail + cf))
else
  tail -n 40 "$logdir/wasm-build.log"
  echo "  wasm build failed (log: $logdir/wasm-build.log)"
  w_fail=1
fi
record wasm "$w_pass" "$w_fail" "$(elapsed "$t")"

# --- web app: vitest, production build ---------------------------------------------------------
t="$(now)"
say "web (vitest, production build)"
b_pass=0
b_fail=0
rc=0
(cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && NO_COLOR=1 npx vitest run) >"$logdir/web-test.log" 2>&1 || rc=$?
# (colour codes stripped in case the reporter ignores NO_COLOR)
line="$(sed -E 's/\x1b\[[0-9;]*m//g' "$logdir/web-test.log" | grep -E '^ *Tests +' | tail -n 1 || true)"
vp="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
vf="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
if [ "$vp" -eq 0 ] && [ "$vf" -eq 0 ]; then vf=1; fi  # no summary line: count it as a failure
if [ "$rc" -ne 0 ] && [ "$vf" -eq 0 ]; then vf=1; fi
[ "$vf" -ne 0 ] && tail -n 30 "$logdir/web-test.log"
echo "  vitest: $vp passed, $vf failed"
b_pass=$((b_pass + vp))
b_fail=$((b_fail + vf))
if (cd web && npm run build) >"$logdir/web-build.log" 2>&1; then
  b_pass=$((b_pass + 1))
else
  tail -n 30 "$logdir/web-build.log"
  b_fail=$((b_fail + 1))
fi
record web "$b_pass" "$b_fail" "$(elapsed "$t")"

# --- end-to-end: Playwright (playwright-core + Debian's chromium) against web/dist -------------
t="$(now)"
say "e2e (Playwright in $(command -v chromium || echo 'no chromium'))"
rc=0
(cd e2e && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && node --test --test-concurrency=1 tests/) \
  >"$logdir/e2e.log" 2>&1 || rc=$?
read -r ep ef <<<"$(count_node_test "$logdir/e2e.log")"
if [ "$rc" -ne 0 ] && [ "$ef" -eq 0 ]; then ef=1; fi
[ "$ef" -ne 0 ] && tail -n 40 "$logdir/e2e.log"
echo "  e2e: $ep passed, $ef failed"
record e2e "$ep" "$ef" "$(elapsed "$t")"

finish
