;; wasi_none.wat — for wasi_api_test.c: exports _start but imports nothing (not WASI mode).
(module
  (memory (export "memory") 1)
  (func (export "_start")))
