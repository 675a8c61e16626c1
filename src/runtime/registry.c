/* registry.c — the runtime's registry of importable objects: host functions, globals,
 * tables and memories (owned by the runtime) and registered instances (referenced). */
#include <stdlib.h>
#include <string.h>
#include "global.h"
#include "instance.h"
#include "memory.h"
#include "runtime.h"
#include "table.h"
#include "typecanon.h"

static bool name_eq(const char *a, const char *b, uint32_t blen) {
  return strlen(a) == blen && memcmp(a, b, blen) == 0;
}

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* Appends a host entry; on failure releases nothing (the caller frees obj). Lookups
 * search newest first, so a re-registration shadows an older entry (which stays alive
 * for instances that already imported it). */
static bool add_host(weft_runtime *rt, const char *module, const char *name, wextkind kind,
                     void *obj, weft_error *err) {
  char *mod = dupstr(module), *nm = dupstr(name);
  wplat_mutex_lock(&rt->lock);
  if (mod && nm && rt->nhosts == rt->hosts_cap) {
    uint32_t cap = rt->hosts_cap ? rt->hosts_cap * 2 : 16;
    wrt_host *h = realloc(rt->hosts, cap * sizeof *h);
    if (h) {
      rt->hosts = h;
      rt->hosts_cap = cap;
    }
  }
  bool ok = mod && nm && rt->nhosts < rt->hosts_cap;
  if (ok) rt->hosts[rt->nhosts++] = (wrt_host){mod, nm, kind, obj};
  wplat_mutex_unlock(&rt->lock);
  if (!ok) {
    free(mod);
    free(nm);
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
  }
  return ok;
}

static bool valtype_ok(weft_valtype t) {
  return t == WEFT_I32 || t == WEFT_I64 || t == WEFT_F32 || t == WEFT_F64 ||
         t == WEFT_FUNCREF || t == WEFT_EXTERNREF;
}

weft_status weft_register_func(weft_runtime *rt, const char *module, const char *name,
                               const weft_valtype *params, uint32_t nparams,
                               const weft_valtype *results, uint32_t nresults,
                               weft_host_fn fn, void *attachment, weft_error *err) {
  if (!rt || !module || !name || !fn || (nparams && !params) || (nresults && !results) ||
      nparams > 1000 || nresults > 1000) {
    wrt_error_set(err, WEFT_ERR_ARG, "bad arguments to weft_register_func");
    return WEFT_FAIL;
  }
  for (uint32_t i = 0; i < nparams; i++)
    if (!valtype_ok(params[i])) goto badtype;
  for (uint32_t i = 0; i < nresults; i++)
    if (!valtype_ok(results[i])) goto badtype;
  /* One block: the funcinst, its type, the type bytes and the "module.name" string. */
  size_t mlen = strlen(module), nlen = strlen(name);
  size_t sz = sizeof(wfuncinst) + sizeof(wfunctype) + nparams + nresults + mlen + nlen + 2;
  uint8_t *blk = calloc(1, sz);
  if (!blk) {
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return WEFT_FAIL;
  }
  wfuncinst *fi = (wfuncinst *)blk;
  wfunctype *ft = (wfunctype *)(blk + sizeof(wfuncinst));
  uint8_t *types = blk + sizeof(wfuncinst) + sizeof(wfunctype);
  char *hn = (char *)types + nparams + nresults;
  for (uint32_t i = 0; i < nparams; i++) types[i] = (uint8_t)params[i];
  for (uint32_t i = 0; i < nresults; i++) types[nparams + i] = (uint8_t)results[i];
  memcpy(hn, module, mlen);
  hn[mlen] = '.';
  memcpy(hn + mlen + 1, name, nlen + 1);
  ft->nparams = nparams;
  ft->nresults = nresults;
  ft->types = types;
  fi->type = ft;
  if (!wcanon_intern(ft, &fi->canon)) {
    free(blk);
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return WEFT_FAIL;
  }
  fi->host = fn;
  fi->attachment = attachment;
  fi->host_name = hn;
  if (!add_host(rt, module, name, WEXT_FUNC, fi, err)) {
    free(blk);
    return WEFT_FAIL;
  }
  return WEFT_OK;
badtype:
  wrt_error_set(err, WEFT_ERR_ARG, "bad value type in host function signature");
  return WEFT_FAIL;
}

weft_global *weft_register_global(weft_runtime *rt, const char *module, const char *name,
                                  weft_valtype type, bool mut, weft_slot init, weft_error *err) {
  if (!rt || !module || !name || !valtype_ok(type)) {
    wrt_error_set(err, WEFT_ERR_ARG, "bad arguments to weft_register_global");
    return NULL;
  }
  wglobal *g = wglobal_new((uint8_t)type, mut, init);
  if (!g) {
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return NULL;
  }
  if (!add_host(rt, module, name, WEXT_GLOBAL, g, err)) {
    wglobal_unref(g);
    return NULL;
  }
  return g;
}

weft_table *weft_register_table(weft_runtime *rt, const char *module, const char *name,
                                weft_valtype elem, uint32_t min, uint32_t max, bool has_max,
                                weft_error *err) {
  if (!rt || !module || !name || (elem != WEFT_FUNCREF && elem != WEFT_EXTERNREF) ||
      (has_max && max < min)) {
    wrt_error_set(err, WEFT_ERR_ARG, "bad arguments to weft_register_table");
    return NULL;
  }
  werr e;
  werr_clear(&e);
  wtable *t = wtable_new((uint8_t)elem, min, max, has_max, rt->cfg.max_table_elems, &e);
  if (!t) {
    wrt_error_from(err, &e);
    return NULL;
  }
  if (!add_host(rt, module, name, WEXT_TABLE, t, err)) {
    wtable_unref(t);
    return NULL;
  }
  return t;
}

