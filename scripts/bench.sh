#!/usr/bin/env bash
# bench.sh — build weft and weftc (Release) and run the benchmark kernels under weft (the
# .wasm interpreted, and compiled ahead of time by weftc) and natively.
# Prints `kernel  n  native_s  weft_s  ratio  aot_s  aot_ratio  runs  checksum` rows, the
# thread rows under `threads:`, then `geomean interp/native: R`, `geomean aot/native: R`
# (CPU kernels), `geomean threads interp/native: R`, `geomean threads aot/native: R`, and
# weftc's compile time per kernel (seconds and seconds per MB of wasm).
# Arguments go to bench/bench.py (kernel names, --native-only, --smoke, --build-only,
# --no-aot); BENCH_RUNS (default 5) sets the repetitions per kernel, WEFTC_FLAGS adds weftc
# options (e.g. --opt-level=3).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ -z "${WEFT:-}" ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j "${JOBS:-$(nproc 2>/dev/null || echo 2)}" >/dev/null
fi
exec python3 bench/bench.py "$@"
