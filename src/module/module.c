/* module.c — module lifetime and display helpers (see module.h). */
#include <stdio.h>
#include <stdlib.h>
#include "module.h"
#include "../interp/interp.h"

/* Frees everything a (possibly partially decoded) module owns. Partially decoded modules
 * are consistent: arrays are zero-filled and counts cover only allocated entries. */
void wmod_free(wmodule *m) {
  if (!m) return;
  if (m->aot && m->aot_free) m->aot_free(m->aot);
  free(m->type_canon);
  for (uint32_t i = 0; i < m->ntypes; i++) free(m->types[i].types);
  free(m->types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    free(m->imports[i].module);
    free(m->imports[i].name);
  }
  free(m->imports);
  if (m->funcs) {
    for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs; i++) {
      free(m->funcs[i].local_types);
      if (m->funcs[i].compiled) winterp_free_code(m->funcs[i].compiled);
    }
    free(m->funcs);
  }
  free(m->func_types);
  free(m->tables);
  free(m->mems);
  free(m->globals);
  for (uint32_t i = 0; i < m->nexports; i++) free(m->exports[i].name);
  free(m->exports);
  for (uint32_t i = 0; i < m->nelems; i++) {
    free(m->elems[i].funcs);
    free(m->elems[i].exprs);
  }
  free(m->elems);
  free(m->datas);
  free(m->name);
  if (m->func_names) {
    for (uint32_t i = 0; i < m->nfuncs; i++) free(m->func_names[i]);
    free(m->func_names);
  }
  if (m->global_names) {
    for (uint32_t i = 0; i < m->nglobals; i++) free(m->global_names[i]);
    free(m->global_names);
  }
  free(m->declared_refs);
  free(m->bytes);
  free(m);
}

/* Name-section name of function idx, else "$f<idx>" formatted into buf. */
const char *wmod_func_name(const wmodule *m, uint32_t idx, char *buf, size_t buflen) {
  if (m && m->func_names && idx < m->nfuncs && m->func_names[idx]) return m->func_names[idx];
  if (buf && buflen) snprintf(buf, buflen, "$f%u", idx);
  return buf ? buf : "";
}

/* Text-format name of a value type byte; "<unknown>" for anything else. */
const char *wvaltype_name(uint8_t t) {
  switch (t) {
  case WT_I32: return "i32";
  case WT_I64: return "i64";
  case WT_F32: return "f32";
  case WT_F64: return "f64";
  case WT_V128: return "v128";
  case WT_FUNCREF: return "funcref";
  case WT_EXTERNREF: return "externref";
  default: return "<unknown>";
  }
}
