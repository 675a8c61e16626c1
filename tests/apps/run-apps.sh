#!/usr/bin/env bash
# run-apps.sh — build the C programs in tests/apps with sdk/bin/weft-cc, run them under
# weft, and check them. Usage: run-apps.sh [--aot WEFTC] WEFT OUTDIR
#   --aot WEFTC   compile each module with WEFTC (weftc: -o PROG.aot PROG.wasm, plus
#                 --enable-multi-thread for the -pthread build and $WEFTC_FLAGS) and run the
#                 .aot under WEFT instead, checked against the same expectations
#
# For each PROG.c:
#   PROG.expected  stdout, compared byte for byte
#   PROG.status    the expected exit status (default 0)
#   PROG.args      arguments, one per line (empty lines are empty arguments)
#   PROG.stderr    lines that must each appear in stderr (e.g. "Exception: ")
# printf_table.c is compared instead with the same file built natively by gcc (the host
# printf). Then every libc-builtin function in defined-symbols.txt (pthread_* excepted)
# must be imported by at least one program ("coverage").
# Prints one line per program and ends with "N passed, M failed". Without clang or wasm-ld
# it prints why and counts one failure (scripts/deps.sh installs them).
set -uo pipefail

weftc=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --aot) weftc=$2; shift 2 ;;
    *) echo "run-apps.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
weft=${1:-$root/build/weft}
out=${2:-$root/build/tests/apps}
cc=$root/sdk/bin/weft-cc
symbols=$root/sdk/libc-builtin-sysroot/share/defined-symbols.txt
native_cc=${CC_NATIVE:-gcc}
mkdir -p "$out"
out=$(cd "$out" && pwd)

passed=0
failed=0
pass() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }

have_clang=0
for c in ${WEFT_CC_CLANG:-} clang clang-14; do
  command -v "$c" >/dev/null 2>&1 && have_clang=1 && break
done
if [[ $have_clang -eq 0 ]] || ! { command -v wasm-ld || command -v wasm-ld-14; } >/dev/null 2>&1; then
  echo "apps: SKIPPED: clang or wasm-ld is missing (scripts/deps.sh installs clang and lld)"
  echo "0 passed, 1 failed"
  exit 1
fi
if [[ ! -x "$weft" ]]; then
  echo "apps: $weft is not built"
  echo "0 passed, 1 failed"
  exit 1
fi
if [[ -n $weftc && ! -x $weftc ]]; then
  echo "apps: $weftc is not built"
  echo "0 passed, 1 failed"
  exit 1
fi
read -ra weftc_flags <<<"${WEFTC_FLAGS:-}"

# stderr_has LINE FILE (backtrace frames matched loosely under --aot)
. "$here/stderr_has.sh"

# to_aot NAME WASM [WEFTC OPTIONS...]: without --aot sets prog=WASM; with it compiles WASM
# to $out/NAME.aot with weftc and sets prog to that, or fails NAME and returns 1.
to_aot() {
  local name=$1 wasm=$2
  shift 2
  prog=$wasm
  [[ -z $weftc ]] && return 0
  prog=$out/$name.aot
  if ! "$weftc" "$@" "${weftc_flags[@]+"${weftc_flags[@]}"}" -o "$prog" "$wasm" \
      >"$out/$name.weftc.log" 2>&1; then
    fail "$name" "weftc failed: $(head -c 400 "$out/$name.weftc.log" | tr '\n' ' ')"
    return 1
  fi
}

# run NAME WASM ARGS...: runs under weft with a time limit; sets rc and fills
# $out/NAME.out / $out/NAME.err.
run() {
  local name=$1 wasm=$2
  shift 2
  rc=0
  timeout -k 5 60 "$weft" "$wasm" "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
}

