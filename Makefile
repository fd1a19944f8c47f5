# Convenience targets; see README.md. The build lives in build/ (executables in build/bin/).
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=Release
ifneq ($(shell command -v ccache 2>/dev/null),)
CMAKE_FLAGS += -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
endif

.PHONY: build test unit conformance clean run

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

conformance: build
	python3 tests/conformance/run.py --simcore $(BUILD)/bin/simcore

test: unit conformance

clean:
	rm -rf $(BUILD)

# Benchmark against ngspice, see bench/README.md (e.g. BENCH_ARGS="--only rc_1m --rounds 3").
.PHONY: bench bench-quick
bench: build
	python3 bench/run.py --simcore $(BUILD)/bin/simcore $(BENCH_ARGS)

bench-quick: build
	python3 bench/run.py --simcore $(BUILD)/bin/simcore --quick $(BENCH_ARGS)
