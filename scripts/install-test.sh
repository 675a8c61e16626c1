#!/usr/bin/env bash
# install-test.sh [BUILD_DIR] — the installation test (ctest `install`, label embed):
# `cmake --install` of BUILD_DIR (default build/) into a temporary prefix, checks the
# installed files, builds samples/embed against the prefix with `pkg-config --cflags --libs
# weft` (shared library when built, and static), and runs them: each must print
# "twice(20, 1) = 42". Prints one line per check and "N passed, M failed".
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name weft.pc | head -n 1)
[[ -n "$pc" ]] || { echo "FAIL: weft.pc not installed"; exit 1; }
libdir=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=libdir weft)
export PKG_CONFIG_PATH=$(dirname "$pc")

passed=0 failed=0
# check DESCRIPTION COMMAND...: runs the command, records and prints the outcome.
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then echo "ok   $what"; passed=$((passed + 1))
  else echo "FAIL $what"; failed=$((failed + 1)); fi
}
shared=1
grep -q '^WEFT_SHARED:BOOL=OFF' "$build/CMakeCache.txt" 2>/dev/null && shared=0
libs=(libweft.a)
((shared)) && libs+=(libweft.so)
for f in include/weft.h include/wasm_export.h include/lib_export.h bin/weft; do
  check "installed $f" test -e "$prefix/$f"
done
for f in "${libs[@]}"; do check "installed $f" test -e "$libdir/$f"; done
if [[ -d "$src/sdk" ]]; then
  check "installed share/weft/sdk" test -d "$prefix/share/weft/sdk"
  [[ -e "$src/sdk/bin/weft-cc" ]] && check "bin/weft-cc runs from the prefix" "$prefix/bin/weft-cc" --help
fi

# A sanitized build's library needs the sanitizer runtime in the sample too.
extra=()
if grep -q '^WEFT_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  extra=(-fsanitize=address,undefined)
elif grep -q '^WEFT_TSAN:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  extra=(-fsanitize=thread)
fi
cc=${CC:-cc}
kinds=(static)
if ((shared)); then
  kinds+=(shared)
  # shellcheck disable=SC2046
  check "samples/embed builds with pkg-config --cflags --libs weft (shared)" \
    "$cc" -std=c11 -Wall -Wextra -Werror "${extra[@]}" "$src/samples/embed/embed.c" \
    $(pkg-config --cflags --libs weft) -Wl,-rpath,"$libdir" -o "$tmp/embed-shared"
  check "the shared build loads libweft.so" sh -c "ldd '$tmp/embed-shared' | grep -q libweft"
fi
# shellcheck disable=SC2046
check "samples/embed builds against libweft.a (pkg-config --static)" \
  "$cc" -std=c11 -Wall -Wextra -Werror "${extra[@]}" "$src/samples/embed/embed.c" \
  $(pkg-config --cflags weft) "$libdir/libweft.a" \
  $(pkg-config --libs-only-l --static weft | sed 's/-lweft//') -o "$tmp/embed-static"
for kind in "${kinds[@]}"; do
  check "samples/embed ($kind) prints \"twice(20, 1) = 42\"" \
    sh -c "[ \"\$('$tmp/embed-$kind')\" = 'twice(20, 1) = 42' ]"
done
echo "$passed passed, $failed failed"
((failed == 0))
