;; Regression: when a compare (or eqz) fused into the br_if that tests it, the translator
;; rewound to where the compare's operands began and dropped the constant it had just
;; materialised for an operand that cannot be an immediate (a first operand, a 64-bit
;; constant outside the i32 range). The branch then read a stale slot: a libc-builtin
;; program's unrolled loop ran away, and these functions returned wrong results.
(module
  ;; constant as the first operand of an i32 compare
  (func (export "const_first") (param $x i32) (result i32)
    (block $b
      (br_if $b (i32.lt_s (i32.const 5) (local.get $x)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; i64.eqz of a constant that needs 64 bits
  (func (export "eqz_wide") (result i32)
    (block $b
      (br_if $b (i64.eqz (i64.const 0x100000000)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; loop exit compare against a constant wider than 32 bits, after another constant
  ;; was materialised into the same slot
  (func (export "wide_loop") (param $n i64) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $n (i64.add (local.get $n) (i64.const 4000000028)))
      (br_if $l (i64.ne (local.get $n) (i64.const 67000000469))))
    (local.get $i))
  ;; the same shapes as values, not branches
  (func (export "const_first_value") (param $x i32) (result i32)
    (i32.lt_s (i32.const 5) (local.get $x)))
  (func (export "wide_compare_value") (param $n i64) (result i32)
    (i64.ne (local.get $n) (i64.const 67000000469)))
)
(assert_return (invoke "const_first" (i32.const 9)) (i32.const 1))
(assert_return (invoke "const_first" (i32.const 1)) (i32.const 0))
(assert_return (invoke "eqz_wide") (i32.const 0))
(assert_return (invoke "wide_loop" (i64.const 3000000021)) (i32.const 16))
(assert_return (invoke "const_first_value" (i32.const 9)) (i32.const 1))
(assert_return (invoke "const_first_value" (i32.const 5)) (i32.const 0))
(assert_return (invoke "wide_compare_value" (i64.const 67000000469)) (i32.const 0))
(assert_return (invoke "wide_compare_value" (i64.const 1)) (i32.const 1))
