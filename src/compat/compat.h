/* compat.h — shared state of the WAMR-compatible layer (include/wasm_export.h).
 *
 * wasm_module_t is a weft_module *, wasm_function_inst_t a weft_func *, wasm_exec_env_t a
 * weft_exec * whose user_data is a cenv (the exec env's instance and user pointer);
 * wasm_module_inst_t points to a cinst, which wraps a weft_instance with WAMR's per-instance
 * state (exception, custom data, exec envs, singleton). Instances are on a global list so
 * that a native can find the cinst of its calling weft_instance. */
#ifndef WEFT_COMPAT_H
#define WEFT_COMPAT_H
#include "../../include/wasm_export.h"
#include "../runtime/exec.h"

typedef struct cinst cinst;

/* Per exec env (weft_exec.user_data). */
typedef struct cenv {
  cinst *inst;                   /* bound instance (NULL once it is deinstantiated) */
  void *user_data;               /* wasm_runtime_set_user_data */
} cenv;

struct cinst {
  weft_instance *inst;
  weft_module *module;
  bool has_heap;                 /* instantiated with an app heap */
  weft_func *malloc_fn, *free_fn; /* the module's exported malloc/free (used without a heap) */
  void *custom_data;
  wplat_mutex lock;              /* guards exception and envs */
  char exception[600];           /* "Exception: ..." or "" */
  weft_exec **envs;              /* exec envs bound to this instance (for terminate) */
  uint32_t nenvs, envs_cap;
  weft_exec *singleton;          /* wasm_runtime_get_exec_env_singleton (owned) */
  cinst *next;                   /* the global list */
};

/* The process-wide runtime (NULL before wasm_runtime_init). */
extern weft_runtime *compat_rt;

/* Prints "[weft] message" to stderr if level is enabled by wasm_runtime_set_log_level. */
void compat_log(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Global instance list: add, remove, and find the cinst wrapping a weft_instance. */
void compat_inst_add(cinst *ci);
void compat_inst_remove(cinst *ci);
cinst *compat_inst_find(const weft_instance *inst);

/* The exec to run a helper call for ci on this thread: the exec of the native running
 * here (re-entrant call), else ci's singleton. NULL when out of memory. */
weft_exec *compat_exec_for(cinst *ci);

/* weft's value type as a WAMR value kind. */
wasm_valkind_t compat_kind(weft_valtype t);

/* Records a failed weft_call as ci's exception ("Exception: <reason>"; exit becomes
 * "env.exit(N)"). */
void compat_set_call_error(cinst *ci, weft_exec *exec, const weft_error *err);
/* Sets the exception text (without the "Exception: " prefix); NULL clears. */
void compat_set_exception_text(cinst *ci, const char *text);

/* wasm_wasi.c: gives ci's instance the WASI context of its module's
 * wasm_runtime_set_wasi_args (defaults without) when the module imports WASI; false with a
 * message in why when a preopen cannot be opened. */
bool compat_wasi_attach(cinst *ci, char *why, size_t whylen);
/* wasm_wasi.c: drops a module's WASI arguments (wasm_runtime_unload). */
void compat_wasi_forget(const weft_module *module);

#endif
