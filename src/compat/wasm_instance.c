/* wasm_instance.c — WAMR-compatible modules, instances, exec envs and exceptions
 * (include/wasm_export.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../runtime/natives.h"
#include "compat.h"

static wplat_mutex list_lock = PTHREAD_MUTEX_INITIALIZER;
static cinst *list_head;

void compat_inst_add(cinst *ci) {
  wplat_mutex_lock(&list_lock);
  ci->next = list_head;
  list_head = ci;
  wplat_mutex_unlock(&list_lock);
}

void compat_inst_remove(cinst *ci) {
  wplat_mutex_lock(&list_lock);
  for (cinst **p = &list_head; *p; p = &(*p)->next)
    if (*p == ci) {
      *p = ci->next;
      break;
    }
  wplat_mutex_unlock(&list_lock);
}

cinst *compat_inst_find(const weft_instance *inst) {
  cinst *found = NULL;
  if (inst && inst->thread_parent) inst = inst->thread_parent;  /* a pthread's instance */
  wplat_mutex_lock(&list_lock);
  for (cinst *c = list_head; c && !found; c = c->next)
    if (c->inst == inst) found = c;
  wplat_mutex_unlock(&list_lock);
  return found;
}

static void set_buf(char *buf, uint32_t size, const char *msg) {
  if (buf && size) snprintf(buf, size, "%s", msg);
}

wasm_module_t wasm_runtime_load(uint8_t *buf, uint32_t size, char *error_buf,
                                uint32_t error_buf_size) {
  if (!compat_rt) {
    set_buf(error_buf, error_buf_size, "the runtime is not initialised (wasm_runtime_init)");
    return NULL;
  }
  if (!buf) {
    set_buf(error_buf, error_buf_size, "no module bytes");
    return NULL;
  }
  weft_error err;
  weft_module *m = weft_module_new(compat_rt, buf, size, &err);
  if (!m) set_buf(error_buf, error_buf_size, err.message);
  return (wasm_module_t)m;
}

void wasm_runtime_unload(wasm_module_t module) {
  if (!module) return;
  compat_wasi_forget((const weft_module *)module);
  weft_module_delete((weft_module *)module);
}

/* A new exec env bound to ci (not yet listed). */
static weft_exec *new_env(cinst *ci) {
  weft_exec *e = weft_exec_new(compat_rt);
  cenv *ce = calloc(1, sizeof *ce);
  if (!e || !ce) {
    weft_exec_delete(e);
    free(ce);
    return NULL;
  }
  ce->inst = ci;
  e->user_data = ce;
  return e;
}

static void free_env(weft_exec *e) {
  if (!e) return;
  free(e->user_data);
  weft_exec_delete(e);
}

weft_exec *compat_exec_for(cinst *ci) {
  weft_exec *running = wnative_running();
  if (running) return running;
  return (weft_exec *)wasm_runtime_get_exec_env_singleton((wasm_module_inst_t)ci);
}

/* Runs __wasm_call_ctors (exported, () -> (), no _start), as WAMR does at instantiation. */
static bool run_ctors(cinst *ci, char *error_buf, uint32_t error_buf_size) {
  weft_func *f = weft_instance_func(ci->inst, "__wasm_call_ctors");
  if (!f || weft_instance_func(ci->inst, "_start") || weft_func_param_count(f) ||
      weft_func_result_count(f))
    return true;
  weft_exec *e = compat_exec_for(ci);
  weft_error err;
  if (!e) {
    set_buf(error_buf, error_buf_size, "out of memory");
    return false;
  }
  if (weft_call(e, f, NULL, 0, NULL, 0, &err) == WEFT_OK) return true;
  char msg[600];
  snprintf(msg, sizeof msg, "__wasm_call_ctors failed: %s", err.message);
  set_buf(error_buf, error_buf_size, msg);
  return false;
}

/* The module's malloc(i32) -> i32 and free(i32) exports, for module_malloc without a heap. */
static void find_module_allocator(cinst *ci) {
  weft_func *m = weft_instance_func(ci->inst, "malloc");
  weft_func *f = weft_instance_func(ci->inst, "free");
  if (m && f && weft_func_param_count(m) == 1 && weft_func_result_count(m) == 1 &&
      weft_func_param_type(m, 0) == WEFT_I32 && weft_func_result_type(m, 0) == WEFT_I32 &&
      weft_func_param_count(f) == 1 && weft_func_result_count(f) == 0 &&
      weft_func_param_type(f, 0) == WEFT_I32) {
    ci->malloc_fn = m;
    ci->free_fn = f;
  }
}

