/* typecanon.c — the process-wide function type intern table (typecanon.h). An open-
 * addressing hash table keyed by (nparams, nresults, type bytes) under one mutex; the table
 * is reachable from a static for the whole process (leak checkers stay quiet). */
#include "typecanon.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t hash, id;             /* id 0: empty slot */
  uint32_t nparams, nresults;
  uint8_t *types;                /* owned copy (NULL when both counts are 0) */
} centry;

static struct {
  centry *slots;
  uint32_t cap, count;           /* cap is a power of two; count < cap / 2 */
} g_canon;
static pthread_mutex_t g_canon_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t type_hash(const wfunctype *ft) {
  uint32_t h = 2166136261u;
  h = (h ^ ft->nparams) * 16777619u;
  h = (h ^ ft->nresults) * 16777619u;
  for (uint32_t i = 0; i < ft->nparams + ft->nresults; i++) h = (h ^ ft->types[i]) * 16777619u;
  return h;
}

static bool grow(void) {
  uint32_t ncap = g_canon.cap ? g_canon.cap * 2 : 64;
  centry *ns = calloc(ncap, sizeof *ns);
  if (!ns) return false;
  for (uint32_t i = 0; i < g_canon.cap; i++) {
    centry *e = &g_canon.slots[i];
    if (!e->id) continue;
    uint32_t j = e->hash & (ncap - 1);
    while (ns[j].id) j = (j + 1) & (ncap - 1);
    ns[j] = *e;
  }
  free(g_canon.slots);
  g_canon.slots = ns;
  g_canon.cap = ncap;
  return true;
}

bool wcanon_intern(const wfunctype *ft, uint32_t *id) {
  uint32_t h = type_hash(ft), n = ft->nparams + ft->nresults;
  bool ok = true;
  pthread_mutex_lock(&g_canon_lock);
  if ((g_canon.count + 1) * 2 > g_canon.cap && !grow()) ok = false;
  if (ok) {
    uint32_t j = h & (g_canon.cap - 1);
    for (;; j = (j + 1) & (g_canon.cap - 1)) {
      centry *e = &g_canon.slots[j];
      if (!e->id) {
        uint8_t *copy = NULL;
        if (n && !(copy = malloc(n))) { ok = false; break; }
        if (n) memcpy(copy, ft->types, n);
        *e = (centry){h, ++g_canon.count, ft->nparams, ft->nresults, copy};
        *id = e->id;
        break;
      }
      if (e->hash == h && e->nparams == ft->nparams && e->nresults == ft->nresults &&
          (!n || memcmp(e->types, ft->types, n) == 0)) {
        *id = e->id;
        break;
      }
    }
  }
  pthread_mutex_unlock(&g_canon_lock);
  return ok;
}

uint32_t *wcanon_module_types(const wmodule *m) {
  uint32_t *ids = malloc(((size_t)m->ntypes + 1) * sizeof *ids);
  if (!ids) return NULL;
  ids[0] = 0;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    if (!wcanon_intern(&m->types[i], &ids[i])) {
      free(ids);
      return NULL;
    }
  }
  return ids;
}
