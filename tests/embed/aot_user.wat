;; aot_user.wat — an interpreted module calling the hand-written AOT module's functions.
(module
  (import "aotmod" "boom" (func $boom))
  (import "aotmod" "callhost" (func $ch (param i32 i32) (result i32)))
  (import "aotmod" "recurse" (func $rec (param i32) (result i32)))
  (func $viaboom (export "viaboom") (call $boom))
  (func $viach (export "viach") (param i32 i32) (result i32)
    (call $ch (local.get 0) (local.get 1)))
  ;; live values of its own below the call (a local, an operand) that a host function
  ;; re-entering the interpreter under the AOT callee must not overwrite
  (func $viachkeep (export "viachkeep") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.const 1000))
    (i32.add (i32.add (local.get 2) (local.get 0)) (call $ch (local.get 0) (local.get 1))))
  (func $viarec (export "viarec") (param i32) (result i32) (call $rec (local.get 0))))
