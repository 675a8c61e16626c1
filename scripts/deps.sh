#!/usr/bin/env bash
# deps.sh — check for the tools weft's build, tests, samples and benchmarks need.
#
# Needed: cmake, make, gcc, clang (clang-14 is fine), wasm-ld (lld), wast2json and
# wat2wasm (wabt), python3, pkg-config; for the WASI tests and build routes: Debian's
# wasi-libc, libclang-rt-14-dev-wasm32 (clang's wasm32 builtins for --target=wasm32-wasi)
# and emscripten (emcc, with binaryen's wasm-opt). If something is missing: as root, install the Debian packages
# with apt-get; otherwise print the exact apt-get command and exit 1.
# Usage: scripts/deps.sh [--check]   (--check: never install, only report)
set -euo pipefail

check_only=0
if [[ "${1:-}" == "--check" ]]; then
  check_only=1
fi

missing_pkgs=()
missing_cmds=()

# need PACKAGE COMMAND [ALTERNATIVE_COMMAND...]: ok if any of the commands exists.
need() {
  local pkg=$1
  shift
  local cmd
  for cmd in "$@"; do
    if command -v "$cmd" >/dev/null 2>&1; then
      return 0
    fi
  done
  missing_cmds+=("$1")
  # One package may provide several commands; list it once.
  local p
  for p in "${missing_pkgs[@]+"${missing_pkgs[@]}"}"; do
    [[ "$p" == "$pkg" ]] && return 0
  done
  missing_pkgs+=("$pkg")
}

# The lld package name differs across releases: Debian 12 has lld-14 (and lld).
lld_pkg=lld
if command -v apt-cache >/dev/null 2>&1 && ! apt-cache show lld >/dev/null 2>&1; then
  lld_pkg=lld-14
fi

need cmake cmake
need make make
need gcc gcc
need clang clang clang-14
need "$lld_pkg" wasm-ld wasm-ld-14
need wabt wast2json
need wabt wat2wasm
need python3 python3
need pkg-config pkg-config   # the install test builds samples/embed with pkg-config

# need_file PACKAGE GLOB: ok if a file matches GLOB (packages without a command).
need_file() {
  local pkg=$1 f
  for f in $2; do
    [[ -e "$f" ]] && return 0
  done
  missing_cmds+=("$2")
  missing_pkgs+=("$pkg")
}
need_file wasi-libc /usr/lib/wasm32-wasi/libc.a
need_file libclang-rt-14-dev-wasm32 "/usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a"
need emscripten emcc

if [[ ${#missing_pkgs[@]} -eq 0 ]]; then
  exit 0
fi

echo "deps: missing commands: ${missing_cmds[*]}" >&2
if [[ $check_only -eq 1 || $(id -u) -ne 0 ]]; then
  echo "deps: install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing_pkgs[*]}" >&2
  exit 1
fi

echo "deps: installing ${missing_pkgs[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${missing_pkgs[@]}"

# Debian's versioned packages (clang-14, lld-14) may install only versioned names;
# the scripts look for both, so nothing else to do. Re-check to be sure.
exec "$0" --check
