/* table_func.c — wthread_table_func: finding a start routine or key destructor, given as a
 * function-table index by the program, with a clear reason when it is not usable. */
#include <stdio.h>
#include <string.h>
#include "thread.h"

/* The fix for an index that does not name a function: the usual cause is a stripped table. */
#define WT_TABLE_FIX \
  "wasm-opt (clang -O2/-O3) may have removed the table: link with -Wl,--export-table or " \
  "without -O"

const wfuncinst *wthread_table_func(winstance *inst, uint32_t idx, const uint8_t *params,
                                    uint32_t nparams, const uint8_t *results, uint32_t nresults,
                                    char *why, size_t whylen) {
  const wmodule *m = inst->module;
  if (m->ntables == 0 || !inst->tables[0]) {
    snprintf(why, whylen, "the module has no function table: " WT_TABLE_FIX);
    return NULL;
  }
  const wtable *t = inst->tables[0];
  if (t->elem_type != WT_FUNCREF) {
    snprintf(why, whylen, "table 0 holds externref values, not functions");
    return NULL;
  }
  if (idx >= t->size) {
    snprintf(why, whylen, "index %u is outside table 0 (%u entries); " WT_TABLE_FIX, idx,
             t->size);
    return NULL;
  }
  const wfuncinst *f = (const wfuncinst *)t->elems[idx];
  if (!f) {
    snprintf(why, whylen, "table 0 entry %u is null (no function); " WT_TABLE_FIX, idx);
    return NULL;
  }
  const wfunctype *ft = f->type;
  if (ft->nparams != nparams || ft->nresults != nresults ||
      (nparams && memcmp(ft->types, params, nparams) != 0) ||
      (nresults && memcmp(ft->types + nparams, results, nresults) != 0)) {
    snprintf(why, whylen, "table 0 entry %u has %u parameters and %u results, not %u and %u", idx, ft->nparams, ft->nresults,
             nparams, nresults);
    return NULL;
  }
  return f;
}
