#!/usr/bin/env bash
# fuzz.sh — build the libFuzzer targets with clang in build-fuzz/ and run fuzz_load for
# FUZZ_SECONDS (default 600) on a corpus seeded with every module of the spec suite.
#
# Seeds: wast2json turns each core/*.wast into a .json plus its .wasm modules (valid and
# deliberately malformed/invalid ones alike); all .wasm files become seeds. New inputs go
# to build-fuzz/corpus, crashes to build-fuzz/artifacts/. The exit code is libFuzzer's:
# non-zero when it found a crash, leak or timeout.
# Environment: FUZZ_SECONDS, FUZZ_JOBS (parallel fuzzing processes, default 1),
# FUZZ_TIMEOUT (seconds one input may take before it counts as a hang, default 10),
# SPEC_DIR (default /work/shared/wasm-testsuite), CC (default clang).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-600}
fuzz_jobs=${FUZZ_JOBS:-1}
bdir=$root/build-fuzz
cc=${CC:-}
if [[ -z "$cc" || "$cc" == cc ]]; then
  cc=$(command -v clang || command -v clang-14 || true)
fi
[[ -n "$cc" ]] || { echo "fuzz: clang not found (run scripts/deps.sh)" >&2; exit 1; }

# The whole library gets coverage instrumentation (fuzzer-no-link) and ASan/UBSan, not
# only the fuzz target, so libFuzzer sees which decoder/validator paths an input reaches.
cmake -S . -B "$bdir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_FUZZ=ON \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$bdir" --target fuzz_load -j "${JOBS:-$(nproc 2>/dev/null || echo 2)}"

fuzzer=$(find "$bdir" -type f -name fuzz_load -perm -u+x | head -n 1)
[[ -n "$fuzzer" ]] || { echo "fuzz: no fuzz_load target was built (fuzz/CMakeLists.txt)" >&2; exit 1; }

# Seed corpus from the spec suite (rebuilt only when missing).
seeds=$bdir/seeds
if [[ ! -d "$seeds" ]] || [[ -z "$(ls -A "$seeds")" ]]; then
  spec=""
  for d in "${SPEC_DIR:-}" /work/shared/wasm-testsuite "$root/tests/spec/testsuite"; do
    if [[ -n "$d" && -d "$d/core" ]]; then spec=$d; break; fi
  done
  [[ -n "$spec" ]] || { echo "fuzz: spec suite not found (set SPEC_DIR)" >&2; exit 1; }
  tmp=$(mktemp -d)
  mkdir -p "$seeds"
  for w in "$spec"/core/*.wast; do
    base=$(basename "$w" .wast)
    mkdir -p "$tmp/$base"
    wast2json "$w" -o "$tmp/$base/$base.json" >/dev/null 2>&1 || continue
    for m in "$tmp/$base"/*.wasm; do
      [[ -e "$m" ]] && cp "$m" "$seeds/$base-$(basename "$m")"
    done
  done
  rm -rf "$tmp"
  echo "fuzz: $(ls "$seeds" | wc -l) seed modules from $spec/core"
fi

mkdir -p "$bdir/corpus" "$bdir/artifacts"
extra=()
if [[ "$fuzz_jobs" -gt 1 ]]; then
  # Parallel mode: libFuzzer writes each worker's output to fuzz-<n>.log in the cwd.
  extra=(-jobs="$fuzz_jobs" -workers="$fuzz_jobs")
  cd "$bdir"
fi
echo "fuzz: running $fuzzer for ${seconds}s"
exec "$fuzzer" "$bdir/corpus" "$seeds" \
  -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$bdir/artifacts/" -print_final_stats=1 "${extra[@]+"${extra[@]}"}"
