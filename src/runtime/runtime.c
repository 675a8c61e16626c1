/* runtime.c — weft_runtime creation/teardown, configuration defaults, module loading and
 * error-record helpers. The registry lives in registry.c. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include "runtime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../aot/aot.h"
#include "../interp/interp.h"
#include "global.h"
#include "instance.h"
#include "memory.h"
#include "natives.h"
#include "table.h"
#include "typecanon.h"

#define DEFAULT_VALUE_STACK (1u << 20)
#define DEFAULT_CALL_DEPTH 20000u
#define DEFAULT_MEMORY_PAGES 65536u
#define DEFAULT_TABLE_ELEMS 10000000u
/* The reference document's default thread limit (CLUSTER_MAX_THREAD_NUM). */
#define DEFAULT_MAX_THREADS 4u

bool wrt_bounds_checks(const struct weft_runtime *rt) {
  return rt->cfg.bounds_checks || sizeof(void *) < 8;
}

weft_runtime *weft_runtime_new(const weft_config *cfg) {
  weft_runtime *rt = calloc(1, sizeof *rt);
  if (!rt) return NULL;
  if (cfg) rt->cfg = *cfg;
  if (!rt->cfg.value_stack_bytes) rt->cfg.value_stack_bytes = DEFAULT_VALUE_STACK;
  if (!rt->cfg.max_call_depth) rt->cfg.max_call_depth = DEFAULT_CALL_DEPTH;
  if (!rt->cfg.max_memory_pages || rt->cfg.max_memory_pages > DEFAULT_MEMORY_PAGES)
    rt->cfg.max_memory_pages = DEFAULT_MEMORY_PAGES;
  if (!rt->cfg.max_table_elems) rt->cfg.max_table_elems = DEFAULT_TABLE_ELEMS;
  if (!rt->cfg.max_threads) rt->cfg.max_threads = DEFAULT_MAX_THREADS;
  if (sizeof(void *) < 8) rt->cfg.bounds_checks = true;
  wplat_mutex_init(&rt->lock);
  /* Install the handler in both modes: bounds-check runtimes may share a process with
   * guard-mode ones, and a fault outside any reservation is passed on untouched. */
  wplat_install_fault_handler(wmem_on_fault);
  return rt;
}

void weft_runtime_delete(weft_runtime *rt) {
  if (!rt) return;
  rt->dying = true;
  for (uint32_t i = 0; i < rt->nnamed; i++) {
    free(rt->named[i].name);
    winst_unref(rt->named[i].inst);
  }
  for (uint32_t i = 0; i < rt->ngrave; i++) winst_destroy(rt->graveyard[i]);
  for (uint32_t i = 0; i < rt->nhosts; i++) {
    wrt_host *h = &rt->hosts[i];
    switch (h->kind) {
    case WEXT_FUNC: free(h->obj); break;  /* one block: funcinst, type, names */
    case WEXT_TABLE: wtable_unref(h->obj); break;
    case WEXT_MEMORY: wmem_unref(h->obj); break;
    case WEXT_GLOBAL: wglobal_unref(h->obj); break;
    }
    free(h->module);
    free(h->name);
  }
  free(rt->named);
  free(rt->graveyard);
  free(rt->hosts);
  wnatives_free(rt);
  wplat_mutex_destroy(&rt->lock);
  free(rt);
}

void wrt_error_from(weft_error *out, const werr *in) {
  if (!out) return;
  out->kind = (weft_errkind)in->kind;
  out->trap = (weft_trap)in->trap;
  snprintf(out->message, sizeof out->message, "%s", in->msg);
  out->backtrace[0] = 0;
}

void wrt_error_set(weft_error *out, weft_errkind kind, const char *fmt, ...) {
  if (!out) return;
  va_list ap;
  va_start(ap, fmt);
  out->kind = kind;
  out->trap = WEFT_TRAP_NONE;
  vsnprintf(out->message, sizeof out->message, fmt, ap);
  out->backtrace[0] = 0;
  va_end(ap);
}

/* The validator's WFEAT_* bits for the runtime's disabled_features (rt may be NULL). */
static uint32_t validation_off(const weft_runtime *rt) {
  uint32_t off = 0;
  if (rt && (rt->cfg.disabled_features & WEFT_FEATURE_REFERENCE_TYPES))
    off |= WFEAT_NO_REFERENCE_TYPES;
  return off;
}

/* Interns the module's function types once at load (wmodule.type_canon); every instance,
 * thread instances included, shares the array. */
static wstatus canon_types(wmodule *m, werr *e) {
  if (!(m->type_canon = wcanon_module_types(m))) {
    werr_set(e, WERR_RESOURCE, "out of memory");
    return W_ERR;
  }
  return W_OK;
}

/* A .aot: the container checked, the embedded wasm decoded and validated exactly like a
 * .wasm (same errors), no interpreter translation, then the shared object loaded. */
static weft_module *module_from_aot(weft_runtime *rt, const uint8_t *bytes, size_t len,
                                    weft_error *err) {
  werr e;
  werr_clear(&e);
  waot_image img;
  if (waot_file_parse(bytes, len, &img, &e) != W_OK) {
    wrt_error_from(err, &e);
    return NULL;
  }
  wmodule *m = wmod_decode(img.wasm ? img.wasm : (const uint8_t *)"", img.wasm_len, &e);
  if (!m) {
    if (e.kind == WERR_NONE) werr_set(&e, WERR_MALFORMED, "malformed module");
    wrt_error_from(err, &e);
    return NULL;
  }
  bool ok = wmod_validate(m, validation_off(rt), &e) == W_OK;
  if (ok) wmod_find_aux_stack(m);
  if (!ok) {
    if (e.kind == WERR_NONE) werr_set(&e, WERR_INVALID, "invalid module");
  } else {
    bool checks = rt ? wrt_bounds_checks(rt) : sizeof(void *) < 8;
    ok = canon_types(m, &e) == W_OK && waot_load(m, &img, checks, &e) == W_OK;
    if (!ok && e.kind == WERR_NONE) werr_set(&e, WERR_RESOURCE, "cannot load the AOT code");
  }
  if (!ok) {
    wrt_error_from(err, &e);
    wmod_free(m);
    return NULL;
  }
  return m;
}

weft_module *weft_module_new(weft_runtime *rt, const uint8_t *bytes, size_t len,
                             weft_error *err) {
  werr e;
  werr_clear(&e);
  if (!bytes && len) {
    wrt_error_set(err, WEFT_ERR_ARG, "null module bytes");
    return NULL;
  }
  if (waot_is_aot(bytes, len)) return module_from_aot(rt, bytes, len, err);
  wmodule *m = wmod_decode(bytes ? bytes : (const uint8_t *)"", len, &e);
  if (!m) {
    if (e.kind == WERR_NONE) werr_set(&e, WERR_MALFORMED, "malformed module");
    wrt_error_from(err, &e);
    return NULL;
  }
  bool ok = wmod_validate(m, validation_off(rt), &e) == W_OK;
  if (ok) wmod_find_aux_stack(m);   /* before compiling: the translator checks its global */
  if (!ok || canon_types(m, &e) != W_OK || winterp_compile_module(m, &e) != W_OK) {
    if (e.kind == WERR_NONE) werr_set(&e, WERR_INVALID, "invalid module");
    wrt_error_from(err, &e);
    wmod_free(m);
    return NULL;
  }
  return m;
}

void weft_module_delete(weft_module *m) { wmod_free(m); }
