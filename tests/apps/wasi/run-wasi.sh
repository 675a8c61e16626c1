#!/usr/bin/env bash
# run-wasi.sh — build the WASI test programs and run them under weft.
#
# Usage: run-wasi.sh [--only NAMES] [--routes] [--no-wasi-apps] [--aot WEFTC] WEFT OUTDIR
#   --only NAMES    comma-separated program names (this directory's and the route runs'
#                   labels, e.g. wc,files,pthread-wasi/join_errors); default: all
#   --routes        also build tests/apps/pthread/*.c through the WASI route
#                   (weft-cc --wasi -pthread) and the emcc route (weft-cc --emcc -pthread)
#                   and run them with their .expected/.status/.stderr/.opts/.args
#                   (labels pthread-wasi/NAME, pthread-emcc/NAME; the emcc ones are
#                   skipped when emcc is not installed). emcc builds force-include
#                   emcc_compat.h (weft's microsecond pthread_cond_timedwait calls become
#                   emscripten's timespec form)
#   --no-wasi-apps  only the --routes runs
#   --aot WEFTC     compile every module with WEFTC (weftc; --enable-multi-thread for the
#                   -pthread builds, plus $WEFTC_FLAGS) to NAME.aot and run that instead,
#                   with the same checks
#
# Programs in this directory (built at test time):
#   NAME.c          built with `sdk/bin/weft-cc --wasi -O2` (Debian's wasi-libc:
#                   clang --target=wasm32-wasi), or with NAME.pthread present
#                   `weft-cc --wasi -pthread -O2` (the WASI route for threaded programs)
#   NAME.native     compare with the native build (gcc -O2) run the same way, instead of
#                   NAME.expected
#   NAME.expected   stdout, byte for byte (after sorting both when NAME.sort exists)
#   NAME.args       arguments, one per line;  NAME.opts  weft options, one per line
#   NAME.stdin      stdin (default /dev/null)
#   NAME.status     exit status (default 0);  NAME.stderr  lines stderr must contain
#                   (NAME.aot.stderr instead with --aot when present, see run-pthread.sh)
#   NAME.maxsecs    the run must end within this many seconds
# Every program runs in a fresh scratch directory made by fixture.sh
# (OUTDIR/NAME.scratch), as `cd SCRATCH && timeout 60 WEFT --dir=. OPTS NAME.wasm ARGS`;
# a sanitizer report in stderr (an ASan/TSan WEFT) fails the run.
# Ends with "N passed, M failed[, K skipped]"; exit status non-zero if anything failed.
set -euo pipefail

only=""
routes=0
apps=1
weftc=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --only) only=",$2,"; shift 2 ;;
    --routes) routes=1; shift ;;
    --no-wasi-apps) apps=0; shift ;;
    --aot) weftc=$2; shift 2 ;;
    *) echo "run-wasi.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
weft=${1:-$root/build/weft}
out=${2:-$root/build/tests/apps/wasi}
cc=$root/sdk/bin/weft-cc
mkdir -p "$out"
out=$(cd "$out" && pwd)
weft=$(cd "$(dirname "$weft")" && pwd)/$(basename "$weft")
# The private sysroot and emscripten cache live in the output directory.
export WEFT_WASI_SYSROOT=${WEFT_WASI_SYSROOT:-$out/wasi-sysroot}
export WEFT_EMCC_CACHE=${WEFT_EMCC_CACHE:-$out/emcc-cache}

passed=0 failed=0 skipped=0
pass() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
skip() { printf 'skip %s: %s\n' "$1" "$2"; skipped=$((skipped + 1)); }
finish() {
  if [[ $skipped -gt 0 ]]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [[ $failed -eq 0 ]]
  exit $?
}
wanted() { [[ -z $only || $only == *",$1,"* ]]; }

if [[ ! -x $weft ]]; then fail wasi-apps "weft is not built: $weft"; finish; fi
if [[ -n $weftc && ! -x $weftc ]]; then fail wasi-apps "weftc is not built: $weftc"; finish; fi
read -ra weftc_flags <<<"${WEFTC_FLAGS:-}"

# stderr_has LINE FILE (backtrace frames matched loosely under --aot)
. "$here/../stderr_has.sh"

