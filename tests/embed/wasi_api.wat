;; wasi_api.wat — for wasi_api_test.c: _start records what the program sees through WASI in
;; memory at 1024 (the test reads it after the call), creates "out.txt" in the preopen fd 4
;; (the map_dir entry: dir_list preopens come first, at fd 3), writes "hello wasi\n" to it
;; and ends with proc_exit(7).
;;   1024 argc            1028 argv buffer size   1032 env count      1036 env buffer size
;;   1040 args_get errno  1044 environ_get errno
;;   1048 fd_prestat_get(3) errno  1052 its tag (u8)  1056 its name length
;;   1060 fd_prestat_get(4) errno  1064 its tag (u8)  1068 its name length
;;   1072 fd_prestat_get(5) errno (EBADF: no third preopen)
;;   1076 fd_prestat_dir_name(3) errno   1080 fd_prestat_dir_name(4) errno
;;   1084 path_open errno  1088 the opened fd  1092 fd_write errno  1096 bytes written
;;   2048 fd 3's name      2304 fd 4's name
;;   3072 argv pointers    3328 argv strings   3584 env pointers   3840 env strings
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 512) "out.txt")
  (data (i32.const 600) "hello wasi\n")
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 1024) (i32.const 1028)))
    (drop (call $environ_sizes_get (i32.const 1032) (i32.const 1036)))
    (i32.store (i32.const 1040) (call $args_get (i32.const 3072) (i32.const 3328)))
    (i32.store (i32.const 1044) (call $environ_get (i32.const 3584) (i32.const 3840)))
    ;; preopens: prestat is { u8 tag; u32 name_len } (8 bytes)
    (i32.store (i32.const 1048) (call $fd_prestat_get (i32.const 3) (i32.const 1052)))
    (i32.store (i32.const 1060) (call $fd_prestat_get (i32.const 4) (i32.const 1064)))
    (i32.store (i32.const 1072) (call $fd_prestat_get (i32.const 5) (i32.const 1200)))
    (i32.store (i32.const 1076)
      (call $fd_prestat_dir_name (i32.const 3) (i32.const 2048) (i32.load (i32.const 1056))))
    (i32.store (i32.const 1080)
      (call $fd_prestat_dir_name (i32.const 4) (i32.const 2304) (i32.load (i32.const 1068))))
    ;; path_open(4, dirflags 0, "out.txt", oflags CREAT|TRUNC, rights FD_WRITE, 0, fdflags 0)
    (i32.store (i32.const 1084)
      (call $path_open (i32.const 4) (i32.const 0) (i32.const 512) (i32.const 7)
                       (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 1088)))
    ;; one iovec at 1120: { 600, 11 }
    (i32.store (i32.const 1120) (i32.const 600))
    (i32.store (i32.const 1124) (i32.const 11))
    (i32.store (i32.const 1092)
      (call $fd_write (i32.load (i32.const 1088)) (i32.const 1120) (i32.const 1) (i32.const 1096)))
    (call $proc_exit (i32.const 7))
    unreachable))