wasm_module_inst_t wasm_runtime_instantiate(const wasm_module_t module,
                                            uint32_t default_stack_size,
                                            uint32_t host_managed_heap_size, char *error_buf,
                                            uint32_t error_buf_size) {
  (void)default_stack_size;
  if (!compat_rt || !module) {
    set_buf(error_buf, error_buf_size, compat_rt ? "no module" : "the runtime is not initialised");
    return NULL;
  }
  cinst *ci = calloc(1, sizeof *ci);
  if (!ci) {
    set_buf(error_buf, error_buf_size, "out of memory");
    return NULL;
  }
  weft_instance_options opts = {.heap_size = host_managed_heap_size};
  weft_error err;
  ci->inst = weft_instantiate_opts(compat_rt, (weft_module *)module, NULL, &opts, &err);
  if (!ci->inst) {
    set_buf(error_buf, error_buf_size, err.message);
    free(ci);
    return NULL;
  }
  ci->module = (weft_module *)module;
  ci->has_heap = host_managed_heap_size > 0;
  wplat_mutex_init(&ci->lock);
  find_module_allocator(ci);
  compat_inst_add(ci);
  char why[512];
  if (!compat_wasi_attach(ci, why, sizeof why)) {
    set_buf(error_buf, error_buf_size, why);
    wasm_runtime_deinstantiate((wasm_module_inst_t)ci);
    return NULL;
  }
  if (!run_ctors(ci, error_buf, error_buf_size)) {
    wasm_runtime_deinstantiate((wasm_module_inst_t)ci);
    return NULL;
  }
  return (wasm_module_inst_t)ci;
}

void wasm_runtime_deinstantiate(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  if (!ci) return;
  weft_instance_terminate_threads(ci->inst);   /* its threads' natives may still look it up */
  compat_inst_remove(ci);
  wplat_mutex_lock(&ci->lock);
  for (uint32_t i = 0; i < ci->nenvs; i++) ((cenv *)ci->envs[i]->user_data)->inst = NULL;
  wplat_mutex_unlock(&ci->lock);
  free_env(ci->singleton);
  weft_instance_delete(ci->inst);
  wplat_mutex_destroy(&ci->lock);
  free(ci->envs);
  free(ci);
}

wasm_module_t wasm_runtime_get_module(wasm_module_inst_t module_inst) {
  return module_inst ? (wasm_module_t)((cinst *)module_inst)->module : NULL;
}

wasm_function_inst_t wasm_runtime_lookup_function(const wasm_module_inst_t module_inst,
                                                  const char *name) {
  if (!module_inst || !name) return NULL;
  return (wasm_function_inst_t)weft_instance_func(((cinst *)module_inst)->inst, name);
}

wasm_valkind_t compat_kind(weft_valtype t) {
  switch (t) {
  case WEFT_I64: return WASM_I64;
  case WEFT_F32: return WASM_F32;
  case WEFT_F64: return WASM_F64;
  case WEFT_EXTERNREF: return WASM_EXTERNREF;
  case WEFT_FUNCREF: return WASM_FUNCREF;
  default: return WASM_I32;
  }
}

uint32_t wasm_func_get_param_count(const wasm_function_inst_t func_inst,
                                   const wasm_module_inst_t module_inst) {
  (void)module_inst;
  return func_inst ? weft_func_param_count((weft_func *)func_inst) : 0;
}

uint32_t wasm_func_get_result_count(const wasm_function_inst_t func_inst,
                                    const wasm_module_inst_t module_inst) {
  (void)module_inst;
  return func_inst ? weft_func_result_count((weft_func *)func_inst) : 0;
}

void wasm_func_get_param_types(const wasm_function_inst_t func_inst,
                               const wasm_module_inst_t module_inst, wasm_valkind_t *types) {
  uint32_t n = wasm_func_get_param_count(func_inst, module_inst);
  for (uint32_t i = 0; i < n; i++) types[i] = compat_kind(weft_func_param_type(func_inst, i));
}

void wasm_func_get_result_types(const wasm_function_inst_t func_inst,
                                const wasm_module_inst_t module_inst, wasm_valkind_t *types) {
  uint32_t n = wasm_func_get_result_count(func_inst, module_inst);
  for (uint32_t i = 0; i < n; i++) types[i] = compat_kind(weft_func_result_type(func_inst, i));
}

void wasm_runtime_set_custom_data(wasm_module_inst_t module_inst, void *custom_data) {
  if (module_inst) ((cinst *)module_inst)->custom_data = custom_data;
}

void *wasm_runtime_get_custom_data(wasm_module_inst_t module_inst) {
  return module_inst ? ((cinst *)module_inst)->custom_data : NULL;
}

wasm_exec_env_t wasm_runtime_create_exec_env(wasm_module_inst_t module_inst,
                                             uint32_t stack_size) {
  (void)stack_size;
  cinst *ci = (cinst *)module_inst;
  if (!ci || !compat_rt) return NULL;
  weft_exec *e = new_env(ci);
  if (!e) return NULL;
  wplat_mutex_lock(&ci->lock);
  if (ci->nenvs == ci->envs_cap) {
    uint32_t cap = ci->envs_cap ? ci->envs_cap * 2 : 4;
    weft_exec **n = realloc(ci->envs, cap * sizeof *n);
    if (n) {
      ci->envs = n;
      ci->envs_cap = cap;
    }
  }
  bool ok = ci->nenvs < ci->envs_cap;
  if (ok) ci->envs[ci->nenvs++] = e;
  wplat_mutex_unlock(&ci->lock);
  if (!ok) {
    free_env(e);
    return NULL;
  }
  return (wasm_exec_env_t)e;
}

