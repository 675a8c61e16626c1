;; grow.wat — memory.grow racing loads and stores near the old end, for weft-threads-test.
;; Page 0 holds the control cells: 16 = "grower done" flag, 24 = iterations of all touchers.
(module
  (memory (export "mem") 1 256 shared)

  ;; Grows by one page n times, spinning `delay` iterations between grows; sets the done
  ;; flag. Returns the final size in pages, or -1 if a grow failed.
  (func (export "grow") (param $n i32) (param $delay i32) (result i32)
    (local $d i32)
    (block $fail
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (br_if $fail (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
          (local.set $d (local.get $delay))
          (loop $wait
            (local.set $d (i32.sub (local.get $d) (i32.const 1)))
            (br_if $wait (i32.gt_s (local.get $d) (i32.const 0))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (i32.atomic.store (i32.const 16) (i32.const 1))
      (return (memory.size)))
    (i32.atomic.store (i32.const 16) (i32.const 1))
    (i32.const -1))

  ;; Toucher w of nw: until the done flag is set (then one more round), observes the size s
  ;; with memory.size, stores (w << 32 | i) at s*64Ki - 8*(nw - w) and loads it back, and
  ;; loads the never-written i32 at the last page's offset 32 (must be 0). Different
  ;; touchers never share a cell (sizes differ by whole pages). Returns the number of wrong
  ;; values read; adds its iteration count to the cell at 24.
  (func (export "touch") (param $w i32) (param $nw i32) (result i32)
    (local $i i64) (local $s i32) (local $a i32) (local $v i64) (local $bad i32) (local $last i32)
    (block $done
      (loop $l
        (local.set $last (i32.atomic.load (i32.const 16)))
        (local.set $s (i32.shl (memory.size) (i32.const 16)))
        (local.set $a (i32.sub (local.get $s)
                               (i32.shl (i32.sub (local.get $nw) (local.get $w)) (i32.const 3))))
        (local.set $v (i64.or (i64.shl (i64.extend_i32_u (local.get $w)) (i64.const 32)) (local.get $i)))
        (i64.store (local.get $a) (local.get $v))
        (if (i64.ne (i64.load (local.get $a)) (local.get $v))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (if (i32.load offset=32 (i32.sub (local.get $s) (i32.const 65536)))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br_if $done (local.get $last))
        (br $l)))
    (drop (i64.atomic.rmw.add (i32.const 24) (local.get $i)))
    (local.get $bad))

  ;; An i32.load at the current size: must trap "out of bounds memory access".
  (func (export "load_at_end") (result i32)
    (i32.load (i32.shl (memory.size) (i32.const 16))))
)
