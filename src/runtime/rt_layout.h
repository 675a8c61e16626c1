/* rt_layout.h — the layout of the runtime objects that compiled code touches: function
 * instances, linear memory, tables, globals, instances and the head of an exec.
 *
 * This is the one description of that layout. The runtime and the interpreter include it
 * (through rt.h), and weftc prepends it (with weft.h and aot_abi.h) to every C file it
 * generates, so AOT code is compiled against exactly these structs by the target's own
 * compiler (cross-compiling gets the target's offsets). Keep it self-contained: standard
 * headers and weft.h only; everything else is an incomplete struct.
 */
#ifndef WEFT_RT_LAYOUT_H
#define WEFT_RT_LAYOUT_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "../../include/weft.h"

struct wfunctype;                /* module/module.h */
struct wmodule;
struct wcode;                    /* interp/code.h */
struct wcluster;                 /* thread/cluster.h */
struct wasi_ctx;                 /* wasi/wasi.h */
struct wmem_lock;                /* runtime/memory.c */
struct wexec;

/* Signature of an AOT function's slot entry: arguments in s[0..nparams), results written to
 * s[0..nresults). Traps never return: they siglongjmp to the exec's recovery point. */
typedef void (*waot_slot_fn)(struct wexec *e, struct winstance *inst, weft_slot *s);

/* A function instance: a wasm function of some instance, or a host function.
 * funcref values are pointers to these. Exactly one of these describes the code:
 * `code` (interpreted wasm), `aot_fn`/`aot_slots` (AOT-compiled wasm), `host`. */
typedef struct wfuncinst {
  const struct wfunctype *type;  /* owned by the module (wasm) or by the runtime (host) */
  struct winstance *inst;        /* owning instance for wasm functions, NULL for host */
  const struct wcode *code;      /* interpreter code (wasm functions), else NULL */
  uint32_t func_idx;             /* index in the owning module's function space */
  uint32_t canon;                /* canonical (process-wide interned) id of `type`: two
                                    functions have structurally equal types iff equal ids */
  weft_host_fn host;             /* host function, else NULL */
  void *attachment;              /* passed to host */
  const char *host_name;         /* "module.name" for host functions (backtraces) */
  /* AOT-compiled wasm: the typed C function `R f(struct wexec *, struct winstance *, P...)`
   * (called directly by other AOT code with `inst` as its instance), and its slot entry
   * (called by the runtime, the interpreter and AOT code that only has slots). */
  void *aot_fn;
  waot_slot_fn aot_slots;
} wfuncinst;

/* Linear memory. `base` never changes after creation: memory.grow only commits more of the
 * reservation, so other threads' pointers stay valid. `size` is read atomically (acquire)
 * by anyone who needs the bound; grow happens under `grow_lock`. */
typedef struct wmemory {
  uint8_t *base;
  _Atomic uint64_t size;         /* current size in bytes (pages * 65536) */
  uint64_t max_pages;            /* effective maximum (declared max, capped by config) */
  bool has_max, shared;
  bool guarded;                  /* reservation covers 8 GiB + guard: no bounds checks */
  size_t reserved;               /* bytes of address space reserved at base */
  struct wmem_lock *grow_lock;   /* owned by memory.c */
  _Atomic int refs;              /* instances and registries holding this memory */
} wmemory;

/* A table of references (funcref: wfuncinst*, externref: opaque). */
typedef struct wtable {
  uint8_t elem_type;             /* WT_FUNCREF / WT_EXTERNREF */
  uint32_t size;
  uint64_t max;                  /* effective maximum */
  bool has_max;
  uintptr_t *elems;              /* size entries (capacity may be larger) */
  uint32_t capacity;
  _Atomic int refs;
} wtable;

/* A global variable cell; imported globals share the exporter's cell. */
typedef struct wglobal {
  uint8_t type;
  bool mut;
  weft_slot val;
  _Atomic int refs;
} wglobal;

/* An instance of a module. Index spaces mirror the module's (imports first). */
typedef struct winstance {
  const struct wmodule *module;
  struct weft_runtime *rt;
  wfuncinst **funcs;             /* nfuncs; imports point at the exporter's wfuncinst */
  wfuncinst *own_funcs;          /* storage for the defined functions */
  wtable **tables;
  wmemory **mems;
  wglobal **globals;
  uint8_t *mem0_base;            /* mems[0]->base or NULL: the interpreter's fast path */
  wmemory *mem0;
  /* canonical type id (wfuncinst.canon) of each of the module's type indexes: the
   * call_indirect signature check is one compare (the module's wmodule.type_canon, shared) */
  const uint32_t *type_canon;
  /* element segments after instantiation: evaluated references; a dropped segment has
   * elem_len 0. Data segments: dropped flag (length becomes 0). */
  uintptr_t **elem_refs;
  uint32_t *elem_len;
  uint8_t *data_dropped;
  /* Aux stack guard (thread manager): a global.set of module->aux_stack.global with a value
   * v traps "wasm auxiliary stack overflow" when (uint32_t)(v - aux_lo) > aux_span, i.e.
   * when v leaves [aux_lo, aux_lo + aux_span]. Each thread instance holds its own slice.
   * Unchecked (aux_lo 0, aux_span UINT32_MAX) until the thread manager sets a slice. */
  uint32_t aux_lo, aux_span;
  struct wcluster *cluster;      /* the program's thread manager (src/thread/), or NULL */
  struct winstance *thread_parent; /* for a thread instance: the main instance, else NULL */
  _Atomic(struct wasi_ctx *) wasi; /* the program's WASI context (src/wasi/), main
                                    instance only; NULL until attached or first used */
  _Atomic int refs;              /* the embedder's handle plus importers' references */
  struct winstance **deps;       /* instances this one imports from (held references) */
  uint32_t ndeps;
} winstance;

/* The first fields of every exec (runtime/exec.h), the only part compiled code reads.
 * `stack_limit` doubles as the interrupt: AOT function prologues compare their frame
 * address with it, and weft_exec_request_stop sets it to UINTPTR_MAX so that the next
 * call takes the slow path, which then looks at `suspend`. `native_limit` is the real
 * limit (lowest usable native stack address of the OS thread running the exec plus a
 * margin for host functions), restored when the stop is consumed. */
#define WEXEC_HEAD_FIELDS                                                                  \
  _Atomic uint32_t suspend;      /* non-zero: stop at next back-edge/call (TERMINATED) */  \
  _Atomic uintptr_t stack_limit; /* native_limit, or UINTPTR_MAX while a stop is pending */ \
  uintptr_t native_limit;
typedef struct wexec_head { WEXEC_HEAD_FIELDS } wexec_head;

#endif
