;; unshared.wat — atomics on an unshared memory, for weft-threads-test.
(module
  (memory (export "mem") 1)
  (func (export "wait32") (param $a i32) (param $exp i32) (param $t i64) (result i32)
    (memory.atomic.wait32 (local.get $a) (local.get $exp) (local.get $t)))
  (func (export "wait64") (param $a i32) (param $exp i64) (param $t i64) (result i32)
    (memory.atomic.wait64 (local.get $a) (local.get $exp) (local.get $t)))
  (func (export "notify") (param $a i32) (param $n i32) (result i32)
    (memory.atomic.notify (local.get $a) (local.get $n)))
)