void wasm_runtime_destroy_exec_env(wasm_exec_env_t exec_env) {
  weft_exec *e = (weft_exec *)exec_env;
  if (!e) return;
  cenv *ce = e->user_data;
  cinst *ci = ce ? ce->inst : NULL;
  if (ci && ci->singleton == e) return;   /* the singleton belongs to the instance */
  if (ci) {
    wplat_mutex_lock(&ci->lock);
    for (uint32_t i = 0; i < ci->nenvs; i++)
      if (ci->envs[i] == e) {
        ci->envs[i] = ci->envs[--ci->nenvs];
        break;
      }
    wplat_mutex_unlock(&ci->lock);
  }
  free_env(e);
}

wasm_exec_env_t wasm_runtime_get_exec_env_singleton(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  if (!ci) return NULL;
  wplat_mutex_lock(&ci->lock);
  if (!ci->singleton) ci->singleton = new_env(ci);
  weft_exec *e = ci->singleton;
  wplat_mutex_unlock(&ci->lock);
  return (wasm_exec_env_t)e;
}

wasm_module_inst_t wasm_runtime_get_module_inst(wasm_exec_env_t exec_env) {
  weft_exec *e = (weft_exec *)exec_env;
  if (!e) return NULL;
  if (wnative_running() == e) {
    cinst *ci = compat_inst_find(weft_exec_caller_instance(e));
    if (ci) return (wasm_module_inst_t)ci;
  }
  cenv *ce = e->user_data;
  return ce ? (wasm_module_inst_t)ce->inst : NULL;
}

void wasm_runtime_set_user_data(wasm_exec_env_t exec_env, void *user_data) {
  weft_exec *e = (weft_exec *)exec_env;
  if (e && e->user_data) ((cenv *)e->user_data)->user_data = user_data;
}

void *wasm_runtime_get_user_data(wasm_exec_env_t exec_env) {
  weft_exec *e = (weft_exec *)exec_env;
  return e && e->user_data ? ((cenv *)e->user_data)->user_data : NULL;
}

void compat_set_exception_text(cinst *ci, const char *text) {
  wplat_mutex_lock(&ci->lock);
  if (text) snprintf(ci->exception, sizeof ci->exception, "Exception: %s", text);
  else ci->exception[0] = 0;
  wplat_mutex_unlock(&ci->lock);
}

void compat_set_call_error(cinst *ci, weft_exec *exec, const weft_error *err) {
  if (!ci) return;
  if (err->kind == WEFT_ERR_TRAP && err->trap == WEFT_TRAP_EXIT) {
    char buf[40];
    snprintf(buf, sizeof buf, "env.exit(%d)", (int)weft_exec_exit_code(exec));
    compat_set_exception_text(ci, buf);
  } else {
    compat_set_exception_text(ci, err->message);
  }
}

const char *wasm_runtime_get_exception(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  return ci && ci->exception[0] ? ci->exception : NULL;
}

void wasm_runtime_set_exception(wasm_module_inst_t module_inst, const char *exception) {
  cinst *ci = (cinst *)module_inst;
  if (!ci) return;
  compat_set_exception_text(ci, exception);
  /* Inside a native called by this instance: the native traps when it returns. */
  weft_exec *running = wnative_running();
  if (exception && running && weft_exec_caller_instance(running) == ci->inst)
    wnative_raise(WEFT_TRAP_HOST, exception);
}

void wasm_runtime_clear_exception(wasm_module_inst_t module_inst) {
  wasm_runtime_set_exception(module_inst, NULL);
}

void wasm_runtime_terminate(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  if (!ci) return;
  wplat_mutex_lock(&ci->lock);
  for (uint32_t i = 0; i < ci->nenvs; i++) weft_exec_request_stop(ci->envs[i]);
  if (ci->singleton) weft_exec_request_stop(ci->singleton);
  wplat_mutex_unlock(&ci->lock);
}

uint32_t wasm_runtime_get_wasi_exit_code(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  if (!ci) return 0;
  int32_t code = weft_wasi_exit_code(ci->inst);   /* proc_exit, from any thread */
  if (code) return (uint32_t)code;
  wplat_mutex_lock(&ci->lock);
  if (ci->singleton) code = weft_exec_exit_code(ci->singleton);
  for (uint32_t i = 0; i < ci->nenvs && !code; i++) code = weft_exec_exit_code(ci->envs[i]);
  wplat_mutex_unlock(&ci->lock);
  return (uint32_t)code;
}
