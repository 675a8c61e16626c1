#!/usr/bin/env bash
# sample.sh — build samples/hello/hello.wat with wat2wasm and run it under build/weft.
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

# The runner's exact formatting is its own business; the numbers must be there.
if ! grep -qw 42 <<<"$answer" || ! grep -qw 6765 <<<"$fib"; then
  echo "sample: expected 42 and 6765" >&2
  exit 1
fi
echo "sample: ok"
