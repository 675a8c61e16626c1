/* aot_abi.h — the contract between weftc-generated C and the runtime that loads it.
 *
 * weftc prepends weft.h, runtime/rt_layout.h and this header to every C file it generates
 * (the "#include" lines between them are dropped), so the generated code needs no include
 * path and is compiled by the target's compiler against the target's layout.
 *
 * The shared object built from that C exports exactly one symbol, WAOT_DESC_SYMBOL, a
 * `waot_desc`. The runtime (aot/aot_load.c) checks its ABI version, layout sizes and wasm
 * hash against the .aot header and the running weft, then calls `bind` once with the
 * runtime's helper table before any function runs. Fast paths (loads, stores, arithmetic,
 * globals, direct calls, the call_indirect check, table.size, memory.size) are inline in
 * the generated code; everything else goes through the helpers below.
 *
 * Calling convention of generated functions (defined function i of the module, i counted
 * from the first defined function, so wasm index = nimported_funcs + i):
 *   typed:  RES wf_<i>(struct wexec *e, winstance *inst, P0 p0, P1 p1, ...)
 *           i32 -> uint32_t, i64 -> uint64_t, f32 -> float, f64 -> double,
 *           funcref/externref -> uintptr_t; RES is void, the one result's type, or for
 *           several results a struct `{ T0 r0; T1 r1; ... }` (layout fixed by the types
 *           alone, so two modules agree on it).
 *   slots:  void ws_<i>(struct wexec *e, winstance *inst, weft_slot *s)
 *           arguments from s[0..nparams), results to s[0..nresults).
 * `inst` is the instance whose memory, tables and globals the code uses: the owning
 * instance, or a thread instance (a clone) of it.
 *
 * Traps never return to generated code: the helper records the trap on the exec and
 * siglongjmps to the recovery point of the enclosing weft_call. Bump WAOT_ABI_VERSION on
 * any change to this file or rt_layout.h.
 */
#ifndef WEFT_AOT_ABI_H
#define WEFT_AOT_ABI_H
#include <stddef.h>
#include <stdint.h>
#include "../runtime/rt_layout.h"

#define WAOT_ABI_VERSION 1u
#define WAOT_DESC_SYMBOL weft_aot_desc_v1

#if defined(__GNUC__) || defined(__clang__)
#define WAOT_NORETURN __attribute__((noreturn))
#else
#define WAOT_NORETURN
#endif

/* Runtime services for generated code. Every function gets the exec and the instance the
 * calling code runs in; `trap`-like helpers do not return. Memory/table/segment indexes
 * are the module's own. Bounds, drops and sizes are checked by the helper. */
