/* instance.h — instance lifetime (reference counting) shared by runtime and registry. */
#ifndef WEFT_INSTANCE_H
#define WEFT_INSTANCE_H
#include "rt.h"

/* The allocation behind a winstance: the counts needed to free it without its module
 * (which the embedder may delete first once the handle is gone). */
typedef struct {
  winstance pub;                 /* first: a winstance* is a winst_priv* */
  uint32_t nfuncs, ntables, nmems, nglobals, nelems, ndatas;
  bool entangled;                /* imported a table or a mutable reference global */
  struct wappheap *heap;         /* the app heap (appheap.c), or NULL */
} winst_priv;

/* Creates an empty instance of m (arrays allocated, nothing resolved); one reference. */
winstance *winst_alloc(struct weft_runtime *rt, const wmodule *m);
/* Resolves m's imports against the registry into inst (WERR_LINK on failure). */
wstatus winst_link(winstance *inst, werr *err) W_WUR;
/* Evaluates element segments and applies active element then data segments in order.
 * A failure is WERR_TRAP (err->trap set); writes done before it stay visible. */
wstatus winst_apply_segments(winstance *inst, werr *err) W_WUR;

void winst_ref(winstance *inst);
/* Drops a reference. At zero the instance is freed, unless its functions may have escaped
 * into objects it does not own (it imported a table or a mutable reference global), in
 * which case it is parked on the runtime's graveyard until the runtime is deleted. */
void winst_unref(winstance *inst);
/* Frees an instance unconditionally (runtime teardown). */
void winst_destroy(winstance *inst);
/* Finds an export by name; returns its index or -1 if absent or of another kind. */
int64_t winst_find_export(const winstance *inst, const char *name, uint32_t name_len,
                          wextkind kind);

#endif
