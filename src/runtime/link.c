/* link.c — import resolution: finds each import in the runtime's registry and checks it
 * against the declared type (functions: exact type; globals: type and mutability;
 * tables/memories: element type / shared flag and limits subtyping on current sizes). */
#include <string.h>
#include "global.h"
#include "instance.h"
#include "memory.h"
#include "runtime.h"
#include "table.h"

static bool functype_eq(const wfunctype *a, const wfunctype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

/* Limits subtyping: actual (cur, max?) matches declared {min, max?}. */
static bool limits_ok(uint64_t cur, bool has_max, uint64_t max, const wlimits *decl) {
  if (cur < decl->min) return false;
  if (decl->has_max && (!has_max || max > decl->max)) return false;
  return true;
}

static bool is_ref(uint8_t t) { return t == WT_FUNCREF || t == WT_EXTERNREF; }

/* Adds a reference on the exporting instance (once per instance; deps holds 2*cap). */
static wstatus add_dep(winstance *inst, winstance *owner, uint32_t cap, werr *err) {
  if (!owner || owner == inst) return W_OK;
  for (uint32_t i = 0; i < inst->ndeps; i++)
    if (inst->deps[i] == owner) return W_OK;
  if (inst->ndeps >= 2 * cap) return werr_set(err, WERR_RESOURCE, "out of memory");
  winst_ref(owner);
  inst->deps[inst->ndeps++] = owner;
  return W_OK;
}

wstatus winst_link(winstance *inst, werr *err) {
  winst_priv *p = (winst_priv *)inst;
  const wmodule *m = inst->module;
  struct weft_runtime *rt = inst->rt;
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
  wstatus st = W_OK;
  wplat_mutex_lock(&rt->lock);
  for (uint32_t i = 0; i < m->nimports && st == W_OK; i++) {
    const wimport *im = &m->imports[i];
    wextkind kind;
    winstance *owner;
    void *obj = wrt_lookup(rt, im->module, im->module_len, im->name, im->name_len, &kind,
                           &owner);
    if (!obj) {
      st = werr_set(err, WERR_LINK, "unknown import \"%s\".\"%s\"", im->module, im->name);
      break;
    }
    bool ok = kind == im->kind;
    if (ok) {
      switch (im->kind) {
      case WEXT_FUNC: {
        wfuncinst *f = obj;
        ok = functype_eq(f->type, &m->types[im->u.func_type]);
        if (!ok && !owner) {   /* a host name registered with several types */
          f = wrt_lookup_func_typed(rt, im->module, im->module_len, im->name, im->name_len,
                                    &m->types[im->u.func_type]);
          ok = f != NULL;
        }
        if (ok) {
          inst->funcs[fi++] = f;
          /* a function of a non-registered instance (re-exported import) keeps its owner */
          if (f->inst && f->inst != owner) st = add_dep(inst, f->inst, m->nimports, err);
        }
        break;
      }
      case WEXT_TABLE: {
        wtable *t = obj;
        ok = t->elem_type == im->u.table.elem &&
             limits_ok(t->size, t->has_max, t->max, &im->u.table.lim);
        if (ok) {
          wtable_ref(t);
          inst->tables[ti++] = t;
          p->entangled = true;
        }
        break;
      }
      case WEXT_MEMORY: {
        wmemory *mem = obj;
        ok = mem->shared == im->u.mem.lim.shared &&
             limits_ok(wmem_pages(mem), mem->has_max, mem->max_pages, &im->u.mem.lim);
        if (ok) {
          wmem_ref(mem);
          inst->mems[mi++] = mem;
        }
        break;
      }
      case WEXT_GLOBAL: {
        wglobal *g = obj;
        ok = g->type == im->u.global.type && g->mut == im->u.global.mut;
        if (ok) {
          wglobal_ref(g);
          inst->globals[gi++] = g;
          if (g->mut && is_ref(g->type)) p->entangled = true;
        }
        break;
      }
      }
    }
    if (!ok) {
      st = werr_set(err, WERR_LINK, "incompatible import type for \"%s\".\"%s\"", im->module,
                    im->name);
      break;
    }
    if (st == W_OK) st = add_dep(inst, owner, m->nimports, err);
  }
  wplat_mutex_unlock(&rt->lock);
  return st;
}