typedef struct waot_helpers {
  uint32_t abi_version;          /* WAOT_ABI_VERSION of the runtime */
  /* Traps with `code` (a weft_trap). */
  WAOT_NORETURN void (*trap)(struct wexec *e, winstance *inst, uint32_t code);
  /* Prologue slow path, taken when the frame address is below e->stack_limit: traps
   * TERMINATED if a stop is pending, "call stack exhausted" if the native stack is really
   * short, else returns (a stop that was consumed meanwhile). */
  void (*enter_slow)(struct wexec *e, winstance *inst);
  /* Loop-head slow path, taken when e->suspend is non-zero: traps TERMINATED. */
  WAOT_NORETURN void (*suspended)(struct wexec *e, winstance *inst);
  /* Calls f (host function, interpreted wasm, or AOT wasm) with slots; the caller is
   * function `caller_idx` (wasm index space) of inst, recorded so host functions see
   * their calling instance. A trap inside does not return. */
  void (*call_slots)(struct wexec *e, winstance *inst, uint32_t caller_idx,
                     const wfuncinst *f, weft_slot *s);
  /* memory 0 */
  uint32_t (*memory_grow)(struct wexec *e, winstance *inst, uint32_t delta);   /* old or -1 */
  void (*memory_fill)(struct wexec *e, winstance *inst, uint32_t d, uint32_t val, uint32_t n);
  void (*memory_copy)(struct wexec *e, winstance *inst, uint32_t d, uint32_t s, uint32_t n);
  void (*memory_init)(struct wexec *e, winstance *inst, uint32_t seg, uint32_t d, uint32_t s,
                      uint32_t n);
  void (*data_drop)(struct wexec *e, winstance *inst, uint32_t seg);
  /* tables */
  uintptr_t (*table_get)(struct wexec *e, winstance *inst, uint32_t t, uint32_t i);
  void (*table_set)(struct wexec *e, winstance *inst, uint32_t t, uint32_t i, uintptr_t v);
  uint32_t (*table_grow)(struct wexec *e, winstance *inst, uint32_t t, uintptr_t init,
                         uint32_t n);                                          /* old or -1 */
  void (*table_fill)(struct wexec *e, winstance *inst, uint32_t t, uint32_t i, uintptr_t v,
                     uint32_t n);
  void (*table_copy)(struct wexec *e, winstance *inst, uint32_t dt, uint32_t st, uint32_t d,
                     uint32_t s, uint32_t n);
  void (*table_init)(struct wexec *e, winstance *inst, uint32_t t, uint32_t seg, uint32_t d,
                     uint32_t s, uint32_t n);
  void (*elem_drop)(struct wexec *e, winstance *inst, uint32_t seg);
  /* threads: addr is the effective address (already bounds- and alignment-checked by the
   * generated code); wait returns 0 ok, 1 not-equal, 2 timed-out, or traps (unshared
   * memory: "expected shared memory"; a stop request: "terminated"). */
  uint32_t (*atomic_wait32)(struct wexec *e, winstance *inst, uint64_t addr, uint32_t expected,
                            int64_t timeout_ns);
  uint32_t (*atomic_wait64)(struct wexec *e, winstance *inst, uint64_t addr, uint64_t expected,
                            int64_t timeout_ns);
  uint32_t (*atomic_notify)(struct wexec *e, winstance *inst, uint64_t addr, uint32_t count);
} waot_helpers;

/* Module descriptor exported by the shared object as WAOT_DESC_SYMBOL. */
typedef struct waot_desc {
  uint32_t abi_version;          /* WAOT_ABI_VERSION the code was generated for */
  uint32_t flags;                /* WAOT_F_* the code was generated with */
  uint64_t wasm_hash;            /* waot_hash() of the module bytes it was generated from */
  /* sizeof/offsetof as the target compiler saw rt_layout.h; the loader compares them with
   * its own, so a layout mismatch is refused instead of misread */
  uint32_t layout[8];
  uint32_t ndefined;             /* defined functions (wasm index - nimported_funcs) */
  void *const *typed;            /* ndefined typed entries (wf_<i>) */
  const waot_slot_fn *slots;     /* ndefined slot entries (ws_<i>) */
  void (*bind)(const waot_helpers *h);  /* called once by the loader before any call */
} waot_desc;

/* waot_desc.flags */
enum {
  WAOT_F_BOUNDS_CHECKS = 1u << 0,  /* explicit bounds checks (no guard pages needed) */
  WAOT_F_MULTI_THREAD = 1u << 1,   /* compiled with --enable-multi-thread */
  WAOT_F_ASYNC_INTERRUPT = 1u << 2, /* pure loops rely on the runtime's stop signal */
};

/* The layout fingerprint stored in waot_desc.layout (same expression on both sides). */
#define WAOT_LAYOUT_INIT                                                                    \
  { (uint32_t)sizeof(wfuncinst), (uint32_t)sizeof(wmemory), (uint32_t)sizeof(wtable),      \
    (uint32_t)sizeof(wglobal), (uint32_t)sizeof(winstance), (uint32_t)sizeof(wexec_head),  \
    (uint32_t)offsetof(winstance, type_canon), (uint32_t)offsetof(wfuncinst, aot_slots) }

#endif