# to_aot LABEL OUTBASE [WEFTC OPTIONS...]: sets prog to OUTBASE.wasm, or with --aot
# compiles it to OUTBASE.aot and sets prog to that; fails LABEL and returns 1 if weftc fails.
to_aot() {
  local label=$1 ob=$2
  shift 2
  prog=$ob.wasm
  [[ -z $weftc ]] && return 0
  prog=$ob.aot
  if ! "$weftc" "$@" "${weftc_flags[@]+"${weftc_flags[@]}"}" -o "$prog" "$ob.wasm" \
      >"$ob.weftc.log" 2>&1; then
    fail "$label" "weftc failed: $(head -c 400 "$ob.weftc.log" | tr '\n' ' ')"
    return 1
  fi
}

lines=()
read_lines() {
  lines=()
  if [[ -f $1 ]]; then mapfile -t lines <"$1"; fi
}

# run LABEL WASM_OR_EXE SCRATCH STDIN OUTBASE OPTS_FILE ARGS_FILE [native]: runs it in
# SCRATCH under timeout; sets rc and secs; stdout/stderr to OUTBASE.out/.err.
rc=0 secs=0
run() {
  local wasm=$2 scratch=$3 stdin=$4 ob=$5 optsf=$6 argsf=$7 native=${8:-} t0 opts args
  read_lines "$optsf"; opts=("${lines[@]+"${lines[@]}"}")
  read_lines "$argsf"; args=("${lines[@]+"${lines[@]}"}")
  t0=$(date +%s.%N)
  rc=0
  if [[ -n $native ]]; then
    (cd "$scratch" && timeout -k 5 60 "$wasm" "${args[@]+"${args[@]}"}" <"$stdin" >"$ob.out" 2>"$ob.err") || rc=$?
  else
    (cd "$scratch" && timeout -k 5 60 "$weft" --dir=. "${opts[@]+"${opts[@]}"}" "$wasm" \
      "${args[@]+"${args[@]}"}" <"$stdin" >"$ob.out" 2>"$ob.err") || rc=$?
  fi
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}

# check LABEL OUTBASE DIR NAME [EXPECTED_FILE]: compares stdout, status, stderr, time.
check() {
  local label=$1 ob=$2 dir=$3 name=$4 exp=${5:-$3/$4.expected} want=0 why="" maxsecs
  [[ -f $dir/$name.status ]] && want=$(tr -d ' \n' <"$dir/$name.status")
  # "info: " lines are timings (as in run-pthread.sh): not compared.
  grep -v '^info: ' "$ob.out" >"$ob.tmp" || true
  mv "$ob.tmp" "$ob.out.cmp"
  if [[ -f $dir/$name.sort ]]; then
    LC_ALL=C sort "$ob.out.cmp" >"$ob.cmp"
    LC_ALL=C sort "$exp" >"$ob.exp"
  else
    cp "$ob.out.cmp" "$ob.cmp"
    cp "$exp" "$ob.exp"
  fi
  if grep -qE 'ThreadSanitizer|AddressSanitizer|LeakSanitizer|runtime error:' "$ob.err"; then
    why="sanitizer report: $(grep -m1 -E 'ThreadSanitizer|AddressSanitizer|LeakSanitizer|runtime error:' "$ob.err")"
  elif [[ $rc -eq 124 || $rc -eq 137 ]]; then
    why="timed out (a hang); stderr: $(head -c 300 "$ob.err" | tr '\n' ' ')"
  elif ! cmp -s "$ob.cmp" "$ob.exp"; then
    why="stdout differs (status $rc): $(diff "$ob.exp" "$ob.cmp" | head -n 8 | tr '\n' '|') stderr: $(head -c 300 "$ob.err" | tr '\n' ' ')"
  elif [[ $rc -ne $want ]]; then
    why="exit status $rc, want $want; stderr: $(head -c 300 "$ob.err" | tr '\n' ' ')"
  fi
  local errf=$dir/$name.stderr
  [[ -n $weftc && -f $dir/$name.aot.stderr ]] && errf=$dir/$name.aot.stderr
  if [[ -z $why && -f $errf ]]; then
    local l
    while IFS= read -r l; do
      [[ -z $l ]] && continue
      stderr_has "$l" "$ob.err" || { why="stderr lacks: $l"; break; }
    done <"$errf"
  fi
  if [[ -z $why && -f $dir/$name.maxsecs ]]; then
    maxsecs=$(tr -d ' \n' <"$dir/$name.maxsecs")
    if awk -v s="$secs" -v m="$maxsecs" 'BEGIN { exit !(s > m) }'; then
      why="took ${secs}s, limit ${maxsecs}s"
    fi
  fi
  if [[ -z $why ]]; then pass "$label"; else fail "$label" "$why"; fi
}

