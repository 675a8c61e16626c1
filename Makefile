# Makefile — a thin layer over CMake. The real build is CMakeLists.txt.
#
#   make            configure and build Release into build/ (weft, weftc, weft-spec, tests)
#   make sample     build, then run samples/hello (42, fib(20)) and the C samples/hello-c
#   make test       install missing tools (scripts/deps.sh), build, run every test:
#                   ctest in build/ (unit, spec, threads; spec and apps also compiled by
#                   weftc: the *-aot tests), the concurrency tests 20x,
#                   weft-unit and the spec suite under ASan/UBSan in build-asan/, the
#                   concurrency tests under ThreadSanitizer in build-tsan/, bench kernels
#                   vs native; ends with "N passed, M failed"
#   make bench      benchmark kernels under build/weft vs native, interpreted and compiled
#                   ahead of time by build/weftc (the aot_s column), then the thread rows
#                   (atomic increments, wait/notify round trips, pthread create/join, mutex,
#                   cond) both ways, and weftc's compile time per kernel (scripts/bench.sh)
#   make fuzz       libFuzzer fuzz_load in build-fuzz/ for FUZZ_SECONDS (default 600)
#   make asan       only the sanitized build in build-asan/
#   make deps       only check/install the tools
#   make install    build, then install into PREFIX (default /usr/local): libweft (static and
#                   shared), weft.h, wasm_export.h, lib_export.h, the weft command, sdk/
#                   (share/weft/sdk, bin/weft-cc) and lib/pkgconfig/weft.pc
#   make clean      remove all build directories (build, build-asan, build-tsan, build-fuzz)

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 600
PREFIX ?= /usr/local
export JOBS FUZZ_SECONDS

.PHONY: all build asan deps test bench sample fuzz install clean

all: build

deps:
	@scripts/deps.sh

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
	cmake --build build -j $(JOBS)

asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)

test:
	scripts/run-tests.sh

bench: build
	WEFT=build/weft scripts/bench.sh

sample: build
	scripts/sample.sh

fuzz: deps
	scripts/fuzz.sh

install: build
	cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-fuzz build-tsan
