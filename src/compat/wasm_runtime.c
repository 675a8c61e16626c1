/* wasm_runtime.c — WAMR-compatible runtime lifetime, allocator, log level, natives and the
 * thread limit (include/wasm_export.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../aot/aot.h"
#include "../runtime/runtime.h"
#include "compat.h"

weft_runtime *compat_rt;
static int init_count;
static log_level_t log_level = WASM_LOG_LEVEL_WARNING;
static uint32_t max_threads;     /* 0 = weft's default */
static mem_alloc_type_t alloc_type = Alloc_With_System_Allocator;
static void *(*user_malloc)(unsigned int);
static void *(*user_realloc)(void *, unsigned int);
static void (*user_free)(void *);
static _Thread_local bool thread_env_inited;

void compat_log(log_level_t level, const char *fmt, ...) {
  if (level > log_level) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "[weft] ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void wasm_runtime_set_log_level(log_level_t level) { log_level = level; }

bool wasm_runtime_init(void) {
  RuntimeInitArgs args;
  memset(&args, 0, sizeof args);
  args.mem_alloc_type = Alloc_With_System_Allocator;
  return wasm_runtime_full_init(&args);
}

/* Registers natives for wasm_runtime_register_natives(_raw) and init args. */
static bool register_natives(const char *module, NativeSymbol *syms, uint32_t n, bool raw) {
  if (!compat_rt) {
    compat_log(WASM_LOG_LEVEL_ERROR, "register natives: the runtime is not initialised");
    return false;
  }
  if (!module || (n && !syms)) return false;
  weft_native_symbol *ws = n ? malloc(n * sizeof *ws) : NULL;
  if (n && !ws) return false;
  for (uint32_t i = 0; i < n; i++)
    ws[i] = (weft_native_symbol){syms[i].symbol, syms[i].func_ptr, syms[i].signature,
                                 syms[i].attachment};
  weft_error err;
  bool ok = weft_register_natives(compat_rt, module, ws, n, raw, &err) == WEFT_OK;
  if (!ok) compat_log(WASM_LOG_LEVEL_ERROR, "register natives of \"%s\": %s", module, err.message);
  free(ws);
  return ok;
}

bool wasm_runtime_full_init(RuntimeInitArgs *args) {
  if (!args) return false;
  if (args->running_mode != 0 && args->running_mode != Mode_Interp) {
    compat_log(WASM_LOG_LEVEL_ERROR, "running mode %d is not supported (weft interprets)",
               (int)args->running_mode);
    return false;
  }
  if (init_count++ > 0) return true;
  alloc_type = args->mem_alloc_type;
  if (alloc_type == Alloc_With_Pool) {
    compat_log(WASM_LOG_LEVEL_WARNING, "Alloc_With_Pool: the pool buffer is not used; weft "
               "allocates with the system allocator");
  } else if (alloc_type == Alloc_With_Allocator) {
    user_malloc = (void *(*)(unsigned int))args->mem_alloc_option.allocator.malloc_func;
    user_realloc = (void *(*)(void *, unsigned int))args->mem_alloc_option.allocator.realloc_func;
    user_free = (void (*)(void *))args->mem_alloc_option.allocator.free_func;
    if (!user_malloc || !user_free) {
      compat_log(WASM_LOG_LEVEL_ERROR, "Alloc_With_Allocator needs malloc_func and free_func");
      init_count = 0;
      return false;
    }
  }
  if (args->max_thread_num) max_threads = args->max_thread_num;
  weft_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.max_threads = max_threads;
  compat_rt = weft_runtime_new(&cfg);
  if (!compat_rt) {
    init_count = 0;
    return false;
  }
  /* WAMR registers its libc-builtin at init; so does weft (natives registered later under
   * "env" shadow its functions of the same name). */
  weft_error err;
  if (weft_libc_builtin_register(compat_rt, &err) != WEFT_OK)
    compat_log(WASM_LOG_LEVEL_WARNING, "libc-builtin not registered: %s", err.message);
  /* and its pthread library (WAMR builds with WAMR_BUILD_LIB_PTHREAD). */
  if (weft_pthread_register(compat_rt, &err) != WEFT_OK)
    compat_log(WASM_LOG_LEVEL_WARNING, "pthread library not registered: %s", err.message);
  /* and WASI preview1 (WAMR_BUILD_LIBC_WASI). */
  if (weft_wasi_register(compat_rt, &err) != WEFT_OK)
    compat_log(WASM_LOG_LEVEL_WARNING, "WASI not registered: %s", err.message);
  if (args->n_native_symbols &&
      !register_natives(args->native_module_name ? args->native_module_name : "env",
                        args->native_symbols, args->n_native_symbols, false)) {
    weft_runtime_delete(compat_rt);
    compat_rt = NULL;
    init_count = 0;
    return false;
  }
  return true;
}

void wasm_runtime_destroy(void) {
  if (init_count == 0 || --init_count > 0) return;
  weft_runtime_delete(compat_rt);
  compat_rt = NULL;
  alloc_type = Alloc_With_System_Allocator;
}

void *wasm_runtime_malloc(unsigned int size) {
  if (alloc_type == Alloc_With_Allocator && user_malloc) return user_malloc(size);
  return malloc(size ? size : 1);
}

void *wasm_runtime_realloc(void *ptr, unsigned int size) {
  if (alloc_type == Alloc_With_Allocator && user_malloc)
    return user_realloc ? user_realloc(ptr, size) : NULL;
  return realloc(ptr, size ? size : 1);
}

void wasm_runtime_free(void *ptr) {
  if (alloc_type == Alloc_With_Allocator && user_free) {
    if (ptr) user_free(ptr);
    return;
  }
  free(ptr);
}

package_type_t get_package_type(const uint8_t *buf, uint32_t size) {
  static const uint8_t magic[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  if (buf && size >= 8 && memcmp(buf, magic, 8) == 0) return Wasm_Module_Bytecode;
  if (waot_is_aot(buf, size)) return Wasm_Module_AoT;   /* weftc's .aot (wasm_runtime_load) */
  return Package_Type_Unknown;
}

void wasm_runtime_set_max_thread_num(uint32_t num) {
  max_threads = num;
  if (compat_rt && num) compat_rt->cfg.max_threads = num;
}

bool wasm_runtime_register_natives(const char *module_name, NativeSymbol *native_symbols,
                                   uint32_t n_native_symbols) {
  return register_natives(module_name, native_symbols, n_native_symbols, false);
}

bool wasm_runtime_register_natives_raw(const char *module_name, NativeSymbol *native_symbols,
                                       uint32_t n_native_symbols) {
  return register_natives(module_name, native_symbols, n_native_symbols, true);
}

void *wasm_runtime_get_function_attachment(wasm_exec_env_t exec_env) {
  return weft_exec_native_attachment((weft_exec *)exec_env);
}

bool wasm_runtime_init_thread_env(void) {
  wplat_thread_init();
  thread_env_inited = true;
  return true;
}

void wasm_runtime_destroy_thread_env(void) { thread_env_inited = false; }

bool wasm_runtime_thread_env_inited(void) { return thread_env_inited; }
