;; natives.wat — imports one native per signature shape (module "t"); each export forwards
;; its parameters to the import of the same name, so the native is called from wasm (its
;; pointers refer to this instance's memory). Used by weft-natives-test (natives_test.c).
(module
  (import "t" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))        ;; (iIfF)F
  (import "t" "mix2" (func $mix2 (param f32 i32 f64 i64) (result f32)))      ;; (fiFI)f
  (import "t" "buf" (func $buf (param i32 i32) (result i32)))                ;; (*~)i
  (import "t" "str" (func $str (param i32) (result i32)))                    ;; ($)i
  (import "t" "one" (func $one (param i32) (result i32)))                    ;; (*)i
  (import "t" "ref" (func $ref (param externref) (result externref)))        ;; (r)r
  (import "t" "void" (func $void))                                           ;; ()
  (import "t" "many" (func $many (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
                                 (result i64)))                              ;; (iiiiiiiiiiii)I
  (import "t" "wide" (func $wide (param i32 f64 i64 f32 i32 f64 i64 f32 i32 f64 i64 f32
                                        i32 f64 i64 f32 i32 i32 i32 i32) (result f64)))
  (import "t" "all" (func $all (param i32 i64 f32 f64 i32 i32 i32 externref) (result i32)))
                                                                             ;; (iIfF*~$r)i
  (import "t" "raw" (func $raw (param i32 i32 i32 i32 f64 i64) (result i64)))  ;; raw (i*~$FI)I
  (import "t" "rawf" (func $rawf (param f32) (result f32)))                  ;; raw (f)f
  (import "t" "att" (func $att (result i32)))                                ;; ()i
  (import "t" "bye" (func $bye (param i32)))                                 ;; (i)
  (import "t" "who" (func $who (result i32)))                                ;; ()i
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\00")
  (data (i32.const 65532) "tail")        ;; no NUL before the end of memory
  (func (export "mix") (param i32 i64 f32 f64) (result f64)
    local.get 0 local.get 1 local.get 2 local.get 3 call $mix)
  (func (export "mix2") (param f32 i32 f64 i64) (result f32)
    local.get 0 local.get 1 local.get 2 local.get 3 call $mix2)
  (func (export "buf") (param i32 i32) (result i32) local.get 0 local.get 1 call $buf)
  (func (export "str") (param i32) (result i32) local.get 0 call $str)
  (func (export "one") (param i32) (result i32) local.get 0 call $one)
  (func (export "ref") (param externref) (result externref) local.get 0 call $ref)
  (func (export "void") call $void)
  (func (export "many") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i64)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5
    local.get 6 local.get 7 local.get 8 local.get 9 local.get 10 local.get 11 call $many)
  (func (export "wide") (param i32 f64 i64 f32 i32 f64 i64 f32 i32 f64 i64 f32
                               i32 f64 i64 f32 i32 i32 i32 i32) (result f64)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 local.get 6
    local.get 7 local.get 8 local.get 9 local.get 10 local.get 11 local.get 12 local.get 13
    local.get 14 local.get 15 local.get 16 local.get 17 local.get 18 local.get 19 call $wide)
  (func (export "all") (param i32 i64 f32 f64 i32 i32 i32 externref) (result i32)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 local.get 6
    local.get 7 call $all)
  (func (export "raw") (param i32 i32 i32 i32 f64 i64) (result i64)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 call $raw)
  (func (export "rawf") (param f32) (result f32) local.get 0 call $rawf)
  (func (export "att") (result i32) call $att)
  ;; exit from inside a nested wasm call: the whole call stack ends
  (func $deep (param i32) local.get 0 call $bye unreachable)
  (func (export "bye") (param i32) local.get 0 call $deep)
  (func (export "who") (result i32) call $who)
  ;; the result of a native used in arithmetic: checks the upper bits of i32 results
  (func (export "buf_plus") (param i32 i32) (result i64)
    local.get 0 local.get 1 call $buf i64.extend_i32_u i64.const 1 i64.add)
)
