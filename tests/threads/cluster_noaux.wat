;; cluster_noaux.wat — a pthread program whose aux stack bounds cannot be found: a shared
;; memory with passive data and no __data_end export (test_cluster.c expects EAGAIN).
(module
  (import "env" "pthread_create" (func $create (param i32 i32 i32 i32) (result i32)))
  (memory 1 1 shared)
  (global $sp (mut i32) (i32.const 65536))
  (table (export "__indirect_function_table") 2 funcref)
  (elem (i32.const 1) $r)
  (data "passive bytes")
  (func $r (param i32) (result i32) (i32.const 0))
  (func (export "spawn") (result i32)
    (call $create (i32.const 0x10) (i32.const 0) (i32.const 1) (i32.const 0))))
