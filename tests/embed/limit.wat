;; limit.wat — a pthread program for the thread-limit knobs of the WAMR-compatible API
;; (knobs_test.c): "count_limit" creates threads that block until released, until
;; pthread_create fails; then releases and joins them all and returns how many it created
;; (or -rc when the failure was not EAGAIN = 11, or -1000 - rc when a join failed).
;; Memory map: 0x10 go word, 0x100 + 4*i the i-th pthread_t.
(module
  (import "env" "pthread_create" (func $create (param i32 i32 i32 i32) (result i32)))
  (import "env" "pthread_join" (func $join (param i32 i32) (result i32)))
  (memory (export "memory") 2 2 shared)
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 131072))
  (global (export "__data_end") i32 (i32.const 1024))
  (table (export "__indirect_function_table") 2 funcref)
  (elem (i32.const 1) $r_block)
  ;; 1: blocks until the go word is non-zero
  (func $r_block (param $a i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.atomic.load (i32.const 0x10)))
        (drop (memory.atomic.wait32 (i32.const 0x10) (i32.const 0) (i64.const -1)))
        (br $l)))
    (i32.const 0))
  (func (export "count_limit") (result i32) (local $n i32) (local $rc i32) (local $i i32) (local $crc i32)
    (i32.atomic.store (i32.const 0x10) (i32.const 0))
    (block $full
      (loop $more
        (local.set $rc (call $create (i32.add (i32.const 0x100) (i32.shl (local.get $n) (i32.const 2)))
                                     (i32.const 0) (i32.const 1) (i32.const 0)))
        (br_if $full (local.get $rc))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $n) (i32.const 64)))))
    (local.set $crc (local.get $rc))
    (i32.atomic.store (i32.const 0x10) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 0x10) (i32.const -1)))
    (block $bad
      (loop $j
        (br_if $bad (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $rc (call $join (i32.load (i32.add (i32.const 0x100) (i32.shl (local.get $i) (i32.const 2))))
                                   (i32.const 0)))
        (if (local.get $rc) (then (return (i32.sub (i32.const -1000) (local.get $rc)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $j)))
    ;; EAGAIN (11) at the limit is what the knobs promise; 0 means 64 were created
    (if (result i32) (i32.or (i32.eq (local.get $crc) (i32.const 11)) (i32.eqz (local.get $crc)))
      (then (local.get $n))
      (else (i32.sub (i32.const 0) (local.get $crc))))))
