/* instance_clone.c — thread instances (see instance_clone.h). A thread instance needs its
 * own function instances because a wfuncinst names the instance whose globals (above all
 * __stack_pointer) the interpreter uses while that function runs. */
#include "instance_clone.h"
#include <stdlib.h>
#include <string.h>
#include "constexpr.h"
#include "global.h"
#include "instance.h"
#include "memory.h"
#include "runtime.h"
#include "table.h"

/* A reference of main's, translated: main's own functions become the clone's. */
static uintptr_t remap(const winstance *main, winstance *clone, uint8_t elem_type, uintptr_t r) {
  if (elem_type != WT_FUNCREF || !r) return r;
  const wfuncinst *f = (const wfuncinst *)r;
  if (f->inst != main) return r;
  return (uintptr_t)clone->funcs[f->func_idx];
}

winstance *winst_clone_for_thread(winstance *main, werr *err) {
  const wmodule *m = main->module;
  winstance *in = winst_alloc(main->rt, m);
  if (!in) {
    werr_set(err, WERR_RESOURCE, "out of memory creating a thread instance");
    return NULL;
  }
  for (uint32_t i = 0; i < m->nimported_funcs; i++) in->funcs[i] = main->funcs[i];
  for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
    wfuncinst *f = &in->own_funcs[i - m->nimported_funcs];
    *f = *main->funcs[i];   /* code, or the AOT entries (the same code, our own inst) */
    f->inst = in;
    in->funcs[i] = f;
  }
  for (uint32_t i = 0; i < m->nmems; i++) {
    in->mems[i] = main->mems[i];
    wmem_ref(in->mems[i]);
  }
  if (m->nmems) {
    in->mem0 = in->mems[0];
    in->mem0_base = in->mems[0]->base;
  }
  /* Tables are per-thread objects (table.c grows them without locks): copy main's. */
  for (uint32_t i = 0; i < m->ntables; i++) {
    const wtable *src = main->tables[i];
    wtable *t = wtable_new(src->elem_type, src->size, src->max, src->has_max,
                          main->rt->cfg.max_table_elems, err);
    if (!t) goto fail;
    in->tables[i] = t;
    for (uint32_t k = 0; k < src->size; k++)
      t->elems[k] = remap(main, in, src->elem_type, src->elems[k]);
  }
  for (uint32_t i = 0; i < m->nglobals; i++) {
    if (i < m->nimported_globals) {
      in->globals[i] = main->globals[i];
      wglobal_ref(in->globals[i]);
      continue;
    }
    wslot v = {0};
    if (wconst_eval(in, &m->globals[i].init, &v, err) != W_OK) goto fail;
    in->globals[i] = wglobal_new(m->globals[i].type.type, m->globals[i].type.mut, v);
    if (!in->globals[i]) {
      werr_set(err, WERR_RESOURCE, "out of memory creating a thread instance");
      goto fail;
    }
  }
  for (uint32_t i = 0; i < m->nelems; i++) {
    uint32_t n = main->elem_len[i];
    in->elem_len[i] = n;
    if (!main->elem_refs[i]) continue;
    in->elem_refs[i] = malloc((n ? n : 1) * sizeof(uintptr_t));
    if (!in->elem_refs[i]) {
      werr_set(err, WERR_RESOURCE, "out of memory creating a thread instance");
      goto fail;
    }
    for (uint32_t k = 0; k < n; k++)
      in->elem_refs[i][k] = remap(main, in, m->elems[i].elem_type, main->elem_refs[i][k]);
  }
  if (m->ndatas) memcpy(in->data_dropped, main->data_dropped, m->ndatas);
  ((winst_priv *)in)->heap = ((winst_priv *)main)->heap;
  in->aux_lo = main->aux_lo;
  in->aux_span = main->aux_span;
  in->cluster = main->cluster;
  in->thread_parent = main;
  return in;
fail:
  winst_clone_delete(in);
  return NULL;
}

void winst_clone_delete(winstance *clone) {
  if (!clone) return;
  ((winst_priv *)clone)->heap = NULL;   /* main's: not ours to free */
  winst_destroy(clone);
}
