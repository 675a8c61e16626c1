;; waitnotify.wat — memory.atomic.wait32/wait64/notify kernels for weft-threads-test.
(module
  (memory (export "mem") 1 1 shared)

  (func (export "wait32") (param $a i32) (param $exp i32) (param $t i64) (result i32)
    (memory.atomic.wait32 (local.get $a) (local.get $exp) (local.get $t)))
  (func (export "wait64") (param $a i32) (param $exp i64) (param $t i64) (result i32)
    (memory.atomic.wait64 (local.get $a) (local.get $exp) (local.get $t)))
  (func (export "notify") (param $a i32) (param $n i32) (result i32)
    (memory.atomic.notify (local.get $a) (local.get $n)))

  ;; Announces itself (atomic add 1 at `arrived`), then waits on a for the value 0 with no
  ;; timeout; returns wait's result (0 "ok" when notified).
  (func (export "waiter") (param $a i32) (param $arrived i32) (result i32)
    (drop (i32.atomic.rmw.add (local.get $arrived) (i32.const 1)))
    (memory.atomic.wait32 (local.get $a) (i32.const 0) (i64.const -1)))

  ;; n rounds: wait until the cell `me` is non-zero (waiting on it while it is 0), clear it,
  ;; set `other` and notify one waiter there. Returns the number of waits that returned 0.
  (func (export "pingpong") (param $me i32) (param $other i32) (param $n i32) (result i32)
    (local $woken i32)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (block $ready
          (loop $wait
            (br_if $ready (i32.atomic.load (local.get $me)))
            (if (i32.eqz (memory.atomic.wait32 (local.get $me) (i32.const 0) (i64.const -1)))
              (then (local.set $woken (i32.add (local.get $woken) (i32.const 1)))))
            (br $wait)))
        (i32.atomic.store (local.get $me) (i32.const 0))
        (i32.atomic.store (local.get $other) (i32.const 1))
        (drop (memory.atomic.notify (local.get $other) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (local.get $woken))

  ;; Loops forever (only weft_exec_request_stop ends it).
  (func (export "spin")
    (loop $l (br $l)))

  ;; Loops forever over 4 KiB of memory: loads, arithmetic and stores only, an inner loop a
  ;; C compiler vectorises, inside an outer one. Compiled by weftc, neither loop checks for
  ;; a stop per iteration (pure loops): the runtime's interrupt signal must end it.
  (func (export "spin_mem")
    (local $i i32)
    (loop $outer
      (local.set $i (i32.const 0))
      (loop $inner
        (i32.store offset=1024 (local.get $i)
          (i32.add (i32.load offset=1024 (local.get $i))
                   (i32.load offset=5120 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $inner (i32.ne (local.get $i) (i32.const 4096))))
      (br $outer)))
)
