#!/usr/bin/env bash
# run-pthread.sh — build the pthread test programs and run them under weft.
#
# Usage: run-pthread.sh [--repeat N] [--sanitized] [--aot WEFTC] WEFT OUTDIR
#   --repeat N    run every program N times in a row (default 1); each run counts as a test
#                 (the 10,000-cycle stress runs only in the first round, later rounds do
#                 1,000 cycles)
#   --sanitized   WEFT is an ASan or TSan build: skip the RSS comparison (the sanitizers'
#                 own memory swamps it) and allow 3x the wall-time limits
#   --aot WEFTC   compile every module with `WEFTC --enable-multi-thread $WEFTC_FLAGS` to
#                 PROG.aot and run that under WEFT (same checks, same expectations)
#
# Programs (all in this directory):
#   PROG.c        built with `sdk/bin/weft-cc -pthread -O2 -Wall -Wextra -Werror`
#   PROG.cflags   extra weft-cc flags, one per line (e.g. -z / stack-size=N)
#   PROG.opts     weft options placed before the module, one per line (--max-threads=8)
#   PROG.args     program arguments, one per line
#   PROG.expected stdout, compared byte for byte after dropping lines that start with
#                 "info: " (timings; they are shown in the ok line)
#   PROG.status   expected exit status (default 0)
#   PROG.stderr   lines that must each appear in stderr
#   PROG.aot.stderr  the same, used instead with --aot when present: the C compiler may
#                 inline a small function into its caller, and an inlined function has no
#                 frame in an AOT backtrace (docs/aot.md)
#   PROG.maxsecs  the run must end within this many seconds (default: the 60 s timeout)
# Every run is under `timeout 60`, so a hang is a failure; any sanitizer report in stderr
# (ThreadSanitizer, AddressSanitizer, LeakSanitizer, UBSan "runtime error:") fails the run.
#
# Besides: doc/*.c are built with the reference document's libc-builtin command (paths
# pointed at sdk/libc-builtin-sysroot, Debian clang-14; for main(argc, argv) with
# --export=__main_argc_argv, clang-14's name for it); the document's example with its
# function table stripped (what binaryen's wasm-opt does after an -O2 link) must fail with
# a clear message; when wasm-opt is on PATH, the real clang -O2 link is tried too;
# stress_create_join_cycles runs with 1,000 and 10,000 cycles and the weft process's peak
# RSS must not grow by more than RSS_SLACK_KB (default 8192) between them.
# Ends with "N passed, M failed"; exit status non-zero if anything failed.
set -euo pipefail

repeat=1
sanitized=0
weftc=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --repeat) repeat=$2; shift 2 ;;
    --sanitized) sanitized=1; shift ;;
    --aot) weftc=$2; shift 2 ;;
    *) echo "run-pthread.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
weft=${1:-$root/build/weft}
out=${2:-$root/build/tests/apps/pthread}
cc=$root/sdk/bin/weft-cc
sysroot=$root/sdk/libc-builtin-sysroot
rss_slack_kb=${RSS_SLACK_KB:-8192}
slow=1
[[ $sanitized -eq 1 ]] && slow=3
mkdir -p "$out"
out=$(cd "$out" && pwd)

passed=0
failed=0
pass() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit $?
}

clang_bin=""
for c in ${WEFT_CC_CLANG:-} clang clang-14; do
  if command -v "$c" >/dev/null 2>&1; then clang_bin=$c; break; fi
done
if [[ -z $clang_bin ]] || ! { command -v wasm-ld || command -v wasm-ld-14; } >/dev/null 2>&1; then
  fail pthread-apps "clang or wasm-ld is missing (scripts/deps.sh installs clang and lld)"
  finish
fi
if [[ ! -x $weft ]]; then
  fail pthread-apps "weft is not built: $weft"
  finish
fi
if [[ -n $weftc && ! -x $weftc ]]; then
  fail pthread-apps "weftc is not built: $weftc"
  finish
fi
read -ra weftc_flags <<<"${WEFTC_FLAGS:-}"

