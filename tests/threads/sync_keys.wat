;; sync_keys.wat — key destructors at thread exit (test_sync_keys.c): threads made with
;; env.pthread_create set values under keys, then return or call pthread_exit; the cluster
;; runs the destructors on the ending thread. Counters live at 0x200.. (see below).
(module
  (import "env" "pthread_create" (func $create (param i32 i32 i32 i32) (result i32)))
  (import "env" "pthread_join" (func $join (param i32 i32) (result i32)))
  (import "env" "pthread_exit" (func $exit (param i32)))
  (import "env" "pthread_key_create" (func $k_create (param i32 i32) (result i32)))
  (import "env" "pthread_key_delete" (func $k_delete (param i32) (result i32)))
  (import "env" "pthread_setspecific" (func $k_set (param i32 i32) (result i32)))
  (import "env" "pthread_getspecific" (func $k_get (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  ;; the aux stack [0x1000, 0x10000), as weft-cc links it (threads get slices of it)
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 0x10000))
  (global (export "__data_end") i32 (i32.const 0x1000))
  (table (export "__indirect_function_table") 8 funcref)
  ;; 1 start, 2 dtor, 3 dtor_again, 4 start_exit, 5 start_delete
  (elem (i32.const 1) $start $dtor $dtor_again $start_exit $start_delete)

  ;; Keys: K1 at 0x110 (destructor $dtor), K2 at 0x114 ($dtor_again), K3 at 0x118 (none).
  ;; Counters: 0x200 $dtor calls, 0x204 sum of $dtor values, 0x208 $dtor_again calls,
  ;; 0x20c $dtor calls that still saw their value (POSIX: it is NULL by then).
  (func (export "make_keys") (result i32)
    (i32.or (i32.or
      (call $k_create (i32.const 0x110) (i32.const 2))
      (call $k_create (i32.const 0x114) (i32.const 3)))
      (call $k_create (i32.const 0x118) (i32.const 0))))

  (func $dtor (param $v i32)
    (drop (i32.atomic.rmw.add (i32.const 0x200) (i32.const 1)))
    (drop (i32.atomic.rmw.add (i32.const 0x204) (local.get $v)))
    (if (call $k_get (i32.load (i32.const 0x110)))
      (then (drop (i32.atomic.rmw.add (i32.const 0x20c) (i32.const 1))))))

  ;; Sets its value again every time: POSIX stops after PTHREAD_DESTRUCTOR_ITERATIONS rounds.
  (func $dtor_again (param $v i32)
    (drop (i32.atomic.rmw.add (i32.const 0x208) (i32.const 1)))
    (drop (call $k_set (i32.load (i32.const 0x114)) (local.get $v))))

  ;; Sets K1 = arg, K2 = 10, K3 = 5 (no destructor); returns getspecific(K1).
  (func $start (param $arg i32) (result i32)
    (drop (call $k_set (i32.load (i32.const 0x110)) (local.get $arg)))
    (drop (call $k_set (i32.load (i32.const 0x114)) (i32.const 10)))
    (drop (call $k_set (i32.load (i32.const 0x118)) (i32.const 5)))
    (call $k_get (i32.load (i32.const 0x110))))

  ;; Sets K1 = arg, then pthread_exit(arg + 1).
  (func $start_exit (param $arg i32) (result i32)
    (drop (call $k_set (i32.load (i32.const 0x110)) (local.get $arg)))
    (call $exit (i32.add (local.get $arg) (i32.const 1)))
    (i32.const 0))

  ;; Sets K1 = arg, deletes K1, returns 0: no destructor may run for it.
  (func $start_delete (param $arg i32) (result i32)
    (drop (call $k_set (i32.load (i32.const 0x110)) (local.get $arg)))
    (drop (call $k_delete (i32.load (i32.const 0x110))))
    (i32.const 0))

  ;; run(routine, arg): create a thread running table entry `routine` with arg, join it.
  ;; Returns its return value, or 100000 + the errno of create/join.
  (func (export "run") (param $routine i32) (param $arg i32) (result i32)
    (local $r i32)
    (local.set $r (call $create (i32.const 0x300) (i32.const 0) (local.get $routine)
                                (local.get $arg)))
    (if (local.get $r) (then (return (i32.add (i32.const 100000) (local.get $r)))))
    (local.set $r (call $join (i32.load (i32.const 0x300)) (i32.const 0x304)))
    (if (local.get $r) (then (return (i32.add (i32.const 100000) (local.get $r)))))
    (i32.load (i32.const 0x304)))
)
