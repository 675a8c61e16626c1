#!/usr/bin/env bash
# bench.sh — build weft (Release) and run the benchmark kernels under it and natively.
# Prints `kernel  n  native_s  weft_s  ratio  checksum` rows, the two-thread rows under
# `threads:`, then `geomean interp/native: R` (CPU kernels) and
# `geomean threads interp/native: R`.
# Arguments go to bench/bench.py (kernel names, --native-only, --smoke, --build-only);
# BENCH_RUNS (default 5) sets the repetitions per kernel.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ -z "${WEFT:-}" ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j "${JOBS:-$(nproc 2>/dev/null || echo 2)}" >/dev/null
fi
exec python3 bench/bench.py "$@"
