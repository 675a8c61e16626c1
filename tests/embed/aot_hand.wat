;; aot_hand.wat — the wasm side of the hand-written AOT module (aot_hand.c implements its
;; functions in C by the aot_abi.h convention; aot_rt_test.c packs both into a .aot).
;; The bodies here are what the C does; the runtime validates them but runs the C.
(module
  (import "host" "add" (func $add (param i32 i32) (result i32)))       ;; 0
  (import "host" "fail" (func $fail))                                   ;; 1
  (import "helper" "twice" (func $twice (param i32) (result i32)))     ;; 2
  (import "helper" "itrap" (func $itrap))                               ;; 3
  (import "nat" "strlen" (func $strlen (param i32) (result i32)))      ;; 4
  (import "nat" "quit" (func $quit (param i32)))                        ;; 5
  (memory (export "mem") 1)
  (data (i32.const 16) "hello, aot\00")
  (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $callhost (export "callhost") (param i32 i32) (result i32)
    (call $add (local.get 0) (local.get 1)))
  (func $boom (export "boom") (unreachable))
  (func $spin (export "spin") (loop $l (br $l)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $outer (export "outer") (call $boom))
  (func $hostfail (export "hostfail") (call $fail))
  (func $twice2 (export "twice2") (param i32) (result i32)
    (i32.mul (call $twice (local.get 0)) (i32.const 2)))
  (func $itrap2 (export "itrap") (call $itrap))
  (func $slen (export "slen") (param i32) (result i32) (call $strlen (local.get 0)))
  (func $quit2 (export "quit") (param i32) (call $quit (local.get 0)))
)