# --- this directory's programs -----------------------------------------------------------
if [[ $apps -eq 1 ]]; then
  for src in "$here"/*.c; do
    name=$(basename "$src" .c)
    wanted "$name" || continue
    ob=$out/$name
    flags=(--wasi -O2 -Wall -Wextra)
    aflags=()
    [[ -f $here/$name.pthread ]] && flags+=(-pthread) && aflags+=(--enable-multi-thread)
    if ! "$cc" "${flags[@]}" "$src" -o "$ob.wasm" >"$ob.build.log" 2>&1; then
      fail "$name" "build failed: $(head -n 5 "$ob.build.log" | tr '\n' ' ')"
      continue
    fi
    to_aot "$name" "$ob" "${aflags[@]+"${aflags[@]}"}" || continue
    stdin=/dev/null
    [[ -f $here/$name.stdin ]] && stdin=$here/$name.stdin
    exp=$here/$name.expected
    if [[ -f $here/$name.native ]]; then
      if ! gcc -O2 -w "$src" -o "$ob.native" >>"$ob.build.log" 2>&1; then
        fail "$name" "native build failed"; continue
      fi
      "$here/fixture.sh" "$ob.native-scratch"
      run "$name" "$ob.native" "$ob.native-scratch" "$stdin" "$ob.native" /dev/null "$here/$name.args" native
      exp=$ob.native.out
    fi
    "$here/fixture.sh" "$ob.scratch"
    run "$name" "$prog" "$ob.scratch" "$stdin" "$ob" "$here/$name.opts" "$here/$name.args"
    check "$name" "$ob" "$here" "$name" "$exp"
  done
fi

# --- the pthread programs through the WASI and emcc routes -------------------------------
if [[ $routes -eq 1 ]]; then
  pdir=$root/tests/apps/pthread
  for route in wasi emcc; do
    mkdir -p "$out/pthread-$route"
    for src in "$pdir"/*.c; do
      name=$(basename "$src" .c)
      label=pthread-$route/$name
      wanted "$label" || continue
      if [[ $route == emcc ]] && ! command -v emcc >/dev/null 2>&1; then
        skip "$label" "emcc not installed"; continue
      fi
      extra=()
      # It declares pthread_cond_timedwait with a 64-bit count itself: a libc-builtin-only
      # test (in these routes the C library defines the function with its own type).
      if [[ $name == cond_timedwait_64bit_import ]]; then
        skip "$label" "declares weft's 64-bit pthread_cond_timedwait import itself (libc-builtin route only)"
        continue
      fi
      if [[ $route == emcc && $name == cancel_sleep_join_canceled ]]; then
        # emscripten 3.1.6's timespec has a 32-bit tv_sec: nanosleep converts *rem after
        # weft's host call, which a cancelled thread never returns from.
        skip "$label" "*rem of a cancelled nanosleep is not written (emscripten's 8-byte timespec)"
        continue
      fi
      [[ $route == emcc ]] && extra=(-include "$here/emcc_compat.h")
      ob=$out/pthread-$route/$name
      read_lines "$pdir/$name.cflags"
      if ! "$cc" --$route -pthread -O2 "${extra[@]+"${extra[@]}"}" "${lines[@]+"${lines[@]}"}" "$src" -o "$ob.wasm" \
          >"$ob.build.log" 2>&1; then
        fail "$label" "build failed: $(grep -m3 -i error "$ob.build.log" | tr '\n' ' ')"
        continue
      fi
      to_aot "$label" "$ob" --enable-multi-thread || continue
      mkdir -p "$ob.scratch"
      run "$label" "$prog" "$ob.scratch" /dev/null "$ob" "$pdir/$name.opts" "$pdir/$name.args"
      check "$label" "$ob" "$pdir" "$name"
    done
  done
fi
finish
