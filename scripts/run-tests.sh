#!/usr/bin/env bash
# run-tests.sh — build weft and run every test program; print the sum of their results.
#
# Steps (each prints its own "X passed, Y failed" summary line, possibly followed by
# ", K skipped"):
#   1. Release build in build/, then `ctest --test-dir build --output-on-failure`
#      (each test program's counts are summed by scripts/ctest-summary.py);
#   2. threads-repeat: the concurrency tests (weft-threads-test) THREADS_REPEAT times in
#      a row (default 20); every run's counts are summed, so any failing run fails;
#      pthread-repeat: the pthread programs (tests/apps/pthread) PTHREAD_REPEAT times in a
#      row (default 20) under build/weft;
#   3. sanitized build (ASan + UBSan, RelWithDebInfo) in build-asan/, then
#      build-asan/weft-unit, build-asan/weft-spec over the core spec suite, and the
#      natives, embed, threads, apps, pthread and WASI programs (tests/apps/wasi, with
#      the pthread programs through the WASI and emcc routes) against the sanitized library;
#      the libc-builtin and pthread programs compiled by weftc and run as .aot files under
#      the sanitized weft (asan-apps-aot, asan-pthread-aot);
#   4. tsan: ThreadSanitizer build of weft-threads-test and the weft CLI in build-tsan/,
#      one run of weft-threads-test and one of the pthread programs under that weft (any
#      ThreadSanitizer report fails the step); prints how long build+runs took;
#   5. bench smoke test: every bench kernel's check() under build/weft (the .wasm, and the
#      .aot compiled by build/weftc) vs natively;
#   6. the samples (scripts/sample.sh: hello.wat and the C hello-c; counted as one test).
# A step that crashes or prints no summary counts as one failure. The last line is the
# total "N passed, M failed"; the exit code is non-zero if anything failed.
#
# Environment: JOBS (parallel build jobs, default nproc), SKIP_ASAN=1 (skip step 3),
# SKIP_TSAN=1 (skip step 4), THREADS_REPEAT (step 2's run count, default 20; 0 skips
# it), PTHREAD_REPEAT (the pthread programs' round count in step 2, default 20; 0 skips
# it), SPEC_DIR (the testsuite checkout with core/; weft-spec finds
# ../shared/wasm-testsuite by itself).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
logdir=$root/build/test-logs
total_pass=0
total_fail=0
summary=()

note() { printf '\n=== %s\n' "$*"; }

# record NAME PASSED FAILED: add one step's counts to the totals.
record() {
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
  summary+=("$(printf '%-22s %6d passed, %4d failed' "$1" "$2" "$3")")
}

# run_step NAME CMD...: runs CMD with output to the terminal and a log; takes the last
# "X passed, Y failed" line it printed. No such line (or a crash after it) => 1 failure.
run_step() {
  local name=$1
  shift
  local log=$logdir/$name.log rc=0 line p f
  note "$name: $*"
  "$@" 2>&1 | tee "$log" || rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1 || true)
  if [[ -n "$line" ]]; then
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
      echo "$name: exit status $rc with no failures reported; counting one failure"
      f=1
    fi
  else
    if [[ $rc -eq 0 ]]; then p=1; f=0; else p=0; f=1; fi
    echo "$name: no 'X passed, Y failed' line; exit status $rc counts as $p passed, $f failed"
  fi
  record "$name" "$p" "$f"
}

# configure_build NAME DIR CMAKE_ARGS...: configure and build. A failed build counts as
# one failure (step NAME) and returns non-zero so the steps that need it are skipped.
configure_build() {
  local name=$1 dir=$2
  shift 2
  note "$name: cmake -B $dir $*"
  if cmake -S "$root" -B "$dir" "$@" >"$logdir/$name.log" 2>&1 &&
    cmake --build "$dir" -j "$jobs" >>"$logdir/$name.log" 2>&1; then
    echo "$name: ok"
    return 0
  fi
  tail -n 40 "$logdir/$name.log"
  echo "$name: FAILED (full log: $logdir/$name.log)"
  record "$name" 0 1
  return 1
}

# ctest_step: ctest over build/, then the sum of every test program's own
# "X passed, Y failed" line (from ctest's full log; see scripts/ctest-summary.py).
ctest_step() {
  local rc=0
  ctest --test-dir build --output-on-failure -j "$jobs" || rc=$?
  echo "--- per test program:"
  python3 "$root/scripts/ctest-summary.py" build || rc=1
  return "$rc"
}