# stderr_has LINE FILE (backtrace frames matched loosely under --aot)
. "$here/../stderr_has.sh"

# to_aot NAME: with --aot compiles $out/NAME.wasm to $out/NAME.aot (weftc
# --enable-multi-thread); fails NAME and returns 1 if weftc fails. Without --aot: nothing.
to_aot() {
  [[ -z $weftc ]] && return 0
  if ! "$weftc" --enable-multi-thread "${weftc_flags[@]+"${weftc_flags[@]}"}" \
      -o "$out/$1.aot" "$out/$1.wasm" >"$out/$1.weftc.log" 2>&1; then
    fail "$1" "weftc failed: $(head -c 400 "$out/$1.weftc.log" | tr '\n' ' ')"
    return 1
  fi
}
# mod NAME: the file to run for NAME (PROG.aot with --aot, else PROG.wasm).
mod() {
  if [[ -n $weftc ]]; then echo "$out/$1.aot"; else echo "$out/$1.wasm"; fi
}

# lines FILE: the file's lines into the array `lines` (none if the file is missing).
lines=()
read_lines() {
  lines=()
  if [[ -f $1 ]]; then mapfile -t lines <"$1"; fi
}

# run_prog NAME WASM [ARGS...]: runs weft (with NAME.opts) under timeout 60, recording the
# exit status (rc), wall time (secs) and peak RSS in KiB (rss_kb) of the process tree;
# stdout/stderr go to $out/NAME.out / NAME.err.
rc=0 secs=0 rss_kb=0 last_ok=0
run_prog() {
  local name=$1 wasm=$2
  shift 2
  read_lines "$here/$name.opts"
  local opts=("${lines[@]+"${lines[@]}"}")
  local res
  res=$(python3 - "$out/$name.out" "$out/$name.err" timeout -k 5 $((60 * slow)) \
    "$weft" "${opts[@]+"${opts[@]}"}" "$wasm" "$@" <<'EOF'
import resource, subprocess, sys, time
t0 = time.monotonic()
with open(sys.argv[1], "wb") as o, open(sys.argv[2], "wb") as e:
    rc = subprocess.call(sys.argv[3:], stdout=o, stderr=e, stdin=subprocess.DEVNULL)
secs = time.monotonic() - t0
print(rc if rc >= 0 else 128 - rc, "%.2f" % secs,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
  )
  read -r rc secs rss_kb <<<"$res"
}

# check NAME [LABEL [DIR]]: compares the last run of NAME with DIR/NAME.expected, .status,
# .stderr and .maxsecs (DIR: this directory); passes or fails LABEL (default NAME).
check() {
  local name=$1 label=${2:-$1} dir=${3:-$here} why="" want_status=0 maxsecs info
  [[ -f $dir/$name.status ]] && want_status=$(tr -d ' \n' <"$dir/$name.status")
  grep -v '^info: ' "$out/$name.out" >"$out/$name.cmp" || true
  info=$(grep '^info: ' "$out/$name.out" | sed 's/^info: //' | tr '\n' ';' || true)
  if grep -qE 'ThreadSanitizer|AddressSanitizer|LeakSanitizer|runtime error:' "$out/$name.err"; then
    why="sanitizer report: $(grep -m1 -E 'ThreadSanitizer|AddressSanitizer|LeakSanitizer|runtime error:' "$out/$name.err")"
  elif [[ $rc -eq 124 || $rc -eq 137 ]]; then
    why="timed out after $((60 * slow)) s (a hang); stdout: $(head -c 200 "$out/$name.out" | tr '\n' ' ')"
  elif [[ $rc -ne $want_status ]]; then
    why="exit status $rc, want $want_status; stdout: $(tail -c 300 "$out/$name.out" | tr '\n' ' ') stderr: $(head -c 300 "$out/$name.err" | tr '\n' ' ')"
  elif [[ -f $dir/$name.expected ]] && ! cmp -s "$dir/$name.expected" "$out/$name.cmp"; then
    why="stdout differs: $({ diff "$dir/$name.expected" "$out/$name.cmp" || true; } | grep '^[<>]' | head -n 6 | tr '\n' ' ')"
  else
    if [[ -n $weftc && -f $dir/$name.aot.stderr ]]; then
      read_lines "$dir/$name.aot.stderr"
    else
      read_lines "$dir/$name.stderr"
    fi
    local line
    for line in "${lines[@]+"${lines[@]}"}"; do
      if ! stderr_has "$line" "$out/$name.err"; then
        why="stderr lacks \"$line\": $(head -c 400 "$out/$name.err" | tr '\n' ' ')"
        break
      fi
    done
  fi
  if [[ -z $why && -f $dir/$name.maxsecs ]]; then
    maxsecs=$(( $(tr -d ' \n' <"$dir/$name.maxsecs") * slow ))
    if ! awk -v s="$secs" -v m="$maxsecs" 'BEGIN { exit !(s <= m) }'; then
      why="took $secs s, more than $maxsecs s"
    fi
  fi
  if [[ -n $why ]]; then
    fail "$label" "$why"
    last_ok=0
  else
    pass "$label (${secs} s${info:+; $info})"
    last_ok=1
  fi
}

# --- build --------------------------------------------------------------------------------
progs=()
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  read_lines "$here/$name.cflags"
  extra=("${lines[@]+"${lines[@]}"}")
  if (cd "$here" && "$cc" -pthread -O2 -Wall -Wextra -Werror "${extra[@]+"${extra[@]}"}" \
      "$name.c" -o "$out/$name.wasm") 2>"$out/$name.build.log"; then
    to_aot "$name" && progs+=("$name")
  else
    fail "$name" "weft-cc failed: $(head -c 400 "$out/$name.build.log" | tr '\n' ' ')"
  fi
done

# The reference document's libc-builtin command, as printed there but for the sysroot
# path, Debian's clang and (for main(argc, argv)) the export of __main_argc_argv.
doc_build() { # SRC OUT EXPORT_MAIN
  "$clang_bin" --target=wasm32 --sysroot="$sysroot" -O3 -pthread -nostdlib -z stack-size=32768 \
    -Wl,--shared-memory -Wl,--initial-memory=131072,--max-memory=131072 \
    -Wl,--allow-undefined-file="$sysroot/share/defined-symbols.txt" \
    -Wl,--no-entry "-Wl,--export=$3" -Wl,--export=__heap_base,--export=__data_end \
    -Wl,--export=__wasm_call_ctors "$1" -o "$2"
}
docs=()
# clang runs binaryen's wasm-opt after an -O link when it finds it on PATH, and that strips
# the table (tested below): the document's route itself runs with a PATH of clang and
# wasm-ld only.
docbin=$out/doc-bin
rm -rf "$docbin"
mkdir -p "$docbin"
ln -s "$(command -v "$clang_bin")" "$docbin/$clang_bin"
for l in wasm-ld wasm-ld-14; do
  if command -v "$l" >/dev/null 2>&1; then ln -s "$(command -v "$l")" "$docbin/$l"; fi
done
for src in "$here"/doc/*.c; do
  name=$(basename "$src" .c)
  export_main=main
  grep -q 'main(int argc' "$src" && export_main=__main_argc_argv
  if PATH=$docbin doc_build "$src" "$out/$name.wasm" "$export_main" 2>"$out/$name.build.log"; then
    to_aot "$name" && docs+=("$name")
  else
    fail "$name" "the document's command failed: $(head -c 400 "$out/$name.build.log" | tr '\n' ' ')"
  fi
done

# What wasm-opt leaves of the document's example: the same module without its table and
# element segment (wasm2wat, drop them, wat2wasm).
stripped=doc_example_table_stripped
have_stripped=0
if [[ -f $out/doc_example.wasm ]] && command -v wasm2wat >/dev/null && command -v wat2wasm >/dev/null; then
  if wasm2wat --enable-threads "$out/doc_example.wasm" -o "$out/$stripped.full.wat" 2>"$out/$stripped.build.log" &&
    grep -vE '^\s*\((table|elem) ' "$out/$stripped.full.wat" >"$out/$stripped.wat" &&
    ! grep -qE 'call_indirect|\(table|\(elem' "$out/$stripped.wat" &&
    wat2wasm --enable-threads "$out/$stripped.wat" -o "$out/$stripped.wasm" 2>>"$out/$stripped.build.log"; then
    to_aot "$stripped" && have_stripped=1
  else
    fail "$stripped" "could not strip the table: $(head -c 300 "$out/$stripped.build.log" | tr '\n' ' ')"
  fi
else
  fail "$stripped" "needs doc/doc_example.c built and wabt's wasm2wat/wat2wasm"
fi

# --- run ----------------------------------------------------------------------------------
rss_small=0 rss_big=0
for ((round = 1; round <= repeat; round++)); do
  [[ $repeat -gt 1 ]] && echo "--- round $round of $repeat"
  for name in "${progs[@]+"${progs[@]}"}"; do
    read_lines "$here/$name.args"
    args=("${lines[@]+"${lines[@]}"}")
    if [[ $name == stress_create_join_cycles ]]; then
      run_prog "$name" "$(mod "$name")" 1000
      rss_small=$rss_kb
      check "$name" "$name 1000"
      small_ok=$last_ok
      [[ $round -gt 1 ]] && continue
      run_prog "$name" "$(mod "$name")" 10000
      rss_big=$rss_kb
      check "$name" "$name 10000"
      if [[ $small_ok -eq 0 || $last_ok -eq 0 ]]; then
        fail stress_create_join_rss_flat "needs both stress runs to pass"
      elif [[ $sanitized -eq 0 ]]; then
        if [[ $((rss_big - rss_small)) -le $rss_slack_kb ]]; then
          pass "stress_create_join_rss_flat (peak RSS ${rss_small} KiB after 1,000 cycles, ${rss_big} KiB after 10,000)"
        else
          fail stress_create_join_rss_flat "peak RSS grew from ${rss_small} KiB (1,000 cycles) to ${rss_big} KiB (10,000): more than ${rss_slack_kb} KiB"
        fi
      fi
      continue
    fi
    run_prog "$name" "$(mod "$name")" "${args[@]+"${args[@]}"}"
    check "$name"
  done
  for name in "${docs[@]+"${docs[@]}"}"; do
    run_prog "$name" "$(mod "$name")"
    check "$name" "doc/$name (the document's command)" "$here/doc"
  done
  if [[ $have_stripped -eq 1 ]]; then
    run_prog "$stripped" "$(mod "$stripped")"
    check "$stripped" "doc/$stripped (a clear error, no hang)" "$here/doc"
  fi
done

# The real thing, when binaryen is installed: clang -O2 links and runs wasm-opt, which
# strips the unexported table; weft must name the cause, not hang.
if command -v wasm-opt >/dev/null 2>&1 && [[ -f $here/doc/doc_example.c ]]; then
  name=doc_example_wasm_opt
  if ! doc_build "$here/doc/doc_example.c" "$out/$name.wasm" __main_argc_argv 2>"$out/$name.build.log"; then
    fail "$name" "clang with wasm-opt failed: $(head -c 300 "$out/$name.build.log" | tr '\n' ' ')"
  elif to_aot "$name"; then
    cp "$out/$name.wasm" "$out/$name.check.wasm"
    run_prog "$name" "$(mod "$name")"
    if [[ $rc -eq 0 ]] && grep -q 'Enter thread' "$out/$name.out"; then
      pass "$name (this wasm-opt kept the table)"
    elif [[ $rc -eq 1 ]] && grep -q -- '--export-table' "$out/$name.err"; then
      pass "$name (table stripped by wasm-opt: weft says why)"
    else
      fail "$name" "exit status $rc; stderr: $(head -c 300 "$out/$name.err" | tr '\n' ' ')"
    fi
  fi
else
  echo "skip doc_example_wasm_opt (binaryen's wasm-opt is not installed; the stripped-table case is covered by $stripped)"
fi

finish
