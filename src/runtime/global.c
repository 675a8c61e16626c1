/* global.c — global cells (see global.h). */
#include "global.h"
#include <stdlib.h>

wglobal *wglobal_new(uint8_t type, bool mut, wslot init) {
  wglobal *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->type = type;
  g->mut = mut;
  g->val = init;
  atomic_init(&g->refs, 1);
  return g;
}

void wglobal_ref(wglobal *g) { atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed); }

void wglobal_unref(wglobal *g) {
  if (g && atomic_fetch_sub_explicit(&g->refs, 1, memory_order_acq_rel) == 1) free(g);
}

weft_valtype weft_global_type(const weft_global *g) { return (weft_valtype)g->type; }

weft_slot weft_global_get(const weft_global *g) { return g->val; }