weft_memory *weft_register_memory(weft_runtime *rt, const char *module, const char *name,
                                  uint32_t min_pages, uint32_t max_pages, bool has_max,
                                  bool shared, weft_error *err) {
  if (!rt || !module || !name || (has_max && max_pages < min_pages) || (shared && !has_max)) {
    wrt_error_set(err, WEFT_ERR_ARG, "bad arguments to weft_register_memory");
    return NULL;
  }
  werr e;
  werr_clear(&e);
  wmemory *m = wmem_new(min_pages, max_pages, has_max, shared, !wrt_bounds_checks(rt),
                        rt->cfg.max_memory_pages, &e);
  if (!m) {
    wrt_error_from(err, &e);
    return NULL;
  }
  if (!add_host(rt, module, name, WEXT_MEMORY, m, err)) {
    wmem_unref(m);
    return NULL;
  }
  return m;
}

weft_status weft_register_instance(weft_runtime *rt, const char *name, weft_instance *inst,
                                   weft_error *err) {
  if (!rt || !name || !inst) {
    wrt_error_set(err, WEFT_ERR_ARG, "bad arguments to weft_register_instance");
    return WEFT_FAIL;
  }
  winstance *old = NULL;
  bool ok = true;
  winst_ref(inst);
  wplat_mutex_lock(&rt->lock);
  uint32_t i;
  for (i = 0; i < rt->nnamed; i++)
    if (strcmp(rt->named[i].name, name) == 0) break;
  if (i < rt->nnamed) {
    old = rt->named[i].inst;
    rt->named[i].inst = inst;
  } else {
    char *nm = dupstr(name);
    if (nm && rt->nnamed == rt->named_cap) {
      uint32_t cap = rt->named_cap ? rt->named_cap * 2 : 8;
      wrt_named *n = realloc(rt->named, cap * sizeof *n);
      if (n) {
        rt->named = n;
        rt->named_cap = cap;
      }
    }
    ok = nm && rt->nnamed < rt->named_cap;
    if (ok) rt->named[rt->nnamed++] = (wrt_named){nm, inst};
    else free(nm);
  }
  wplat_mutex_unlock(&rt->lock);
  if (old) winst_unref(old);
  if (!ok) {
    winst_unref(inst);
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return WEFT_FAIL;
  }
  return WEFT_OK;
}

void *wrt_lookup(struct weft_runtime *rt, const char *module, uint32_t module_len,
                 const char *name, uint32_t name_len, wextkind *kind_out,
                 winstance **owner) {
  *owner = NULL;
  for (uint32_t i = 0; i < rt->nnamed; i++) {
    winstance *inst = rt->named[i].inst;
    if (!name_eq(rt->named[i].name, module, module_len)) continue;
    const wmodule *m = inst->module;
    for (uint32_t k = 0; k < m->nexports; k++) {
      const wexport *x = &m->exports[k];
      if (x->name_len != name_len || memcmp(x->name, name, name_len) != 0) continue;
      *kind_out = x->kind;
      *owner = inst;
      switch (x->kind) {
      case WEXT_FUNC: return inst->funcs[x->index];
      case WEXT_TABLE: return inst->tables[x->index];
      case WEXT_MEMORY: return inst->mems[x->index];
      case WEXT_GLOBAL: return inst->globals[x->index];
      }
    }
    return NULL;  /* a registered instance shadows host objects of the same module name */
  }
  for (uint32_t i = rt->nhosts; i-- > 0;) {
    wrt_host *h = &rt->hosts[i];
    if (name_eq(h->module, module, module_len) && name_eq(h->name, name, name_len)) {
      *kind_out = h->kind;
      return h->obj;
    }
  }
  return NULL;
}

void *wrt_lookup_func_typed(struct weft_runtime *rt, const char *module, uint32_t module_len,
                            const char *name, uint32_t name_len, const wfunctype *want) {
  for (uint32_t i = rt->nhosts; i-- > 0;) {
    wrt_host *h = &rt->hosts[i];
    if (h->kind != WEXT_FUNC || !name_eq(h->module, module, module_len) ||
        !name_eq(h->name, name, name_len))
      continue;
    const wfunctype *t = ((wfuncinst *)h->obj)->type;
    if (t->nparams == want->nparams && t->nresults == want->nresults &&
        memcmp(t->types, want->types, t->nparams + t->nresults) == 0)
      return h->obj;
  }
  return NULL;
}

void wrt_bury(struct weft_runtime *rt, winstance *inst) {
  wplat_mutex_lock(&rt->lock);
  if (rt->ngrave == rt->grave_cap) {
    uint32_t cap = rt->grave_cap ? rt->grave_cap * 2 : 16;
    winstance **g = realloc(rt->graveyard, cap * sizeof *g);
    if (g) {
      rt->graveyard = g;
      rt->grave_cap = cap;
    }
  }
  bool ok = rt->ngrave < rt->grave_cap;
  if (ok) rt->graveyard[rt->ngrave++] = inst;
  wplat_mutex_unlock(&rt->lock);
  if (!ok) winst_destroy(inst);  /* out of memory: better a risk than a leak */
}
