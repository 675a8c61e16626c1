;; wasi_sock_echo.wat — for test-wasi-sock.py: fd 0 is a listening TCP socket. Checks that
;; fd 0 is a stream socket (fd_fdstat_get), sock_accept(0, 0, &fd), sock_recv until a '\n' or
;; end of stream, sock_send "got: " + the bytes (two iovecs), sock_shutdown(fd, WR), exit 0.
;; On a failure it writes the step's letter to stderr (f fdstat, a accept, t accepted fd's
;; type, r recv, s send, h shutdown) and exits with the WASI errno (1 when there is none).
(module
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv"
    (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 190) "fatrsh")
  (data (i32.const 200) "got: ")
  ;; fail(letter address, errno): the letter to stderr, exit with the errno (or 1)
  (func $fail (param $letter i32) (param $e i32)
    (i32.store (i32.const 120) (local.get $letter))
    (i32.store (i32.const 124) (i32.const 1))
    (drop (call $fd_write (i32.const 2) (i32.const 120) (i32.const 1) (i32.const 128)))
    (call $exit (select (local.get $e) (i32.const 1) (local.get $e)))
    unreachable)
  (func (export "_start")
    (local $e i32) (local $fd i32) (local $n i32) (local $got i32)
    ;; fd 0: filetype (byte 0 of fdstat) socket_stream = 6
    (local.set $e (call $fdstat (i32.const 0) (i32.const 32)))
    (if (i32.or (local.get $e) (i32.ne (i32.load8_u (i32.const 32)) (i32.const 6)))
      (then (call $fail (i32.const 190) (local.get $e))))
    (local.set $e (call $accept (i32.const 0) (i32.const 0) (i32.const 0)))
    (if (local.get $e) (then (call $fail (i32.const 191) (local.get $e))))
    (local.set $fd (i32.load (i32.const 0)))
    ;; the accepted fd is a stream socket too, and not 0-2
    (local.set $e (call $fdstat (local.get $fd) (i32.const 32)))
    (if (i32.or (i32.or (local.get $e) (i32.lt_u (local.get $fd) (i32.const 3)))
                (i32.ne (i32.load8_u (i32.const 32)) (i32.const 6)))
      (then (call $fail (i32.const 192) (local.get $e))))
    ;; receive into 256.. until '\n' or end of stream
    (block $done
      (loop $more
        (i32.store (i32.const 64) (i32.add (i32.const 256) (local.get $n)))
        (i32.store (i32.const 68) (i32.sub (i32.const 256) (local.get $n)))
        (local.set $e (call $recv (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 0)
                                  (i32.const 8) (i32.const 12)))
        (if (local.get $e) (then (call $fail (i32.const 193) (local.get $e))))
        (local.set $got (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $got)))
        (local.set $n (i32.add (local.get $n) (local.get $got)))
        (br_if $done (i32.eq (i32.load8_u (i32.add (i32.const 255) (local.get $n))) (i32.const 10)))
        (br_if $more (i32.lt_u (local.get $n) (i32.const 256)))))
    ;; send "got: " + the bytes, two iovecs
    (i32.store (i32.const 80) (i32.const 200))
    (i32.store (i32.const 84) (i32.const 5))
    (i32.store (i32.const 88) (i32.const 256))
    (i32.store (i32.const 92) (local.get $n))
    (local.set $e (call $send (local.get $fd) (i32.const 80) (i32.const 2) (i32.const 0) (i32.const 16)))
    (if (i32.or (local.get $e) (i32.ne (i32.load (i32.const 16)) (i32.add (local.get $n) (i32.const 5))))
      (then (call $fail (i32.const 194) (local.get $e))))
    ;; shutdown WR (sdflags WR = 2): the peer reads end of stream
    (local.set $e (call $shutdown (local.get $fd) (i32.const 2)))
    (if (local.get $e) (then (call $fail (i32.const 195) (local.get $e))))))
