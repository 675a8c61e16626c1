#!/bin/sh
# test-wasi-core.sh WEFT OUTDIR — runs the hand-written WASI modules of tools/weft/tests
# through the weft command: stdout of fd_write, proc_exit's status, args/env counts and the
# errno of failing calls (EFAULT, EBADF, EINVAL, ENOTCAPABLE).
set -u
weft=$1
out=$2
dir=$(dirname "$0")/tests
mkdir -p "$out"
fails=0
for w in "$dir"/*.wat; do
  wat2wasm --enable-threads "$w" -o "$out/$(basename "$w" .wat).wasm" || { echo "FAIL wat2wasm $w"; fails=$((fails+1)); }
done
# check NAME EXPECTED-STATUS COMMAND... (stdout piped, so it is not a terminal)
check() {
  name=$1; want=$2; shift 2
  "$@" > "$out/$name.out" 2> "$out/$name.err" < /dev/null
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: status $got, want $want"; cat "$out/$name.err"; fails=$((fails+1))
  else
    echo "ok   $name"
  fi
}
check hello 0 "$weft" "$out/wasi_hello.wasm"
[ "$(cat "$out/hello.out")" = "hi" ] || { echo "FAIL hello: stdout '$(cat "$out/hello.out")'"; fails=$((fails+1)); }
check exit 42 "$weft" "$out/wasi_exit.wasm"
check counts 23 "$weft" --env=A=1 --env=B=2 "$out/wasi_counts.wasm" x yz
check efault 21 "$weft" "$out/wasi_errnos.wasm" a
check ebadf 8 "$weft" "$out/wasi_errnos.wasm" a b
check einval 28 "$weft" "$out/wasi_errnos.wasm" a b c
check notcapable 76 "$weft" "$out/wasi_errnos.wasm" a b c d
check missing-dir 1 "$weft" --dir=/nonexistent/weft-wasi "$out/wasi_exit.wasm"
grep -q "cannot open the directory '/nonexistent/weft-wasi'" "$out/missing-dir.err" || { echo "FAIL missing-dir message"; fails=$((fails+1)); }
[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" = 0 ]
