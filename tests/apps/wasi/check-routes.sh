#!/usr/bin/env bash
# check-routes.sh — static checks of the WASI and emcc build routes (no WASI runtime
# needed): the private sysroot and emscripten cache are made in OUTDIR, the system's
# copies stay untouched, and modules built with `weft-cc --wasi -pthread` and
# `weft-cc --emcc -pthread` have the imports and exports weft needs.
#
# Usage: check-routes.sh OUTDIR
# Ends with "N passed, M failed[, K skipped]" (the emcc checks are skipped when emcc is
# not installed); exit status non-zero if anything failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$root/build/tests/apps/wasi-routes}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cc=$root/sdk/bin/weft-cc
export WEFT_WASI_SYSROOT=$out/wasi-sysroot
export WEFT_EMCC_CACHE=$out/emcc-cache

passed=0 failed=0 skipped=0
ok() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
bad() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
skip() { printf 'skip %s: %s\n' "$1" "$2"; skipped=$((skipped + 1)); }
# t NAME CMD...: CMD succeeding passes NAME.
t() {
  local name=$1
  shift
  if "$@" >"$out/last.log" 2>&1; then ok "$name"; else bad "$name" "$(head -c 400 "$out/last.log" | tr '\n' ' ')"; fi
}
ar=llvm-ar-14
command -v "$ar" >/dev/null 2>&1 || ar=llvm-ar
members() { "$ar" t "$1"; }
has_member() { members "$1" | grep -x "$2" >/dev/null; }
no_member() { ! has_member "$1" "$2"; }
imports() { wasm-objdump -x -j Import "$1" 2>/dev/null | sed -n 's/.*<- \([A-Za-z0-9_]*\.[A-Za-z0-9_]*\)$/\1/p'; }
exports() { wasm-objdump -x -j Export "$1" 2>/dev/null | sed -n 's/.*-> "\(.*\)"$/\1/p'; }
imports_has() { imports "$1" | grep -x "$2" >/dev/null; }
exports_has() { exports "$1" | grep -x "$2" >/dev/null; }
shared_memory() { wasm-objdump -x -j Memory "$1" 2>/dev/null | grep -q 'shared'; }
defines_func() { wasm-objdump -x -j Function "$1" 2>/dev/null | grep -q "<$2>"; }
not() { ! "$@"; }
# import_type_is WASM MODULE.NAME TYPE: the import's signature as wasm-objdump prints it.
import_type_is() {
  local sig
  sig=$(wasm-objdump -x -j Import "$1" 2>/dev/null | sed -n "s/.* sig=\([0-9]*\) .*<- $2\$/\1/p")
  [[ -n $sig ]] && wasm-objdump -x -j Type "$1" 2>/dev/null | grep -qF -- "- type[$sig] $3"
}

if ! command -v wasm-objdump >/dev/null 2>&1; then
  bad routes "wasm-objdump (wabt) missing"
  echo "$passed passed, $failed failed"; exit 1
fi

# --- WASI route ---------------------------------------------------------------------------
sys_libc=/usr/lib/wasm32-wasi/libc.a
sum_before=$(md5sum "$sys_libc" | cut -d' ' -f1)
t wasi-sysroot/made "$root/sdk/bin/weft-wasi-sysroot" --force
S=$WEFT_WASI_SYSROOT
t wasi-sysroot/no-dlmalloc no_member "$S/lib/wasm32-wasi/libc.a" dlmalloc.o
t wasi-sysroot/heap-shim has_member "$S/lib/wasm32-wasi/libc.a" weft_heap_shim.o
t wasi-sysroot/pthread.h grep -q 'pthread_cond_timedwait' "$S/include/pthread.h"
t wasi-sysroot/system-libc-untouched test "$(md5sum "$sys_libc" | cut -d' ' -f1)" = "$sum_before"
t wasi-sysroot/system-still-has-dlmalloc has_member "$sys_libc" dlmalloc.o
if command -v dpkg >/dev/null 2>&1 && dpkg -s wasi-libc >/dev/null 2>&1; then
  t wasi-sysroot/dpkg-verify test -z "$(dpkg -V wasi-libc 2>&1)"
fi
# Every weft pthread function is declared and <sys/types.h> agrees with pthread.h.
cat >"$out/types.c" <<'EOF'
#include <sys/types.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
_Static_assert(sizeof(pthread_t) == 4 && sizeof(pthread_mutex_t) == 4 &&
               sizeof(pthread_cond_t) == 4 && sizeof(pthread_key_t) == 4, "one word each");
