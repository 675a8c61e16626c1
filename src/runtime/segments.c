/* segments.c — element and data segments at instantiation, following the 2.0 spec: every
 * element segment is evaluated first, then active element segments are applied in order
 * (as table.init + elem.drop), then active data segments (memory.init + data.drop).
 * Declarative segments are dropped straight away. */
#include <stdlib.h>
#include <string.h>
#include "constexpr.h"
#include "instance.h"
#include "memory.h"

static wstatus trap(werr *err, wtrap t) {
  werr_set(err, WERR_TRAP, "%s", weft_trap_message(t));
  if (err) err->trap = (int)t;
  return W_ERR;
}

static wstatus eval_elems(winstance *inst, werr *err) {
  const wmodule *m = inst->module;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const welem *s = &m->elems[i];
    inst->elem_len[i] = 0;
    if (s->mode == WSEG_DECLARATIVE || s->count == 0) continue;
    uintptr_t *refs = malloc((size_t)s->count * sizeof *refs);
    if (!refs) return werr_set(err, WERR_RESOURCE, "out of memory");
    inst->elem_refs[i] = refs;
    for (uint32_t k = 0; k < s->count; k++) {
      if (s->funcs) {
        refs[k] = (uintptr_t)inst->funcs[s->funcs[k]];
      } else {
        wslot v;
        if (wconst_eval(inst, &s->exprs[k], &v, err) != W_OK) return W_ERR;
        refs[k] = v.ref;
      }
    }
    inst->elem_len[i] = s->count;
  }
  return W_OK;
}

static void drop_elem(winstance *inst, uint32_t i) {
  free(inst->elem_refs[i]);
  inst->elem_refs[i] = NULL;
  inst->elem_len[i] = 0;
}

wstatus winst_apply_segments(winstance *inst, werr *err) {
  const wmodule *m = inst->module;
  if (eval_elems(inst, err) != W_OK) return W_ERR;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const welem *s = &m->elems[i];
    if (s->mode != WSEG_ACTIVE) continue;
    wslot off;
    if (wconst_eval(inst, &s->offset, &off, err) != W_OK) return W_ERR;
    wtable *t = inst->tables[s->table];
    uint32_t n = inst->elem_len[i];
    if ((uint64_t)off.i32 + n > t->size) return trap(err, WEFT_TRAP_OOB_TABLE);
    if (n) memcpy(t->elems + off.i32, inst->elem_refs[i], (size_t)n * sizeof(uintptr_t));
    drop_elem(inst, i);
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wdata *d = &m->datas[i];
    if (d->mode != WSEG_ACTIVE) continue;
    wslot off;
    if (wconst_eval(inst, &d->offset, &off, err) != W_OK) return W_ERR;
    wmemory *mem = inst->mems[d->mem];
    uint64_t size = atomic_load_explicit(&mem->size, memory_order_acquire);
    if ((uint64_t)off.i32 + d->len > size) return trap(err, WEFT_TRAP_OOB_MEMORY);
    if (d->len) memcpy(mem->base + off.i32, d->bytes, d->len);
    inst->data_dropped[i] = 1;
  }
  return W_OK;
}
