;; sync.wat — env.pthread_mutex_* / pthread_cond_* / pthread_key_* from host threads
;; (test_sync.c). Mutexes and conds are words in this shared memory; the host picks the
;; addresses. pthread_cond_timedwait is imported twice, with the document's 32-bit
;; microsecond count and with the 64-bit one: the linker must give each its own type.
(module
  (import "env" "pthread_mutex_init" (func $m_init (param i32 i32) (result i32)))
  (import "env" "pthread_mutex_lock" (func $m_lock (param i32) (result i32)))
  (import "env" "pthread_mutex_unlock" (func $m_unlock (param i32) (result i32)))
  (import "env" "pthread_mutex_destroy" (func $m_destroy (param i32) (result i32)))
  (import "env" "pthread_cond_init" (func $c_init (param i32 i32) (result i32)))
  (import "env" "pthread_cond_wait" (func $c_wait (param i32 i32) (result i32)))
  (import "env" "pthread_cond_timedwait" (func $c_tw32 (param i32 i32 i32) (result i32)))
  (import "env" "pthread_cond_timedwait" (func $c_tw64 (param i32 i32 i64) (result i32)))
  (import "env" "pthread_cond_signal" (func $c_signal (param i32) (result i32)))
  (import "env" "pthread_cond_broadcast" (func $c_broadcast (param i32) (result i32)))
  (import "env" "pthread_cond_destroy" (func $c_destroy (param i32) (result i32)))
  (import "env" "pthread_key_create" (func $k_create (param i32 i32) (result i32)))
  (import "env" "pthread_key_delete" (func $k_delete (param i32) (result i32)))
  (import "env" "pthread_setspecific" (func $k_set (param i32 i32) (result i32)))
  (import "env" "pthread_getspecific" (func $k_get (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (table 4 funcref)
  (elem (i32.const 1) $dtor)

  ;; A key destructor (table index 1): counts its calls at 0x200.
  (func $dtor (param $v i32)
    (drop (i32.atomic.rmw.add (i32.const 0x200) (i32.const 1))))

  ;; Plain wrappers: each returns the function's errno.
  (func (export "init") (param i32) (result i32) (call $m_init (local.get 0) (i32.const 0)))
  (func (export "lock") (param i32) (result i32) (call $m_lock (local.get 0)))
  (func (export "unlock") (param i32) (result i32) (call $m_unlock (local.get 0)))
  (func (export "destroy") (param i32) (result i32) (call $m_destroy (local.get 0)))
  (func (export "cinit") (param i32) (result i32) (call $c_init (local.get 0) (i32.const 0)))
  (func (export "cdestroy") (param i32) (result i32) (call $c_destroy (local.get 0)))
  (func (export "signal") (param i32) (result i32) (call $c_signal (local.get 0)))
  (func (export "broadcast") (param i32) (result i32) (call $c_broadcast (local.get 0)))
  (func (export "cwait") (param i32 i32) (result i32) (call $c_wait (local.get 0) (local.get 1)))
  (func (export "key_create") (param i32 i32) (result i32)
    (call $k_create (local.get 0) (local.get 1)))
  (func (export "key_delete") (param i32) (result i32) (call $k_delete (local.get 0)))
  (func (export "setspecific") (param i32 i32) (result i32)
    (call $k_set (local.get 0) (local.get 1)))
  (func (export "getspecific") (param i32) (result i32) (call $k_get (local.get 0)))

  ;; inc(m, counter, n): n times lock m, counter += 1 with a plain load and store, unlock.
  ;; Returns 0, or 1000 + the errno of the first lock/unlock that failed.
  (func (export "inc") (param $m i32) (param $c i32) (param $n i32) (result i32)
    (local $i i32) (local $r i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r (call $m_lock (local.get $m)))
        (if (local.get $r) (then (return (i32.add (i32.const 1000) (local.get $r)))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (local.set $r (call $m_unlock (local.get $m)))
        (if (local.get $r) (then (return (i32.add (i32.const 1000) (local.get $r)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.const 0))

  ;; take(c, m, tokens): lock m; wait on c until the word at tokens is non-zero; take one
  ;; token; unlock. Returns the errno of the first failing call, else 0.
  (func (export "take") (param $c i32) (param $m i32) (param $t i32) (result i32)
    (local $r i32)
    (local.set $r (call $m_lock (local.get $m)))
    (if (local.get $r) (then (return (local.get $r))))
    (block $have
      (loop $l
        (br_if $have (i32.load (local.get $t)))
        (local.set $r (call $c_wait (local.get $c) (local.get $m)))
        (if (local.get $r) (then (return (local.get $r))))
        (br $l)))
    (i32.store (local.get $t) (i32.sub (i32.load (local.get $t)) (i32.const 1)))
    (call $m_unlock (local.get $m)))

  ;; give(c, m, tokens, k, all): lock m; add k tokens; signal (all = 0) or broadcast; unlock.
  (func (export "give") (param $c i32) (param $m i32) (param $t i32) (param $k i32)
        (param $all i32) (result i32)
    (local $r i32)
    (local.set $r (call $m_lock (local.get $m)))
    (if (local.get $r) (then (return (local.get $r))))
    (i32.store (local.get $t) (i32.add (i32.load (local.get $t)) (local.get $k)))
    (local.set $r
      (if (result i32) (local.get $all)
        (then (call $c_broadcast (local.get $c)))
        (else (call $c_signal (local.get $c)))))
    (if (local.get $r) (then (return (local.get $r))))
    (call $m_unlock (local.get $m)))

  ;; tw(c, m, us, wide): lock m, one timedwait (32-bit import, or 64-bit when wide != 0),
  ;; then unlock. Returns timedwait's errno + 1000 * unlock's errno (so a wait that did not
  ;; relock shows up as EPERM in the thousands).
  (func (export "tw") (param $c i32) (param $m i32) (param $us i32) (param $wide i32)
        (result i32)
    (local $r i32)
    (local.set $r (call $m_lock (local.get $m)))
    (if (local.get $r) (then (return (i32.add (i32.const 100000) (local.get $r)))))
    (local.set $r
      (if (result i32) (local.get $wide)
        (then (call $c_tw64 (local.get $c) (local.get $m) (i64.extend_i32_u (local.get $us))))
        (else (call $c_tw32 (local.get $c) (local.get $m) (local.get $us)))))
    (i32.add (local.get $r) (i32.mul (i32.const 1000) (call $m_unlock (local.get $m)))))

  ;; lockwait(m, c): lock m, then wait on c forever (for stop requests). Returns the errno.
  (func (export "lockwait") (param $m i32) (param $c i32) (result i32)
    (local $r i32)
    (local.set $r (call $m_lock (local.get $m)))
    (if (local.get $r) (then (return (local.get $r))))
    (call $c_wait (local.get $c) (local.get $m)))

  ;; pairs(m, n): n uncontended lock/unlock pairs; returns the errno sum.
  (func (export "pairs") (param $m i32) (param $n i32) (result i32)
    (local $i i32) (local $r i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r (i32.add (local.get $r) (call $m_lock (local.get $m))))
        (local.set $r (i32.add (local.get $r) (call $m_unlock (local.get $m))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $r))
)
