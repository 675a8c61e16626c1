;; embed.wat — the module weft-embed-test drives through wasm_export.h: natives with every
;; signature letter (module "env"), plain arithmetic for call_wasm / call_wasm_a, a trap,
;; main(argc, argv), its own malloc/free (used by module_malloc when there is no app heap)
;; and a long loop for wasm_runtime_terminate.
(module
  (import "env" "n_all" (func $all (param i32 i64 f32 f64 i32 i32 i32) (result i64)))  ;; (iIfF*~$)I
  (import "env" "n_ref" (func $ref (param externref) (result i32)))                    ;; (r)i
  (import "env" "n_raw" (func $raw (param i32 i32 i32) (result i32)))                  ;; raw (*~i)i
  (import "env" "n_exc" (func $exc (param i32)))                                       ;; (i)
  (import "env" "n_info" (func $info (result i32)))                                    ;; ()i
  (import "env" "n_exit" (func $exit (param i32)))                                     ;; (i)
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 4096))
  (global $frees (mut i32) (i32.const 0))
  (data (i32.const 16) "hello\00")
  (data (i32.const 65532) "tail")

  (func (export "all") (param i32 i64 f32 f64 i32 i32 i32) (result i64)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 local.get 6
    call $all)
  (func (export "ref") (param externref) (result i32) local.get 0 call $ref)
  (func (export "raw") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 call $raw)
  (func (export "exc") (param i32) local.get 0 call $exc)
  (func (export "info") (result i32) call $info)
  (func (export "quit") (param i32) local.get 0 call $exit)

  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
  (func (export "mulf") (param f32 f64) (result f64) local.get 0 f64.promote_f32 local.get 1 f64.mul)
  (func (export "multi") (param i32) (result i32 i64 f64)
    local.get 0 i32.const 1 i32.add
    local.get 0 i64.extend_i32_s i64.const 40 i64.shl
    local.get 0 f64.convert_i32_s f64.const 0.5 f64.mul)
  (func (export "peek") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store8)

  ;; bump allocator: 8-byte aligned, never reuses; free counts calls
  (func (export "malloc") (param i32) (result i32) (local i32)
    global.get $bump local.set 1
    global.get $bump local.get 0 i32.add i32.const 7 i32.add i32.const -8 i32.and global.set $bump
    local.get 1)
  (func (export "free") (param i32) global.get $frees i32.const 1 i32.add global.set $frees)
  (func (export "frees") (result i32) global.get $frees)

  ;; main(argc, argv) = argc * 1000 + the total length of the argument strings
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (local $i i32) (local $p i32) (local $n i32)
    (block $done
      (loop $args
        local.get $i local.get $argc i32.ge_u br_if $done
        local.get $argv local.get $i i32.const 4 i32.mul i32.add i32.load local.set $p
        (block $end
          (loop $chars
            local.get $p i32.load8_u i32.eqz br_if $end
            local.get $n i32.const 1 i32.add local.set $n
            local.get $p i32.const 1 i32.add local.set $p
            br $chars))
        local.get $i i32.const 1 i32.add local.set $i
        br $args))
    local.get $argc i32.const 1000 i32.mul local.get $n i32.add)

  ;; counts down from n (a long loop that wasm_runtime_terminate interrupts)
  (func (export "spin") (param i32) (result i32)
    (block $done
      (loop $l
        local.get 0 i32.eqz br_if $done
        local.get 0 i32.const 1 i32.sub local.set 0
        br $l))
    local.get 0)
)
