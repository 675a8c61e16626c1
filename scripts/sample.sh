#!/usr/bin/env bash
# sample.sh — run the samples under build/weft:
#   samples/hello/hello.wat   converted with wat2wasm; its exports called with -f
#   samples/hello-c/hello.c   built with sdk/bin/weft-cc (libc-builtin), run as a program
#   samples/threads-c/threads.c  the threaded sample: built with weft-cc -pthread, run with
#                             --max-threads=8 (8 pthreads, a mutex, a condition variable)
# Expects build/weft to exist (the Makefile's `sample` target builds it first).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
weft=${WEFT:-$root/build/weft}
out=$root/build/samples
mkdir -p "$out"

wat2wasm "$root/samples/hello/hello.wat" -o "$out/hello.wasm"

echo "\$ build/weft --function answer build/samples/hello.wasm"
answer=$("$weft" --function answer "$out/hello.wasm")
echo "$answer"
echo "\$ build/weft --function fib build/samples/hello.wasm 20"
fib=$("$weft" --function fib "$out/hello.wasm" 20)
echo "$fib"

# Results print as iwasm does: 0x2a:i32 is 42, 0x1a6d:i64 is fib(20) = 6765.
if [[ "$answer" != "0x2a:i32" || "$fib" != "0x1a6d:i64" ]]; then
  echo "sample: expected 0x2a:i32 (42) and 0x1a6d:i64 (6765)" >&2
  exit 1
fi

echo "\$ sdk/bin/weft-cc -O2 samples/hello-c/hello.c -o build/samples/hello-c.wasm"
"$root/sdk/bin/weft-cc" -O2 "$root/samples/hello-c/hello.c" -o "$out/hello-c.wasm"
echo "\$ build/weft build/samples/hello-c.wasm world"
hello=$("$weft" "$out/hello-c.wasm" world)
echo "$hello"
if ! grep -qx 'Hello, world!' <<<"$hello" || ! grep -q 'squares = 338350' <<<"$hello"; then
  echo "sample: expected 'Hello, world!' and 'squares = 338350' from hello-c" >&2
  exit 1
fi
echo "\$ sdk/bin/weft-cc -O2 -pthread samples/threads-c/threads.c -o build/samples/threads.wasm"
"$root/sdk/bin/weft-cc" -O2 -pthread "$root/samples/threads-c/threads.c" -o "$out/threads.wasm"
echo "\$ build/weft --max-threads=8 build/samples/threads.wasm"
threads=$("$weft" --max-threads=8 "$out/threads.wasm")
echo "$threads"
if ! grep -q '^8 threads joined; .* = 2666668666667000000 (correct)$' <<<"$threads"; then
  echo "sample: expected '8 threads joined; ... = 2666668666667000000 (correct)' from threads-c" >&2
  exit 1
fi
echo "sample: ok"
