/* module.h — the decoded, immutable representation of a WebAssembly module.
 *
 * Produced by wmod_decode (decode.c), checked by wmod_validate (validate.c), translated by
 * winterp_compile_module (interp/compile.c). After loading it is never mutated, so any
 * number of instances and threads share it. Index spaces are unified: imports come first
 * in the function/table/memory/global index spaces, exactly as in the spec.
 * All pointers into the binary point into `bytes`, the module's own copy of the input.
 */
#ifndef WEFT_MODULE_H
#define WEFT_MODULE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../util/werr.h"

/* Value types, numbered by their binary encoding. */
typedef enum {
  WT_I32 = 0x7F, WT_I64 = 0x7E, WT_F32 = 0x7D, WT_F64 = 0x7C, WT_V128 = 0x7B,
  WT_FUNCREF = 0x70, WT_EXTERNREF = 0x6F,
} wvaltype;

/* External kinds (import/export descriptors). */
typedef enum { WEXT_FUNC = 0, WEXT_TABLE = 1, WEXT_MEMORY = 2, WEXT_GLOBAL = 3 } wextkind;

/* A function type: params then results in one array. */
typedef struct wfunctype {
  uint32_t nparams, nresults;
  uint8_t *types;            /* nparams + nresults wvaltype bytes (owned) */
} wfunctype;
#define WFT_PARAM(ft, i) ((wvaltype)(ft)->types[i])
#define WFT_RESULT(ft, i) ((wvaltype)(ft)->types[(ft)->nparams + (i)])

/* Limits of a table (elements) or memory (64 KiB pages). */
typedef struct {
  uint64_t min, max;
  bool has_max;
  bool shared;               /* memories only: threads proposal flag 0x02/0x03 */
} wlimits;

typedef struct { uint8_t elem; wlimits lim; } wtabletype;   /* elem: WT_FUNCREF/WT_EXTERNREF */
typedef struct { wlimits lim; } wmemtype;
typedef struct { uint8_t type; bool mut; } wglobaltype;

/* A constant expression, kept as the byte range of its instructions (including the final
 * `end`). The validator checks it; instantiation evaluates it (runtime/constexpr). */
typedef struct { const uint8_t *code; uint32_t len; uint32_t offset; } wconstexpr;

typedef struct {
  char *module, *name;       /* NUL-terminated copies (names may also contain NUL: use *_len) */
  uint32_t module_len, name_len;
  wextkind kind;
  union {
    uint32_t func_type;      /* WEXT_FUNC: type index */
    wtabletype table;
    wmemtype mem;
    wglobaltype global;
  } u;
} wimport;

typedef struct {
  char *name;
  uint32_t name_len;
  wextkind kind;
  uint32_t index;
} wexport;

/* A function defined in the module (not imported). */
typedef struct {
  uint32_t type_idx;
  uint32_t nlocals;          /* declared locals, excluding parameters */
  uint8_t *local_types;      /* nlocals wvaltype bytes (owned) */
  const uint8_t *code;       /* instruction bytes after the locals, through the final end */
  uint32_t code_len;
  uint32_t code_offset;      /* offset of `code` within the module binary, for messages */
  uint32_t body_offset;      /* offset of the body (its size field) in the binary */
  struct wcode *compiled;    /* interpreter code, set once at load (interp/code.h) */
} wfunc;

typedef struct {
  wglobaltype type;
  wconstexpr init;
} wglobal_def;

typedef enum { WSEG_ACTIVE, WSEG_PASSIVE, WSEG_DECLARATIVE } wsegmode;

/* An element segment. Either `funcs` (function indices, the compact encodings) or `exprs`
 * (one constant expression per element) is set, never both. */
typedef struct {
  wsegmode mode;
  uint8_t elem_type;         /* WT_FUNCREF or WT_EXTERNREF */
  uint32_t table;            /* active only */
  wconstexpr offset;         /* active only */
  uint32_t count;
  uint32_t *funcs;           /* owned, or NULL */
  wconstexpr *exprs;         /* owned, or NULL */
} welem;

typedef struct {
  wsegmode mode;             /* WSEG_ACTIVE or WSEG_PASSIVE */
  uint32_t mem;              /* active only */
  wconstexpr offset;         /* active only */
  const uint8_t *bytes;
  uint32_t len;
} wdata;