for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  wasm=$out/$name.wasm
  flags=(-O2 -fno-builtin -Wall -Wextra)  # -fno-builtin: libc calls stay libc-builtin calls
  [[ $name == printf_table ]] && flags+=(-Wno-format)
  # Built from inside tests/apps, so __FILE__ (assert messages) is just "NAME.c".
  if ! (cd "$here" && "$cc" "${flags[@]}" "$name.c" -o "$wasm") 2>"$out/$name.build.log"; then
    fail "$name" "weft-cc failed: $(head -c 300 "$out/$name.build.log")"
    continue
  fi
  to_aot "$name" "$wasm" || continue

  if [[ $name == printf_table ]]; then
    if ! "$native_cc" -O1 -w "$src" -o "$out/$name.native" 2>"$out/$name.native.log"; then
      fail "$name" "native build failed: $(head -c 300 "$out/$name.native.log")"
      continue
    fi
    "$out/$name.native" >"$out/$name.native.out"
    run "$name" "$prog"
    if [[ $rc -ne 0 ]]; then
      fail "$name" "exit status $rc: $(head -c 300 "$out/$name.err")"
    elif ! cmp -s "$out/$name.native.out" "$out/$name.out"; then
      fail "$name" "differs from the host printf: $(diff "$out/$name.native.out" "$out/$name.out" | grep '^[<>]' | head -n 6 | tr '\n' ' ')"
    else
      pass "$name ($(wc -l <"$out/$name.out") formats match the host printf)"
    fi
    continue
  fi

  args=()
  if [[ -f "$here/$name.args" ]]; then
    mapfile -t args <"$here/$name.args"
  fi
  want_status=0
  [[ -f "$here/$name.status" ]] && want_status=$(tr -d ' \n' <"$here/$name.status")
  run "$name" "$prog" "${args[@]}"
  why=""
  if [[ $rc -ne $want_status ]]; then
    why="exit status $rc, want $want_status; stderr: $(head -c 300 "$out/$name.err" | tr '\n' ' ')"
  elif [[ -f "$here/$name.expected" ]] && ! cmp -s "$here/$name.expected" "$out/$name.out"; then
    why="stdout differs: $(diff "$here/$name.expected" "$out/$name.out" | grep '^[<>]' | head -n 6 | tr '\n' ' ')"
  elif [[ -f "$here/$name.stderr" ]]; then
    while IFS= read -r line; do
      if ! stderr_has "$line" "$out/$name.err"; then
        why="stderr lacks \"$line\": $(head -c 300 "$out/$name.err" | tr '\n' ' ')"
        break
      fi
    done <"$here/$name.stderr"
  fi
  if [[ -n "$why" ]]; then fail "$name" "$why"; else pass "$name"; fi
done

# The reference document's libc-builtin command, verbatim but for the sysroot path and
# Debian's clang: -pthread, shared memory with initial = maximum (2 pages), main exported.
# Regression: weft used to shrink the default app heap to the declared maximum, leaving
# no heap at all, so malloc failed in exactly the document's build.
doc=reference_document_command_program_gets_an_app_heap
sysroot=$root/sdk/libc-builtin-sysroot
clang_bin=clang
command -v clang >/dev/null 2>&1 || clang_bin=clang-14
if ! "$clang_bin" --target=wasm32 --sysroot="$sysroot" -O3 -pthread -nostdlib -z stack-size=32768 \
    -Wl,--shared-memory -Wl,--initial-memory=131072,--max-memory=131072 \
    -Wl,--allow-undefined-file="$sysroot/share/defined-symbols.txt" \
    -Wl,--no-entry -Wl,--export=main -Wl,--export=__heap_base,--export=__data_end \
    -Wl,--export=__wasm_call_ctors "$here/doc/malloc_strings.c" -o "$out/$doc.wasm" \
    2>"$out/$doc.build.log"; then
  fail "$doc" "the document's command failed: $(head -c 300 "$out/$doc.build.log")"
elif to_aot "$doc" "$out/$doc.wasm" --enable-multi-thread; then
  run "$doc" "$prog"
  if [[ $rc -ne 0 ]] || ! cmp -s "$here/doc/malloc_strings.expected" "$out/$doc.out"; then
    fail "$doc" "exit status $rc, stdout: $(head -c 200 "$out/$doc.out"); stderr: $(head -c 200 "$out/$doc.err")"
  else
    pass "$doc"
  fi
fi

# Coverage: every libc-builtin function is called by some program.
if command -v wasm-objdump >/dev/null 2>&1; then
  imported=$(for w in "$out"/*.wasm; do wasm-objdump -x -j Import "$w" 2>/dev/null; done |
    sed -n 's/.*<- env\.\([A-Za-z0-9_]*\)$/\1/p' | sort -u)
  missing=$(grep -v '^pthread_' "$symbols" | grep -v '^[[:space:]]*$' | sort -u |
    comm -23 - <(printf '%s\n' "$imported"))
  if [[ -n "$missing" ]]; then
    fail coverage "no program calls: $(echo $missing)"
  else
    pass "coverage (every libc-builtin function in defined-symbols.txt is called)"
  fi
else
  fail coverage "wasm-objdump (wabt) not found"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