int main(void) { return errno; }
EOF
t wasi/headers-agree "$cc" --wasi -pthread -c "$out/types.c" -o "$out/types.o"
cat >"$out/prog.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static _Thread_local int tl = 5;
static void *run(void *a) { char *p = malloc(100); strcpy(p, "x"); tl++; printf("%s %d\n", p, tl); free(p); return a; }
int main(int argc, char **argv) {
  pthread_t t;
  void *r;
  char *big = calloc(10, 10);
  char *volatile q = realloc(big, (size_t)argc * 1000);
  void *al = aligned_alloc(8, 64);
  pthread_create(&t, NULL, run, argv);
  pthread_join(t, &r);
  FILE *f = fopen("x", "w");
  if (f) fclose(f);
  free(q);
  free(al);
  return argc;
}
EOF
W=$out/prog-wasi.wasm
t wasi/build "$cc" --wasi -pthread -O2 "$out/prog.c" -o "$W"
for imp in env.malloc env.calloc env.realloc env.free env.pthread_create env.pthread_join \
    wasi_snapshot_preview1.fd_write wasi_snapshot_preview1.path_open; do
  t "wasi/imports-$imp" imports_has "$W" "$imp"
done
for exp in _start memory __heap_base __data_end __indirect_function_table __wasm_init_tls \
    __tls_size __tls_align; do
  t "wasi/exports-$exp" exports_has "$W" "$exp"
done
t wasi/shared-memory shared_memory "$W"
# Only weft's names may be left undefined: anything else is a link error.
printf 'int weft_nope(void);\nint main(void) { return weft_nope(); }\n' >"$out/undef.c"
t wasi/unknown-function-is-link-error not "$cc" --wasi -pthread "$out/undef.c" -o "$out/undef.wasm"

# --- emcc route ---------------------------------------------------------------------------
if ! command -v emcc >/dev/null 2>&1; then
  skip emcc "emcc not installed (apt-get install emscripten)"
else
  syscache=$(env -u EM_CACHE em-config CACHE 2>/dev/null || echo /usr/share/emscripten/cache)
  sys_emlibc=$syscache/sysroot/lib/wasm32-emscripten/libc.a
  esum=$(md5sum "$sys_emlibc" | cut -d' ' -f1)
  t emcc-cache/made "$root/sdk/bin/weft-emcc-cache" --force
  C=$WEFT_EMCC_CACHE/sysroot/lib/wasm32-emscripten
  for a in libc.a libc-debug.a libc-optz.a; do
    t "emcc-cache/$a-no-stub" no_member "$C/$a" library_pthread_stub.o
    t "emcc-cache/$a-no-pthread_self" no_member "$C/$a" pthread_self.o
    t "emcc-cache/$a-shim" has_member "$C/$a" weft_emcc.o
  done
  t emcc-cache/system-libc-untouched test "$(md5sum "$sys_emlibc" | cut -d' ' -f1)" = "$esum"
  t emcc-cache/system-still-has-stub has_member "$sys_emlibc" library_pthread_stub.o
  E=$out/prog-emcc.wasm
  t emcc/build "$cc" --emcc -pthread -O2 "$out/prog.c" -o "$E"
  for imp in env.malloc env.free env.pthread_create env.pthread_join \
      wasi_snapshot_preview1.fd_write; do
    t "emcc/imports-$imp" imports_has "$E" "$imp"
  done
  for exp in _start memory __heap_base __data_end __indirect_function_table; do
    t "emcc/exports-$exp" exports_has "$E" "$exp"
  done
  t emcc/shared-memory shared_memory "$E"
  # The timespec pthread_cond_timedwait is defined in the module over weft's 64-bit import.
  cat >"$out/tw.c" <<'EOF'
#include <pthread.h>
#include <time.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int main(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += 1;
  pthread_mutex_lock(&m);
  int rc = pthread_cond_timedwait(&c, &m, &ts);
  pthread_mutex_unlock(&m);
  return rc;
}
EOF
  T=$out/tw-emcc.wasm
  t emcc/timedwait-build "$cc" --emcc -pthread -O2 "$out/tw.c" -o "$T"
  t emcc/timedwait-import-is-64bit import_type_is "$T" env.pthread_cond_timedwait '(i32, i32, i64) -> i32'

fi

if [[ $skipped -gt 0 ]]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
