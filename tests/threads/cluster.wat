;; cluster.wat — a hand-written "C program" for the thread manager tests (test_cluster*.c):
;; imports env.pthread_* and libc-builtin's exit, keeps an aux stack in [1024, 65536)
;; (__stack_pointer and __data_end exported, as weft-cc links), and has start routines of
;; type (i32) -> i32 in table 0 (exported, as weft-cc links).
;; Memory map: 0x10 pthread_t out, 0x14 join value out, 0x100 go flag, 0x104 wait word,
;; 0x200 + 4*arg: stack pointer seen by r_double.
(module
  (import "env" "pthread_create" (func $create (param i32 i32 i32 i32) (result i32)))
  (import "env" "pthread_join" (func $join (param i32 i32) (result i32)))
  (import "env" "pthread_detach" (func $detach (param i32) (result i32)))
  (import "env" "pthread_cancel" (func $cancel (param i32) (result i32)))
  (import "env" "pthread_self" (func $self (result i32)))
  (import "env" "__pthread_self" (func $self2 (result i32)))
  (import "env" "pthread_exit" (func $pexit (param i32)))
  (import "env" "exit" (func $exit (param i32)))
  (memory (export "memory") 2 2 shared)
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 65536))
  (global (export "__data_end") i32 (i32.const 1024))
  (table (export "__indirect_function_table") 10 funcref)
  (elem (i32.const 1) $r_double $r_spin $r_exit $r_trap $r_pexit $r_self $r_recurse $r_wait
                      $not_a_routine)

  ;; 1: records its stack pointer at 0x200 + 4*arg, returns 2*arg
  (func $r_double (param $a i32) (result i32)
    (i32.store (i32.add (i32.const 0x200) (i32.shl (local.get $a) (i32.const 2)))
               (global.get $sp))
    (i32.shl (local.get $a) (i32.const 1)))
  ;; 2: spins (a loop back-edge per turn) until the go flag is set, returns 7
  (func $r_spin (param $a i32) (result i32)
    (loop $l (br_if $l (i32.eqz (i32.atomic.load (i32.const 0x100)))))
    (i32.const 7))
  ;; 3: exit(arg)
  (func $r_exit (param $a i32) (result i32)
    (call $exit (local.get $a)) (i32.const 0))
  ;; 4: traps in a nested call
  (func $crash (unreachable))
  (func $r_trap (param $a i32) (result i32)
    (call $crash) (i32.const 0))
  ;; 5: pthread_exit(arg + 1)
  (func $r_pexit (param $a i32) (result i32)
    (call $pexit (i32.add (local.get $a) (i32.const 1))) (unreachable))
  ;; 6: returns pthread_self() (and checks __pthread_self agrees: else 0)
  (func $r_self (param $a i32) (result i32)
    (if (result i32) (i32.eq (call $self) (call $self2))
      (then (call $self)) (else (i32.const 0))))
  ;; 7: moves the stack pointer down by arg bytes and back
  (func $r_recurse (param $a i32) (result i32)
    (global.set $sp (i32.sub (global.get $sp) (local.get $a)))
    (global.set $sp (i32.add (global.get $sp) (local.get $a)))
    (i32.const 1))
  ;; 8: blocks in memory.atomic.wait32 on the wait word (forever), returns the result
  (func $r_wait (param $a i32) (result i32)
    (memory.atomic.wait32 (i32.const 0x104) (i32.const 0) (i64.const -1)))
  ;; 9: the wrong type for a start routine
  (func $not_a_routine)

  ;; --- called by the tests on the main thread ---
  ;; pthread_create(routine, arg): the new pthread_t, or -errno
  (func (export "spawn") (param $r i32) (param $a i32) (result i32) (local $rc i32)
    (local.set $rc (call $create (i32.const 0x10) (i32.const 0) (local.get $r) (local.get $a)))
    (if (result i32) (local.get $rc) (then (i32.sub (i32.const 0) (local.get $rc)))
      (else (i32.load (i32.const 0x10)))))
  ;; pthread_join(id, &value at 0x14): the error number
  (func (export "join") (param $t i32) (result i32) (call $join (local.get $t) (i32.const 0x14)))
  (func (export "join_null") (param $t i32) (result i32) (call $join (local.get $t) (i32.const 0)))
  (func (export "detach") (param $t i32) (result i32) (call $detach (local.get $t)))
  (func (export "cancel") (param $t i32) (result i32) (call $cancel (local.get $t)))
  (func (export "self") (result i32) (call $self))
  (func (export "pexit") (param $v i32) (call $pexit (local.get $v)))
  (func (export "sp") (result i32) (global.get $sp))
  ;; spawn(r, a) then spin forever (until stopped): for exit/trap in a child
  (func (export "spawn_spin") (param $r i32) (param $a i32) (result i32)
    (drop (call $create (i32.const 0x10) (i32.const 0) (local.get $r) (local.get $a)))
    (loop $l (br $l)) (i32.const 0))
  ;; spawn(r1, a1) and (r2, a2), then spin forever: for exit racing a trap
  (func (export "spawn2_spin") (param $r1 i32) (param $a1 i32) (param $r2 i32) (param $a2 i32)
    (result i32)
    (drop (call $create (i32.const 0x10) (i32.const 0) (local.get $r1) (local.get $a1)))
    (drop (call $create (i32.const 0x10) (i32.const 0) (local.get $r2) (local.get $a2)))
    (loop $l (br $l)) (i32.const 0))
  ;; spawn(r, a) then join it: returns the join error number
  (func (export "spawn_join") (param $r i32) (param $a i32) (result i32)
    (drop (call $create (i32.const 0x10) (i32.const 0) (local.get $r) (local.get $a)))
    (call $join (i32.load (i32.const 0x10)) (i32.const 0x14)))
  ;; n create/join cycles of r_double: 0, or the first failing error number
  (func (export "cycles") (param $n i32) (result i32) (local $rc i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $rc (call $create (i32.const 0x10) (i32.const 0) (i32.const 1) (i32.const 3)))
        (br_if $done (local.get $rc))
        (local.set $rc (call $join (i32.load (i32.const 0x10)) (i32.const 0x14)))
        (br_if $done (local.get $rc))
        (if (i32.ne (i32.load (i32.const 0x14)) (i32.const 6))
          (then (local.set $rc (i32.const 1000)) (br $done)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $rc))
  ;; n create/detach cycles of r_self (which writes no memory: the detached threads overlap)
  ;; 0, or the first failing error number
  (func (export "detach_cycles") (param $n i32) (result i32) (local $rc i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $rc (call $create (i32.const 0x10) (i32.const 0) (i32.const 6) (i32.const 3)))
        ;; EAGAIN while detached threads are still finishing: try again
        (if (i32.eq (local.get $rc) (i32.const 11)) (then (br $l)))
        (br_if $done (local.get $rc))
        (local.set $rc (call $detach (i32.load (i32.const 0x10))))
        (br_if $done (local.get $rc))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $rc))
)
