;; wasi_nostart.wat — for wasi_api_test.c: imports WASI but exports no _start (only "run").
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "run") (call $proc_exit (i32.const 3))))
