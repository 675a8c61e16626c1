;; atomics.wat — read-modify-write kernels for weft-threads-test. Every function takes the
;; cell address from the host, so one instance serves all the contention tests.
(module
  (memory (export "mem") 1 1 shared)

  ;; n times i32.atomic.rmw.add 1 at a.
  (func (export "add32") (param $a i32) (param $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i32.atomic.rmw.add (local.get $a) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; n times i64.atomic.rmw.add 0x1_0000_0001 at a (the sum carries across 32 bits).
  (func (export "add64") (param $a i32) (param $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i64.atomic.rmw.add (local.get $a) (i64.const 0x100000001)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; n times i32.atomic.rmw.sub 3 at a.
  (func (export "sub32") (param $a i32) (param $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i32.atomic.rmw.sub (local.get $a) (i32.const 3)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; n times i32.atomic.rmw8.add_u 1 at byte a and i64.atomic.rmw16.add_u 1 at a+2.
  (func (export "add8_16") (param $a i32) (param $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i32.atomic.rmw8.add_u (local.get $a) (i32.const 1)))
        (drop (i64.atomic.rmw16.add_u offset=2 (local.get $a) (i64.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; n times: or bit b in, then and it out. Only this thread touches bit b, so the value
  ;; returned by `or` must have it clear and the one returned by `and` must have it set.
  ;; Finally sets the bit. Returns the number of violations.
  (func (export "orand") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $m i32) (local $bad i32)
    (local.set $m (i32.shl (i32.const 1) (local.get $b)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.and (i32.atomic.rmw.or (local.get $a) (local.get $m)) (local.get $m))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (if (i32.eqz (i32.and (i32.atomic.rmw.and (local.get $a) (i32.xor (local.get $m) (i32.const -1)))
                              (local.get $m)))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (drop (i32.atomic.rmw.or (local.get $a) (local.get $m)))
    (local.get $bad))

  ;; n times i32.atomic.rmw.xor of bit b at a; the returned old value's bit b must equal
  ;; the parity of the iteration. Returns the number of violations.
  (func (export "xorbit") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $m i32) (local $i i32) (local $bad i32) (local $old i32)
    (local.set $m (i32.shl (i32.const 1) (local.get $b)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $old (i32.atomic.rmw.xor (local.get $a) (local.get $m)))
        (if (i32.ne (i32.shr_u (i32.and (local.get $old) (local.get $m)) (local.get $b))
                    (i32.and (local.get $i) (i32.const 1)))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $bad))

  ;; n times i32.atomic.rmw.xchg v at a; returns the sum of the old values (u32 -> i64).
  (func (export "xchg") (param $a i32) (param $v i32) (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
          (i64.extend_i32_u (i32.atomic.rmw.xchg (local.get $a) (local.get $v)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  ;; n increments of the i64 at a by a cmpxchg loop; returns the number of failed cmpxchgs.
  (func (export "casinc64") (param $a i32) (param $n i32) (result i32)
    (local $old i64) (local $retries i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $old (i64.atomic.load (local.get $a)))
        (if (i64.eq (i64.atomic.rmw.cmpxchg (local.get $a) (local.get $old)
                                            (i64.add (local.get $old) (i64.const 1)))
                    (local.get $old))
          (then (local.set $n (i32.sub (local.get $n) (i32.const 1))))
          (else (local.set $retries (i32.add (local.get $retries) (i32.const 1)))))
        (br $l)))
    (local.get $retries))

  ;; n increments of the plain (non-atomic) i32 counter at c, each under a spinlock at
  ;; `lock` taken with i32.atomic.rmw.cmpxchg 0 -> 1 and released by i32.atomic.store 0.
  (func (export "locked_inc") (param $lock i32) (param $c i32) (param $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (loop $spin
          (br_if $spin (i32.atomic.rmw.cmpxchg (local.get $lock) (i32.const 0) (i32.const 1))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (i32.atomic.store (local.get $lock) (i32.const 0))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; One i32.atomic.rmw.add at a (traps "unaligned atomic" when a % 4 != 0).
  (func (export "rmw_at") (param $a i32) (result i32)
    (i32.atomic.rmw.add (local.get $a) (i32.const 1)))
  ;; i64.atomic.load at a (traps when a % 8 != 0).
  (func (export "load64_at") (param $a i32) (result i64)
    (i64.atomic.load (local.get $a)))
  ;; memory.atomic.wait32 / notify at a with no waiting (mismatch / count 0).
  (func (export "wait_at") (param $a i32) (result i32)
    (memory.atomic.wait32 (local.get $a) (i32.const -1) (i64.const 0)))
  (func (export "notify_at") (param $a i32) (result i32)
    (memory.atomic.notify (local.get $a) (i32.const 0)))
)
