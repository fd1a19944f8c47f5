# Convenience targets; see README.md. The build lives in build/ (executables in build/bin/).
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=Release
ifneq ($(shell command -v ccache 2>/dev/null),)
CMAKE_FLAGS += -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
endif
# ccache outside the clone, shared by every clone and by scripts/*.sh.
export CCACHE_DIR ?= $(HOME)/.cache/simcore-ccache
# Paths below the clone hashed relative to it: clones and worktrees elsewhere share the cache.
export CCACHE_BASEDIR ?= $(CURDIR)
# Example for `make run` (pass EXAMPLE=examples/other.cir to change it).
EXAMPLE ?=

.PHONY: build test unit conformance smoke clean run setup

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The parameter tables of docs/devices.md, from the device descriptors
# (ctest's device_docs_up_to_date fails when they are stale).
.PHONY: docs
docs: build
	$(BUILD)/bin/simcore_gen_docs --write docs/devices.md

conformance: build
	python3 tests/conformance/run.py --simcore $(BUILD)/bin/simcore

smoke: build
	SIMCORE=$(BUILD)/bin/simcore ./scripts/smoke_cli.sh

test: unit conformance smoke

# Install the Debian packages the build needs (idempotent).
setup:
	./scripts/setup.sh

# Build and simulate an example; results go to out/.
run:
	BUILD=$(BUILD) ./scripts/run.sh $(EXAMPLE)

clean:
	rm -rf $(BUILD)

# Benchmark against ngspice, see bench/README.md (e.g. BENCH_ARGS="--only rc_1m --rounds 3"),
# then the WebAssembly engine (Node) against the native one (wasm/bench.mjs), then the
# power-electronics table (bench-power).
.PHONY: bench bench-quick bench-power bench-capi
bench: build wasm
	python3 bench/run.py --simcore $(BUILD)/bin/simcore $(BENCH_ARGS)
	node wasm/bench.mjs --simcore $(BUILD)/bin/simcore --bench-circuits
	python3 bench/power.py --simcore $(BUILD)/bin/simcore $(POWER_ARGS)

# Power electronics: simcore event mode vs ngspice vs Pulsim (installed by bench/power.py into
# bench/.venv-power), e.g. POWER_ARGS="--only buck vsi3 --rounds 3"; writes bench/results/power.*
bench-power: build
	python3 bench/power.py --simcore $(BUILD)/bin/simcore $(POWER_ARGS)

bench-quick: build
	python3 bench/run.py --simcore $(BUILD)/bin/simcore --quick $(BENCH_ARGS)

# Web app (web/, React + Vite, offline PWA) into web/dist/; it bundles the wasm
# engine when wasm/src/engine.ts exists (and builds it first when there is a wasm target).
.PHONY: web web-test e2e
web:
	@if grep -q '^wasm:' Makefile; then $(MAKE) wasm; fi
	cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build

web-test:  # the policy tests use the engine's describe() from build/wasm
	@if grep -q '^wasm:' Makefile; then $(MAKE) wasm; fi
	cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test

# Playwright (playwright-core + Debian's /usr/bin/chromium) against the built app.
e2e: web
	cd e2e && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && node --test --test-concurrency=1 tests/

# WebAssembly engine: build/wasm/simcore.{mjs,wasm} with Debian's emscripten (see wasm/README.md).
.PHONY: wasm wasm-test wasm-conformance wasm-bench
wasm:
	./wasm/build.sh

wasm-test: wasm build
	cd wasm && { test -d node_modules || npm ci --no-audit --no-fund; } && npx tsc -p tsconfig.json
	SIMCORE=$(BUILD)/bin/simcore node --test wasm/test/

wasm-conformance: wasm
	python3 tests/conformance/run.py --runner wasm

wasm-bench: wasm build
	node wasm/bench.mjs --simcore $(BUILD)/bin/simcore $(BENCH_ARGS)
	cd wasm && npx tsc -p tsconfig.json && node bench_first_run.mjs

# What a call through libsimcore's C API costs (bench/capi_overhead.c, docs/capi.md).
bench-capi: build
	cmake --build $(BUILD) --target simcore_capi_overhead
	$(BUILD)/bin/simcore_capi_overhead examples/buck_converter.cir
