/* rt.h — the runtime's plain-C object layouts, shared by the runtime, the interpreter and
 * (later) AOT-generated code. Keep these plain structs: generated code reads them directly.
 */
#ifndef WEFT_RT_H
#define WEFT_RT_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "../../include/weft.h"
#include "../module/module.h"
#include "../platform/platform.h"

typedef weft_slot wslot;
typedef weft_trap wtrap;

/* A function instance: a wasm function of some instance, or a host function.
 * funcref values are pointers to these. */
typedef struct wfuncinst {
  const wfunctype *type;         /* owned by the module (wasm) or by the runtime (host) */
  struct winstance *inst;        /* owning instance for wasm functions, NULL for host */
  const struct wcode *code;      /* interpreter code (wasm functions), else NULL */
  uint32_t func_idx;             /* index in the owning module's function space */
  weft_host_fn host;             /* host function, else NULL */
  void *attachment;              /* passed to host */
  const char *host_name;         /* "module.name" for host functions (backtraces) */
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
  wplat_mutex grow_lock;
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
  wslot val;
  _Atomic int refs;
} wglobal;

/* An instance of a module. Index spaces mirror the module's (imports first). */
typedef struct winstance {
  const wmodule *module;
  struct weft_runtime *rt;
  wfuncinst **funcs;             /* nfuncs; imports point at the exporter's wfuncinst */
  wfuncinst *own_funcs;          /* storage for the defined functions */
  wtable **tables;
  wmemory **mems;
  wglobal **globals;
  uint8_t *mem0_base;            /* mems[0]->base or NULL: the interpreter's fast path */
  wmemory *mem0;
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

#endif
