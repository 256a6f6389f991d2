# Two commands set everything up on a fresh Debian 12 machine: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: all bootstrap build demo test test-asan fuzz-build fuzz bench clean

all: build

bootstrap:
	@bash scripts/bootstrap.sh

$(BUILD)/build.ninja: CMakeLists.txt | bootstrap
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: bootstrap $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)/bin/outflow

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite (unit + golden tests) under ASan + UBSan: any report fails the run.
test-asan: bootstrap
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOUTFLOW_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
	  UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (clang, ASan + UBSan) in build-fuzz/fuzz/; `make fuzz` runs each for
# FUZZ_SECONDS from the seed corpora (fuzz/make_seeds.py), one at a time. See docs/robustness.md.
fuzz-build: bootstrap
	CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOUTFLOW_FUZZ=ON \
	  -DOUTFLOW_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build build-fuzz -j $(JOBS)

fuzz: fuzz-build
	bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
