;; heap.wat — libc-builtin's malloc/realloc/free called from several host threads at once.
;; churn(seed, n): n rounds of: malloc a small block, fill it with a per-thread byte,
;; realloc it through growing sizes (checking the old bytes survive each move and refilling
;; the whole block), then free it. Returns 0 if every check held, else the failing round+1;
;; -1 when an allocation returned 0.
(module
  (import "env" "malloc" (func $malloc (param i32) (result i32)))
  (import "env" "realloc" (func $realloc (param i32 i32) (result i32)))
  (import "env" "free" (func $free (param i32)))
  (memory (export "memory") 2)

  ;; fill(p, len, byte)
  (func $fill (param $p i32) (param $len i32) (param $b i32)
    (memory.fill (local.get $p) (local.get $b) (local.get $len)))

  ;; check(p, len, byte) -> 1 if all len bytes equal byte
  (func $check (param $p i32) (param $len i32) (param $b i32) (result i32)
    (local $i i32)
    (loop $l
      (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
      (if (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $i))) (local.get $b))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))
    (i32.const 0))

  (func (export "churn") (param $seed i32) (param $n i32) (result i32)
    (local $r i32) (local $p i32) (local $q i32) (local $size i32) (local $old i32)
    (local $b i32)
    (local.set $b (i32.and (local.get $seed) (i32.const 255)))
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $size (i32.add (i32.const 8) (i32.and (local.get $r) (i32.const 31))))
        (local.set $p (call $malloc (local.get $size)))
        (if (i32.eqz (local.get $p)) (then (return (i32.const -1))))
        (call $fill (local.get $p) (local.get $size) (local.get $b))
        ;; grow through 4 reallocs: size * 3 each time
        (local.set $q (i32.const 0))
        (block $grown
          (loop $g
            (br_if $grown (i32.ge_u (local.get $q) (i32.const 4)))
            (local.set $old (local.get $size))
            (local.set $size (i32.mul (local.get $size) (i32.const 3)))
            (local.set $p (call $realloc (local.get $p) (local.get $size)))
            (if (i32.eqz (local.get $p)) (then (return (i32.const -1))))
            (if (i32.eqz (call $check (local.get $p) (local.get $old) (local.get $b)))
              (then (return (i32.add (local.get $r) (i32.const 1)))))
            (call $fill (local.get $p) (local.get $size) (local.get $b))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $g)))
        ;; shrink once, still intact
        (local.set $p (call $realloc (local.get $p) (i32.const 8)))
        (if (i32.eqz (call $check (local.get $p) (i32.const 8) (local.get $b)))
          (then (return (i32.add (local.get $r) (i32.const 1)))))
        (call $free (local.get $p))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (i32.const 0))
)