# find_exe BUILD_DIR NAME: the built executable NAME (at the top of BUILD_DIR or below).
find_exe() {
  if [[ -x "$1/$2" ]]; then
    echo "$1/$2"
  else
    find "$1" -type f -name "$2" -perm -u+x 2>/dev/null | head -n 1
  fi
}

# spec_step RUNNER: the spec runner over the core suite (it runs wast2json itself, each
# file in a forked child; its last line is "N passed, M failed, K skipped").
spec_step() {
  local runner=$1 args=(--timeout 900)
  if [[ -n "${SPEC_DIR:-}" ]]; then
    args+=(--testsuite "$SPEC_DIR/core")
  fi
  "$runner" "${args[@]}"
}

# threads_repeat EXE N: runs the concurrency tests N times in a row (each within 300 s).
# Prints each run's summary (and its FAIL lines), then the sum of all runs as
# "P passed, F failed"; a run without a summary line (a crash or hang) counts as one
# failure.
threads_repeat() {
  local exe=$1 n=$2 i rc out line p=0 f=0 clean=0 rp rf
  for ((i = 1; i <= n; i++)); do
    rc=0
    out=$(timeout -k 10 300 "$exe" 2>&1) || rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1 || true)
    if [[ -z "$line" ]]; then
      echo "run $i: no summary line (exit status $rc); last output:"
      tail -n 20 <<<"$out"
      f=$((f + 1))
      continue
    fi
    rp=${line%% passed*}
    rf=${line#*passed, }
    rf=${rf%% failed*}
    if [[ $rc -ne 0 && $rf -eq 0 ]]; then rf=1; fi
    p=$((p + rp))
    f=$((f + rf))
    [[ $rf -eq 0 ]] && clean=$((clean + 1))
    echo "run $i: $line $(grep -E '^\([0-9.]+ s\)$' <<<"$out" || true)"
    grep -E '^FAIL ' <<<"$out" || true
  done
  echo "$clean of $n runs without failures"
  echo "$p passed, $f failed"
}

# tsan_step EXE: runs EXE under ThreadSanitizer (halt on the first report). Any report
# counts as one more failure on top of EXE's own summary.
tsan_step() {
  local exe=$1 rc=0 out line p f
  out=$(TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
    timeout -k 10 600 "$exe" 2>&1) || rc=$?
  printf '%s\n' "$out"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1 || true)
  if grep -q 'ThreadSanitizer' <<<"$out"; then
    p=0 f=0
    if [[ -n "$line" ]]; then
      p=${line%% passed*}
      f=${line#*passed, }
      f=${f%% failed*}
    fi
    echo "tsan: ThreadSanitizer reported a problem (exit status $rc)"
    echo "$p passed, $((f + 1)) failed"
    return 1
  fi
  return "$rc"
}

# SPEC_DIR also steers the spec tests that ctest runs (weft-spec reads WEFT_TESTSUITE).
if [[ -n "${SPEC_DIR:-}" ]]; then
  export WEFT_TESTSUITE=$SPEC_DIR/core
fi

mkdir -p "$root/build"
"$root/scripts/deps.sh"
rm -rf "$logdir"
mkdir -p "$logdir"

# 1. Release build and ctest.
release_ok=1
configure_build build "$root/build" -DCMAKE_BUILD_TYPE=Release || release_ok=0
if [[ $release_ok -eq 1 ]]; then
  run_step ctest ctest_step
  # 2. The concurrency tests, repeated.
  repeat=${THREADS_REPEAT:-20}
  if [[ $repeat -gt 0 ]]; then
    tt=$(find_exe build weft-threads-test)
    if [[ -n "$tt" ]]; then
      run_step threads-repeat threads_repeat "$tt" "$repeat"
    else
      echo "build: weft-threads-test missing"; record threads-repeat 0 1
    fi
  fi
  # The pthread programs, repeated (the 10,000-cycle stress only in the first round).
  prepeat=${PTHREAD_REPEAT:-20}
  if [[ $prepeat -gt 0 ]]; then
    run_step pthread-repeat "$root/tests/apps/pthread/run-pthread.sh" --repeat "$prepeat" \
      "$root/build/weft" "$root/build/pthread-repeat-out"
  fi
fi

