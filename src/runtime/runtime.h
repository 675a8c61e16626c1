/* runtime.h — the weft_runtime object: configuration (with defaults applied) and the
 * registry of importable objects (host functions/globals/tables/memories and registered
 * instances). Internal to src/; the public surface is weft.h. */
#ifndef WEFT_RUNTIME_H
#define WEFT_RUNTIME_H
#include "rt.h"

/* One host object registered under (module, name). */
typedef struct {
  char *module, *name;
  wextkind kind;
  void *obj;                     /* wfuncinst* / wtable* / wmemory* / wglobal* (ref held) */
} wrt_host;

/* An instance registered under a module name (spec `register`); holds a reference. */
typedef struct {
  char *name;
  winstance *inst;
} wrt_named;

struct weft_runtime {
  weft_config cfg;               /* every field non-zero after weft_runtime_new */
  wplat_mutex lock;              /* guards the registry and the graveyard */
  wrt_host *hosts; uint32_t nhosts, hosts_cap;
  wrt_named *named; uint32_t nnamed, named_cap;
  /* Instances whose handle was dropped but whose functions may still be referenced from
   * tables/globals of other instances (see instance.c); freed with the runtime. */
  winstance **graveyard; uint32_t ngrave, grave_cap;
  bool dying;                    /* in weft_runtime_delete: unref frees, never buries */
  struct wnative *natives;       /* weft_register_natives' records (natives.c) */
};

/* True if memories of this runtime use explicit bounds checks instead of guard pages
 * (configured, or forced on hosts without a 64-bit address space). */
bool wrt_bounds_checks(const struct weft_runtime *rt);

/* Looks up an importable object with rt->lock held; returns it (no reference taken), its
 * kind, and the registered instance exporting it (NULL for host objects), or NULL.
 * Registered instances shadow host objects of the same module name. */
void *wrt_lookup(struct weft_runtime *rt, const char *module, uint32_t module_len,
                 const char *name, uint32_t name_len, wextkind *kind_out,
                 winstance **owner);

/* With rt->lock held: the newest host function registered under (module, name) whose type
 * is exactly `want`, or NULL. A name registered with several types (env.
 * pthread_cond_timedwait's 32- and 64-bit timeouts) links each import to its own type. */
void *wrt_lookup_func_typed(struct weft_runtime *rt, const char *module, uint32_t module_len,
                            const char *name, uint32_t name_len, const wfunctype *want);

/* Keeps an instance alive until the runtime is deleted (takes over one reference). */
void wrt_bury(struct weft_runtime *rt, winstance *inst);

/* Copies an internal werr into a public weft_error (kind and message). */
void wrt_error_from(weft_error *out, const werr *in);
/* Fills a public weft_error with a kind and formatted message; NULL is fine. */
void wrt_error_set(weft_error *out, weft_errkind kind, const char *fmt, ...) W_PRINTF(3, 4);

#endif
