;; hello.wat — the smallest useful weft sample.
;;
;;   make sample      (converts this file with wat2wasm and runs it)
;;   build/weft --function answer build/samples/hello.wasm        -> 0x2a:i32 (42)
;;   build/weft --function fib build/samples/hello.wasm 20        -> 0x1a6d:i64 (6765)
(module
  ;; The answer, as an exported function with no parameters.
  (func (export "answer") (result i32)
    i32.const 42)

  ;; Iterative Fibonacci: fib(0) = 0, fib(1) = 1, ... (i64 so fib(90) still fits).
  (func (export "fib") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  ;; A memory with a greeting in it, exported so embedders can read it.
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from weft!\00")
  (func (export "greeting") (result i32)
    i32.const 16))