# 3. Sanitized build: unit tests and the spec suite under ASan/UBSan.
if [[ "${SKIP_ASAN:-0}" != 1 ]] &&
  configure_build build-asan "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_SANITIZE=ON; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  unit=$(find_exe build-asan weft-unit)
  if [[ -n "$unit" ]]; then
    run_step asan-unit "$unit"
  else
    echo "build-asan: weft-unit missing"; record asan-unit 0 1
  fi
  spec=$(find_exe build-asan weft-spec)
  if [[ -n "$spec" ]]; then
    run_step asan-spec spec_step "$spec"
  else
    echo "build-asan: weft-spec missing"; record asan-spec 0 1
  fi
  # The embedding API, natives, concurrency tests and libc-builtin apps under ASan too:
  # they exercise host calls, guest-pointer checks and the app heap.
  for t in natives:weft-natives-test embed:weft-embed-test threads:weft-threads-test; do
    exe=$(find_exe build-asan "${t#*:}")
    if [[ -n "$exe" ]]; then
      run_step "asan-${t%%:*}" "$exe"
    else
      echo "build-asan: ${t#*:} missing"; record "asan-${t%%:*}" 0 1
    fi
  done
  cli=$(find_exe build-asan weft)
  if [[ -n "$cli" ]]; then
    run_step asan-apps "$root/tests/apps/run-apps.sh" "$cli" "$root/build-asan/apps-out"
    run_step asan-pthread "$root/tests/apps/pthread/run-pthread.sh" --sanitized "$cli" \
      "$root/build-asan/pthread-out"
    # The WASI programs and the pthread programs through the WASI and emcc routes.
    run_step asan-wasi "$root/tests/apps/wasi/run-wasi.sh" --routes "$cli" \
      "$root/build-asan/wasi-out"
    # AOT code runs inside the sanitized runtime: loading, helpers, traps out of native
    # frames, thread teardown.
    weftc=$(find_exe build-asan weftc)
    if [[ -n "$weftc" ]]; then
      run_step asan-apps-aot "$root/tests/apps/run-apps.sh" --aot "$weftc" "$cli" \
        "$root/build-asan/apps-out-aot"
      run_step asan-pthread-aot "$root/tests/apps/pthread/run-pthread.sh" --sanitized \
        --aot "$weftc" "$cli" "$root/build-asan/pthread-out-aot"
    else
      echo "build-asan: weftc missing"; record asan-apps-aot 0 1; record asan-pthread-aot 0 1
    fi
  else
    echo "build-asan: weft missing"; record asan-apps 0 1; record asan-pthread 0 1
    record asan-wasi 0 1; record asan-apps-aot 0 1; record asan-pthread-aot 0 1
  fi
fi

# 4. ThreadSanitizer: only the concurrency tests, the weft CLI (and the library) are built.
if [[ "${SKIP_TSAN:-0}" != 1 ]]; then
  tsan_t0=$(date +%s)
  note "tsan-build: cmake -B $root/build-tsan -DWEFT_TSAN=ON (targets weft-threads-test, weft-cli)"
  if cmake -S "$root" -B "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_TSAN=ON \
      >"$logdir/tsan-build.log" 2>&1 &&
    cmake --build "$root/build-tsan" -j "$jobs" --target weft-threads-test weft-cli \
      >>"$logdir/tsan-build.log" 2>&1; then
    echo "tsan-build: ok (took $(($(date +%s) - tsan_t0)) s)"
    run_step tsan tsan_step "$(find_exe build-tsan weft-threads-test)"
    # The pthread programs under the TSan weft: run-pthread.sh fails any run whose stderr
    # has a ThreadSanitizer report (exitcode=66 also fails its status check).
    tsan_p0=$(date +%s)
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66 ${TSAN_OPTIONS:-}" \
      run_step tsan-pthread "$root/tests/apps/pthread/run-pthread.sh" --sanitized \
      "$(find_exe build-tsan weft)" "$root/build-tsan/pthread-out"
    echo "tsan-pthread: the pthread programs under TSan took $(($(date +%s) - tsan_p0)) s"
  else
    tail -n 40 "$logdir/tsan-build.log"
    echo "tsan-build: FAILED (full log: $logdir/tsan-build.log)"
    record tsan-build 0 1
  fi
  echo "tsan: build + runs took $(($(date +%s) - tsan_t0)) s"
fi

if [[ $release_ok -eq 1 ]]; then
  # 5. Bench kernels' check() under weft vs native.
  if [[ -x build/weft ]]; then
    run_step bench-smoke python3 bench/bench.py --smoke
  else
    echo "build/weft missing"; record bench-smoke 0 1
  fi
  # 6. The hello sample.
  run_step sample "$root/scripts/sample.sh"
fi

note "summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