/* The C toolchain's auxiliary stack: the defined mutable i32 global that holds the stack
 * pointer (`__stack_pointer`) and, when they can be worked out, the stack's byte bounds.
 * The stack grows down from `hi` (the global's initial value) towards `lo`. */
typedef struct {
  bool found;                /* `global` is the stack pointer */
  bool bounded;              /* lo/hi are known (exports or data layout), see auxstack.c */
  uint32_t global;           /* index in the global index space */
  uint32_t lo, hi;           /* the whole aux stack is [lo, hi) */
} wauxstack;

typedef struct wmodule {
  uint8_t *bytes;            /* owned copy of the binary */
  size_t size;

  wfunctype *types; uint32_t ntypes;
  wimport *imports; uint32_t nimports;

  /* function index space: [0, nimported_funcs) imports, then defined functions */
  uint32_t nfuncs, nimported_funcs;
  uint32_t *func_types;      /* type index of every function in the index space (owned) */
  wfunc *funcs;              /* the nfuncs - nimported_funcs defined functions (owned) */

  wtabletype *tables; uint32_t ntables, nimported_tables;   /* whole index space */
  wmemtype *mems; uint32_t nmems, nimported_mems;           /* whole index space */
  wglobal_def *globals; uint32_t nglobals, nimported_globals; /* imports: init unused */

  wexport *exports; uint32_t nexports;
  bool has_start; uint32_t start;
  welem *elems; uint32_t nelems;
  wdata *datas; uint32_t ndatas;
  bool has_datacount; uint32_t datacount;

  char *name;                /* from the name section, or NULL */
  char **func_names;         /* nfuncs entries (owned), NULL where unnamed; NULL if none */
  char **global_names;       /* nglobals entries (owned, name subsection 7), or NULL */

  /* Set by the validator: functions that may be the target of ref.func (C.refs in the
   * spec: referenced outside function bodies, in elems/exports/global inits). */
  uint8_t *declared_refs;    /* nfuncs bytes, 1 = declared (owned) */
  bool validated;

  wauxstack aux_stack;       /* set by wmod_find_aux_stack after validation */

  /* The canonical id (runtime/typecanon.c) of each type index, ntypes entries (owned):
   * set once by the runtime when it loads the module, shared by all its instances. */
  uint32_t *type_canon;

  /* AOT-compiled code (aot/aot_load.c) for a module loaded from a .aot, else NULL; its
   * functions then have no interpreter code. Freed by wmod_free through aot_free. */
  struct waot_code *aot;
  void (*aot_free)(struct waot_code *);
} wmodule;

/* Decodes `len` bytes into a new module (copies the bytes). On failure returns NULL and
 * sets *err (kind WERR_MALFORMED, message naming the section/offset and the rule). */
wmodule *wmod_decode(const uint8_t *bytes, size_t len, werr *err) W_WUR;

/* Proposals that can be switched off at validation (bits of wmod_validate's `disabled`).
 * Without reference types a module is held to the MVP + bulk-memory rules: one table,
 * funcref only, no table.get/set/size/grow/fill, ref.* or typed select in bodies. */
enum { WFEAT_NO_REFERENCE_TYPES = 1u << 0 };
/* Validates a decoded module (WebAssembly 2.0 + threads, minus the `disabled` proposals).
 * Sets m->validated on success.
 * Errors: WERR_INVALID (type rules), or WERR_MALFORMED for code that does not decode. */
wstatus wmod_validate(wmodule *m, uint32_t disabled, werr *err) W_WUR;

/* Frees a module and everything it owns (including compiled code). NULL is fine. */
void wmod_free(wmodule *m);

/* The type of function `idx` in the index space. */
static inline const wfunctype *wmod_func_type(const wmodule *m, uint32_t idx) {
  return &m->types[m->func_types[idx]];
}

/* A display name for function idx: its name-section name, else "$f<idx>" in buf. */
const char *wmod_func_name(const wmodule *m, uint32_t idx, char *buf, size_t buflen);

/* Finds the aux stack global and its bounds (module/auxstack.c) into m->aux_stack. Needs a
 * validated module; a module without one gets found = false. */
void wmod_find_aux_stack(wmodule *m);

/* Text name of a value type ("i32", "funcref", ...). */
const char *wvaltype_name(uint8_t t);

#endif
