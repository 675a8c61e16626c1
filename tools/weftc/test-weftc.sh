#!/usr/bin/env bash
# test-weftc.sh — the weftc command's behaviour: usage errors (status 2), failures with
# their messages (status 1), and compiled modules that weft runs.
# Usage: test-weftc.sh WEFTC WEFT OUTDIR   (needs wabt's wat2wasm)
# Prints one line per check and ends with "N passed, M failed".
set -uo pipefail

weftc=$1
weft=$2
out=$3
mkdir -p "$out"
passed=0
failed=0
pass() { printf 'ok   %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }

# expect LABEL STATUS TEXT CMD...: runs CMD; its status must be STATUS and its stderr
# must contain TEXT (a fixed string; empty: anything).
expect() {
  local label=$1 want=$2 text=$3 rc=0
  shift 3
  "$@" >"$out/stdout" 2>"$out/stderr" || rc=$?
  if [[ $rc -ne $want ]]; then
    fail "$label" "status $rc, want $want; stderr: $(head -c 300 "$out/stderr" | tr '\n' ' ')"
  elif [[ -n $text ]] && ! grep -qF -- "$text" "$out/stderr"; then
    fail "$label" "stderr lacks \"$text\": $(head -c 300 "$out/stderr" | tr '\n' ' ')"
  else
    pass "$label"
  fi
}

cat >"$out/add.wat" <<'EOF'
(module
  (memory 1)
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
EOF
cat >"$out/shared.wat" <<'EOF'
(module
  (memory 1 1 shared)
  (func (export "inc") (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))
EOF
cat >"$out/invalid.wat" <<'EOF'
(module (func (export "f") (result i32) (i64.const 1)))
EOF
if ! wat2wasm "$out/add.wat" -o "$out/add.wasm" ||
   ! wat2wasm --enable-threads "$out/shared.wat" -o "$out/shared.wasm" ||
   ! wat2wasm --no-check "$out/invalid.wat" -o "$out/invalid.wasm"; then
  echo "wat2wasm failed"
  echo "0 passed, 1 failed"
  exit 1
fi
printf 'not wasm' >"$out/garbage.wasm"

# usage errors: status 2
expect "no arguments" 2 "no input file given" "$weftc"
expect "no -o" 2 "no output file given" "$weftc" "$out/add.wasm"
expect "bad --opt-level" 2 "bad --opt-level '4'" "$weftc" --opt-level=4 -o "$out/x.aot" "$out/add.wasm"
expect "bad --bounds-checks" 2 "bad --bounds-checks '2'" "$weftc" --bounds-checks=2 -o "$out/x.aot" "$out/add.wasm"
expect "unknown option" 2 "unknown option --frobnicate" "$weftc" --frobnicate -o "$out/x.aot" "$out/add.wasm"
expect "two inputs" 2 "more than one input file" "$weftc" -o "$out/x.aot" "$out/add.wasm" "$out/add.wasm"
expect "--help" 0 "" "$weftc" --help
grep -q -- "--enable-multi-thread" "$out/stdout" && pass "--help lists the options" ||
  fail "--help lists the options" "no --enable-multi-thread in: $(head -c 200 "$out/stdout")"
expect "--version" 0 "" "$weftc" --version
grep -q "^weftc " "$out/stdout" && pass "--version prints weftc VERSION" ||
  fail "--version prints weftc VERSION" "$(cat "$out/stdout")"

# failures: status 1 with a message
expect "missing input" 1 "cannot read $out/nothere.wasm" "$weftc" -o "$out/x.aot" "$out/nothere.wasm"
expect "not wasm" 1 "not a valid WebAssembly binary: magic header not detected" \
  "$weftc" -o "$out/x.aot" "$out/garbage.wasm"
expect "invalid module" 1 "invalid module: type mismatch" "$weftc" -o "$out/x.aot" "$out/invalid.wasm"
expect "shared memory needs the flag" 1 "compile it with --enable-multi-thread" \
  "$weftc" -o "$out/x.aot" "$out/shared.wasm"
expect "no such compiler" 1 'cannot run the C compiler "weft-no-such-cc"' \
  "$weftc" --cc=weft-no-such-cc -o "$out/x.aot" "$out/add.wasm"
expect "failing compiler" 1 "the C compiler failed (false" "$weftc" --cc=false -o "$out/x.aot" "$out/add.wasm"
expect "unwritable output" 1 "cannot create $out/no/such/dir/x.aot" \
  "$weftc" -o "$out/no/such/dir/x.aot" "$out/add.wasm"

# compiled modules run under weft, -o anywhere (wamrc's order)
rm -f "$out/add.aot" "$out/add.c"
expect "compile -v --emit-c" 0 "s total" "$weftc" "$out/add.wasm" -v --emit-c -o "$out/add.aot"
[[ -s $out/add.c ]] && grep -q "wf_0" "$out/add.c" && pass "--emit-c wrote add.c" ||
  fail "--emit-c wrote add.c" "no generated C in $out/add.c"
expect "is already .aot" 1 "already a .aot file" "$weftc" -o "$out/x.aot" "$out/add.aot"
run_f() { # LABEL WANT FILE FUNC ARGS...: weft -f's stdout must be WANT
  local label=$1 want=$2 got
  shift 2
  got=$("$weft" "$@" 2>&1) || true
  [[ $got == "$want" ]] && pass "$label" || fail "$label" "got '$got', want '$want'"
}
run_f "add.aot: add" "0x5:i32" -f add "$out/add.aot" 2 3
run_f "add.aot: fac" "0x375f00:i64" -f fac "$out/add.aot" 10
expect "add.aot: out of bounds" 1 "out of bounds memory access" "$weft" -f load "$out/add.aot" 4294967294
expect "guard-page code refused by --bounds-checks" 1 "weftc --bounds-checks=1" \
  "$weft" --bounds-checks -f add "$out/add.aot" 1 2
# Regression: weft reported a refused .aot as "not a valid WebAssembly binary".
head -c 8 "$out/add.aot" >"$out/trunc.aot"
head -c 200 /dev/zero >>"$out/trunc.aot"
expect "weft: refused .aot says .aot" 1 "cannot load this .aot file: .aot container format 0" \
  "$weft" "$out/trunc.aot"
expect "--bounds-checks=1 --opt-level=0" 0 "" "$weftc" --bounds-checks=1 --opt-level=0 -o "$out/addb.aot" "$out/add.wasm"
run_f "bounds-checked code, bounds-check runtime" "0x7:i32" --bounds-checks -f add "$out/addb.aot" 3 4
expect "bounds-checked code traps out of bounds" 1 "out of bounds memory access" \
  "$weft" --bounds-checks -f load "$out/addb.aot" 4294967294
expect "shared memory with the flag" 0 "" "$weftc" --enable-multi-thread -o "$out/shared.aot" "$out/shared.wasm"
run_f "shared.aot: atomic add" "0x0:i32" -f inc "$out/shared.aot"
expect "--emit-c=FILE" 0 "" "$weftc" --emit-c="$out/named.c" -o "$out/y.aot" "$out/add.wasm"
[[ -s $out/named.c ]] && pass "--emit-c=FILE wrote it" || fail "--emit-c=FILE wrote it" "$out/named.c is missing"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
