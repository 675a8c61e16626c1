;; Regression: a store whose address is `base + (idx << k)` becomes a scaled-index store
;; (I32_STORE_X ...). When the value stored was a constant, the translator rewound the fused
;; shift-add and then materialised the constant into the value's home slot, which could be
;; the slot still holding idx (or base) when that operand had been left at its home (a block
;; result, a constant materialised at a label). The store then used the constant as the
;; index: these stores went to the wrong address. Found by tests/difftest (seed 40).
(module
  (memory 1)
  ;; idx at its home slot (a block result), constant base, constant value
  (func (export "idx_home") (param $x i32) (result i64)
    (i64.store (i32.add (i32.const 0) (i32.shl (block (result i32) (local.get $x)) (i32.const 1)))
               (i64.const 4))
    (i64.load (i32.const 0)))
  ;; the same with a narrow store
  (func (export "idx_home_store8") (param $x i32) (result i64)
    (i32.store8 (i32.add (i32.const 16) (i32.shl (block (result i32) (local.get $x)) (i32.const 2)))
                (i32.const 0x55))
    (i64.load (i32.const 16)))
  ;; base at its home slot (second operand of the add), idx a local
  (func (export "base_home") (param $x i32) (result i64)
    (i32.store (i32.add (i32.shl (local.get $x) (i32.const 2)) (block (result i32) (i32.const 32)))
               (i32.const 7))
    (i64.load (i32.const 32)))
  ;; the shape the tester found: an if result feeding a load, compare, shift, add
  (func (export "found") (result i64)
    (i64.store (i32.const 0) (i64.const 0))
    (i64.store (i32.const 8) (i64.const 0))
    (i64.store offset=1
      (i32.add (i32.const 0)
        (i32.shl (i64.le_u (i64.load offset=64 (if (result i32) (i32.const 0)
                                                  (then (i32.const 0)) (else (i32.const 0))))
                           (i64.const 0))
                 (i32.const 1)))
      (i64.const 4))
    (i64.load (i32.const 0)))
)
(assert_return (invoke "idx_home" (i32.const 1)) (i64.const 0x40000))
(assert_return (invoke "idx_home_store8" (i32.const 1)) (i64.const 0x5500000000))
(assert_return (invoke "base_home" (i32.const 1)) (i64.const 0x700000000))
(assert_return (invoke "found") (i64.const 0x4000000))
