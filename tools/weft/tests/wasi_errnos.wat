;; Exits with the errno of a failing call chosen by argc: 2 args → fd_write with an iovec
;; array at 0xFFFFFFF0, past the end of memory (EFAULT 21); 3 → fd_write on fd 99 (EBADF 8); 4 →
;; clock_time_get of clock 9 (EINVAL 28); 5 → fd_seek on stdin when it is /dev/null (no seek
;; right: ENOTCAPABLE 76).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $n i32)
    (drop (call $args (i32.const 0) (i32.const 4)))
    (local.set $n (i32.load (i32.const 0)))
    (if (i32.eq (local.get $n) (i32.const 2))
      (then (call $exit (call $fd_write (i32.const 1) (i32.const -16) (i32.const 1) (i32.const 8)))))
    (if (i32.eq (local.get $n) (i32.const 3))
      (then (call $exit (call $fd_write (i32.const 99) (i32.const 16) (i32.const 1) (i32.const 8)))))
    (if (i32.eq (local.get $n) (i32.const 4))
      (then (call $exit (call $clock (i32.const 9) (i64.const 0) (i32.const 16)))))
    (if (i32.eq (local.get $n) (i32.const 5))
      (then (call $exit (call $seek (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 16)))))
    (call $exit (i32.const 0))))
