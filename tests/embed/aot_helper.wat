;; aot_helper.wat — interpreted functions the hand-written AOT module imports.
(module
  (func $twice (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $itrap (export "itrap") (unreachable)))
