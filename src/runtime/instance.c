/* instance.c — instance creation (weft_instantiate) and lifetime. An instance holds
 * references on its memories, tables and globals, and on every instance it imports from
 * (deps), so exporters outlive importers. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <stdlib.h>
#include <string.h>
#include "appheap.h"
#include "constexpr.h"
#include "exec.h"
#include "global.h"
#include "instance.h"
#include "memory.h"
#include "runtime.h"
#include "table.h"
#include "../thread/thread.h"
#include "../aot/aot_internal.h"
#include "../wasi/wasi.h"

winstance *winst_alloc(struct weft_runtime *rt, const wmodule *m) {
  winst_priv *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  winstance *in = &p->pub;
  in->module = m;
  in->rt = rt;
  in->aux_span = UINT32_MAX;     /* aux stack unchecked until the thread manager slices it */
  atomic_init(&in->refs, 1);
  p->nfuncs = m->nfuncs;
  p->ntables = m->ntables;
  p->nmems = m->nmems;
  p->nglobals = m->nglobals;
  p->nelems = m->nelems;
  p->ndatas = m->ndatas;
  uint32_t ndef = m->nfuncs - m->nimported_funcs;
  /* calloc(0) may return NULL: allocate at least one of each */
  in->funcs = calloc(m->nfuncs + 1, sizeof *in->funcs);
  in->own_funcs = calloc(ndef + 1, sizeof *in->own_funcs);
  in->tables = calloc(m->ntables + 1, sizeof *in->tables);
  in->mems = calloc(m->nmems + 1, sizeof *in->mems);
  in->globals = calloc(m->nglobals + 1, sizeof *in->globals);
  in->elem_refs = calloc(m->nelems + 1, sizeof *in->elem_refs);
  in->elem_len = calloc(m->nelems + 1, sizeof *in->elem_len);
  in->data_dropped = calloc(m->ndatas + 1, 1);
  in->deps = calloc(2 * (size_t)m->nimports + 1, sizeof *in->deps);
  in->type_canon = m->type_canon;   /* the module's (set at load) */
  if (!in->funcs || !in->own_funcs || !in->tables || !in->mems || !in->globals ||
      !in->elem_refs || !in->elem_len || !in->data_dropped || !in->deps || !in->type_canon) {
    winst_destroy(in);
    return NULL;
  }
  return in;
}

void winst_destroy(winstance *in) {
  if (!in) return;
  wcluster_detach(in);           /* stops and frees the program's threads first */
  if (!in->thread_parent) wasi_ctx_free(atomic_load(&in->wasi));   /* after the threads */
  winst_priv *p = (winst_priv *)in;
  for (uint32_t i = 0; in->tables && i < p->ntables; i++) wtable_unref(in->tables[i]);
  for (uint32_t i = 0; in->mems && i < p->nmems; i++) wmem_unref(in->mems[i]);
  for (uint32_t i = 0; in->globals && i < p->nglobals; i++) wglobal_unref(in->globals[i]);
  for (uint32_t i = 0; in->elem_refs && i < p->nelems; i++) free(in->elem_refs[i]);
  for (uint32_t i = 0; in->deps && i < in->ndeps; i++) winst_unref(in->deps[i]);
  wheap_delete(p->heap);
  free(in->funcs);
  free(in->own_funcs);
  free(in->tables);
  free(in->mems);
  free(in->globals);
  free(in->elem_refs);
  free(in->elem_len);
  free(in->data_dropped);
  free(in->deps);
  free(p);
}

void winst_ref(winstance *inst) {
  atomic_fetch_add_explicit(&inst->refs, 1, memory_order_relaxed);
}

void winst_unref(winstance *inst) {
  if (!inst || atomic_fetch_sub_explicit(&inst->refs, 1, memory_order_acq_rel) != 1) return;
  /* Its functions may sit in a table or global it imported, which outlives it. */
  if (((winst_priv *)inst)->entangled && !inst->rt->dying) wrt_bury(inst->rt, inst);
  else winst_destroy(inst);
}

/* Dropping the embedder's handle ends the program's threads (they run on its objects). */
void weft_instance_delete(weft_instance *inst) {
  weft_instance_terminate_threads(inst);
  winst_unref(inst);
}

/* AOT code compiled without bounds checks reaches memory through guard pages only: every
 * memory it uses (imported ones too) must be guarded. */
static wstatus check_aot_memories(const winstance *in, werr *err) {
  const wmodule *m = in->module;
  if (!m->aot || (waot_code_flags(m->aot) & WAOT_F_BOUNDS_CHECKS)) return W_OK;
  for (uint32_t i = 0; i < m->nmems; i++) {
    if (in->mems[i]->guarded) continue;
    if (i < m->nimported_mems) {
      const wimport *im = NULL;
      for (uint32_t k = 0, n = 0; k < m->nimports && !im; k++)
        if (m->imports[k].kind == WEXT_MEMORY && n++ == i) im = &m->imports[k];
      return werr_set(err, WERR_LINK, "AOT code compiled without bounds checks needs a "
                      "guard-page memory, but the imported memory %u (\"%s\".\"%s\") is "
                      "bounds-checked: compile the .wasm with weftc --bounds-checks=1", i,
                      im ? im->module : "?", im ? im->name : "?");
    }
    return werr_set(err, WERR_LINK, "AOT code compiled without bounds checks cannot run in "
                    "a runtime with bounds checks (memory %u is bounds-checked): compile the "
                    ".wasm with weftc --bounds-checks=1", i);
  }
  return W_OK;
}

/* Creates the defined memories, tables, functions and globals (imports already set).
 * heap_pages: app heap pages added to a defined memory 0's maximum (appheap.c). */
static wstatus define_objects(winstance *in, uint32_t heap_pages, werr *err) {
  const wmodule *m = in->module;
  const weft_config *cfg = &in->rt->cfg;
  bool guarded = !wrt_bounds_checks(in->rt);
  for (uint32_t i = m->nimported_mems; i < m->nmems; i++) {
    const wlimits *l = &m->mems[i].lim;
    uint64_t max = l->max + (i == 0 && l->has_max ? heap_pages : 0);
    in->mems[i] = wmem_new(l->min, max, l->has_max, l->shared, guarded,
                           cfg->max_memory_pages, err);
    if (!in->mems[i]) return W_ERR;
  }
  for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
    const wtabletype *t = &m->tables[i];
    in->tables[i] = wtable_new(t->elem, t->lim.min, t->lim.max, t->lim.has_max,
                               cfg->max_table_elems, err);
    if (!in->tables[i]) return W_ERR;
  }
  for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
    wfuncinst *f = &in->own_funcs[i - m->nimported_funcs];
    f->type = wmod_func_type(m, i);
    f->inst = in;
    f->func_idx = i;
    f->canon = in->type_canon[m->func_types[i]];
    if (m->aot) waot_bind_func(m->aot, i - m->nimported_funcs, f);
    else f->code = m->funcs[i - m->nimported_funcs].compiled;
    in->funcs[i] = f;
  }
  /* In order: an initialiser may read imported (or, extended-const, earlier) globals. */
  for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
    wslot v = {0};
    if (wconst_eval(in, &m->globals[i].init, &v, err) != W_OK) return W_ERR;
    in->globals[i] = wglobal_new(m->globals[i].type.type, m->globals[i].type.mut, v);
    if (!in->globals[i]) return werr_set(err, WERR_RESOURCE, "out of memory");
  }
  if (m->nmems) {
    in->mem0 = in->mems[0];
    in->mem0_base = in->mems[0]->base;
  }
  return W_OK;
}

static void fail(weft_error *out, const werr *e) {
  werr copy = *e;
  if (copy.kind == WERR_NONE) werr_set(&copy, WERR_RESOURCE, "instantiation failed");
  wrt_error_from(out, &copy);
}

weft_instance *weft_instantiate(weft_runtime *rt, weft_module *m, weft_exec *exec,
                                weft_error *err) {
  return weft_instantiate_opts(rt, m, exec, NULL, err);
}

weft_instance *weft_instantiate_opts(weft_runtime *rt, weft_module *m, weft_exec *exec,
                                     const weft_instance_options *opts, weft_error *err) {
  uint32_t heap_size = opts ? opts->heap_size : 0;
  if (!rt || !m || !m->validated) {
    wrt_error_set(err, WEFT_ERR_ARG, "instantiate needs a runtime and a loaded module");
    return NULL;
  }
  werr e;
  werr_clear(&e);
  winstance *in = winst_alloc(rt, m);
  if (!in) {
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return NULL;
  }
  /* the app heap goes on pages appended after the data segments are in (appheap.h) */
  if (winst_link(in, &e) != W_OK ||
      define_objects(in, wheap_pages_for(heap_size), &e) != W_OK ||
      check_aot_memories(in, &e) != W_OK || winst_apply_segments(in, &e) != W_OK || wheap_attach(in, heap_size, &e) != W_OK ||
      wcluster_attach(in, &e) != W_OK) {
    fail(err, &e);
    winst_unref(in);
    return NULL;
  }
  if (m->has_start) {
    wexec *x = exec ? exec : weft_exec_new(rt);
    if (!x) {
      wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
      winst_unref(in);
      return NULL;
    }
    weft_error local;
    weft_error *out = err ? err : &local;
    weft_status st = weft_call(x, in->funcs[m->start], NULL, 0, NULL, 0, out);
    if (!exec) weft_exec_delete(x);
    if (st != WEFT_OK) {
      winst_unref(in);
      return NULL;
    }
  }
  /* the main thread's TLS block (pthread programs), once the start function made memory */
  if (in->cluster && wcluster_init_main_tls(in, exec, err) != WEFT_OK) {
    winst_unref(in);
    return NULL;
  }
  if (err) {
    err->kind = WEFT_ERR_NONE;
    err->trap = WEFT_TRAP_NONE;
    err->message[0] = 0;
    err->backtrace[0] = 0;
  }
  return in;
}
