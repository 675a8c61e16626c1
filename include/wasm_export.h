/* wasm_export.h — the WebAssembly Micro Runtime's (WAMR) embedding names, implemented on
 * top of weft.h (src/compat/), so that WAMR embedders can switch to weft.
 *
 * The parameters mean what they mean in WAMR. Where weft differs, the declaration says so.
 * The big differences, once:
 *  - There is one process-wide runtime (a weft_runtime) between wasm_runtime_init and
 *    wasm_runtime_destroy.
 *  - Imports are resolved at wasm_runtime_instantiate, not at load: register natives
 *    before instantiating. An unresolved import fails instantiation ("unknown import").
 *  - Natives need a signature string (lib_export.h); it gives the import's wasm type.
 *  - A wasm_exec_env_t is a weft_exec * (weft.h): one per OS thread that runs wasm; the
 *    value-stack size is weft_config's (stack_size arguments are accepted and ignored).
 *  - Only wasm bytecode is loaded (no AOT files).
 * Not provided: multi-module, the Wasm C API, externref mapping, threads
 * spawned through this API, debugging and profiling entry points.
 */
#ifndef _WASM_EXPORT_H
#define _WASM_EXPORT_H
#include <stdbool.h>
#include <stdint.h>
#include "lib_export.h"

#ifndef WASM_RUNTIME_API_EXTERN
#define WASM_RUNTIME_API_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Shorthands used inside natives (they expect a local `module_inst`). */
#define get_module_inst(exec_env) wasm_runtime_get_module_inst(exec_env)
#define validate_app_addr(offset, size) \
  wasm_runtime_validate_app_addr(module_inst, offset, size)
#define validate_app_str_addr(offset) wasm_runtime_validate_app_str_addr(module_inst, offset)
#define addr_app_to_native(offset) wasm_runtime_addr_app_to_native(module_inst, offset)
#define addr_native_to_app(ptr) wasm_runtime_addr_native_to_app(module_inst, ptr)
#define module_malloc(size, p_native_addr) \
  wasm_runtime_module_malloc(module_inst, size, p_native_addr)
#define module_free(offset) wasm_runtime_module_free(module_inst, offset)

/* Raw natives: void f(wasm_exec_env_t exec_env, uint64_t *args). args[i] is the i-th
 * parameter in a 64-bit cell (i32/f32 in the low bytes; * and $ parameters already checked
 * and replaced by native pointers); the result goes into args[0]. */
#define native_raw_return_type(type, args) type *raw_ret = (type *)(args)
#define native_raw_get_arg(type, name, args) type name = *((type *)(args++))
#define native_raw_set_return(val) *raw_ret = (val)

#ifndef WASM_MODULE_T_DEFINED
#define WASM_MODULE_T_DEFINED
struct WASMModuleCommon;
typedef struct WASMModuleCommon *wasm_module_t;         /* a weft_module * */
#endif
struct WASMModuleInstanceCommon;
typedef struct WASMModuleInstanceCommon *wasm_module_inst_t;
typedef void WASMFunctionInstanceCommon;
typedef WASMFunctionInstanceCommon *wasm_function_inst_t; /* a weft_func * */
struct WASMExecEnv;
typedef struct WASMExecEnv *wasm_exec_env_t;            /* a weft_exec * */

typedef enum {
  Wasm_Module_Bytecode = 0,
  Wasm_Module_AoT,
  Package_Type_Unknown = 0xFFFF
} package_type_t;

#ifndef MEM_ALLOC_OPTION_DEFINED
#define MEM_ALLOC_OPTION_DEFINED
/* Where wasm_runtime_malloc & co. get memory. weft itself always uses the C library's
 * allocator; these settings only affect wasm_runtime_malloc/realloc/free:
 *  - Alloc_With_System_Allocator: malloc/realloc/free.
 *  - Alloc_With_Allocator: the given malloc_func/realloc_func/free_func (no user_data).
 *  - Alloc_With_Pool: accepted, but the pool buffer is NOT used: weft logs a warning and
 *    uses the system allocator (memory use is not bounded by the pool). */
typedef enum {
  Alloc_With_Pool = 0,
  Alloc_With_Allocator,
  Alloc_With_System_Allocator,
} mem_alloc_type_t;

typedef union MemAllocOption {
  struct {
    void *heap_buf;
    uint32_t heap_size;
  } pool;
  struct {
    void *malloc_func;     /* void *(*)(unsigned int size) */
    void *realloc_func;    /* void *(*)(void *ptr, unsigned int size) */
    void *free_func;       /* void (*)(void *ptr) */
    void *user_data;       /* ignored */
  } allocator;
} MemAllocOption;
#endif

typedef enum RunningMode {
  Mode_Interp = 1,
  Mode_Fast_JIT,
  Mode_LLVM_JIT,
  Mode_Multi_Tier_JIT,
} RunningMode;

/* wasm_runtime_full_init's arguments. Used by weft: mem_alloc_type/mem_alloc_option (see
 * above), native_module_name/native_symbols/n_native_symbols (registered as
 * wasm_runtime_register_natives does), max_thread_num (weft_config.max_threads; 0 =
 * default 4), running_mode (0 or Mode_Interp; anything else fails). The rest is ignored. */
typedef struct RuntimeInitArgs {
  mem_alloc_type_t mem_alloc_type;
  MemAllocOption mem_alloc_option;
  const char *native_module_name;
  NativeSymbol *native_symbols;
  uint32_t n_native_symbols;
  uint32_t max_thread_num;
  char ip_addr[128];
  int unused;
  int instance_port;
  uint32_t fast_jit_code_cache_size;
  uint32_t gc_heap_size;
  RunningMode running_mode;
  uint32_t llvm_jit_opt_level;
  uint32_t llvm_jit_size_level;
  uint32_t segue_flags;
  bool enable_linux_perf;
} RuntimeInitArgs;

#ifndef WASM_VALKIND_T_DEFINED
#define WASM_VALKIND_T_DEFINED
typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
  WASM_I32,
  WASM_I64,
  WASM_F32,
  WASM_F64,
  WASM_V128,
  WASM_EXTERNREF = 128,
  WASM_FUNCREF,
};
#endif

#ifndef WASM_VAL_T_DEFINED
#define WASM_VAL_T_DEFINED
struct wasm_ref_t;
typedef struct wasm_val_t {
  wasm_valkind_t kind;
  uint8_t _paddings[7];
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uintptr_t foreign;     /* externref: weft's opaque uintptr_t (0 = null) */
    struct wasm_ref_t *ref;
  } of;
} wasm_val_t;
#endif

typedef enum {
  WASM_LOG_LEVEL_FATAL = 0,
  WASM_LOG_LEVEL_ERROR = 1,
  WASM_LOG_LEVEL_WARNING = 2,
  WASM_LOG_LEVEL_DEBUG = 3,
  WASM_LOG_LEVEL_VERBOSE = 4
} log_level_t;

/* ---- runtime ---------------------------------------------------------------------- */

/* Creates the process-wide runtime with the system allocator; true on success (also when
 * already initialised: calls nest, each needs a wasm_runtime_destroy). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_init(void);
/* wasm_runtime_init with arguments (see RuntimeInitArgs for what weft uses). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_full_init(RuntimeInitArgs *init_args);
/* Sets which of weft's compatibility-layer log lines are printed (stderr); default
 * WASM_LOG_LEVEL_WARNING. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_log_level(log_level_t level);
/* Destroys the runtime (after the last nested init). Unload modules and deinstantiate
 * instances first. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_destroy(void);
/* Memory from the runtime's allocator (see mem_alloc_type_t). */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_malloc(unsigned int size);
/* Resizes a block from wasm_runtime_malloc. */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_realloc(void *ptr, unsigned int size);
/* Frees a block from wasm_runtime_malloc (NULL is fine). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_free(void *ptr);
/* Wasm_Module_Bytecode for a wasm binary ("\0asm", version 1), Wasm_Module_AoT for a .aot
 * made by weftc ("\0weftaot": wasm_runtime_load takes both), else Package_Type_Unknown. */
WASM_RUNTIME_API_EXTERN package_type_t get_package_type(const uint8_t *buf, uint32_t size);
/* The thread limit N of the pthread library (aux stack in N+1 slices). Takes effect for
 * instances created afterwards. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_max_thread_num(uint32_t num);

/* ---- natives ------------------------------------------------------------------------ */

/* Registers natives under module_name; each needs a signature (lib_export.h). Every
 * pointer (* with the ~ length after it, else 1 byte) and string ($) argument is checked
 * against the calling instance's memory before the native runs; a bad one traps
 * "out of bounds memory access". Natives are called as ret f(wasm_exec_env_t, args...);
 * on x86-64 and AArch64 at most 8 float and 13 (x86-64) / 15 (AArch64) other parameters
 * (larger ones: use the raw form). All-or-nothing: false registers none. The array may be
 * freed after the call (weft copies what it needs). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_register_natives(const char *module_name,
                                                           NativeSymbol *native_symbols,
                                                           uint32_t n_native_symbols);
/* Registers raw natives: void f(wasm_exec_env_t, uint64_t *args) (see native_raw_*). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_register_natives_raw(const char *module_name,
                                                               NativeSymbol *native_symbols,
                                                               uint32_t n_native_symbols);
/* Inside a native: its NativeSymbol's attachment. */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_get_function_attachment(wasm_exec_env_t exec_env);

/* ---- modules and instances ------------------------------------------------------------ */

/* Decodes, validates and translates a wasm binary (weft copies it: buf may be freed or
 * reused afterwards). NULL on failure with weft's message in error_buf. */
WASM_RUNTIME_API_EXTERN wasm_module_t wasm_runtime_load(uint8_t *buf, uint32_t size,
                                                        char *error_buf,
                                                        uint32_t error_buf_size);
/* Frees a module; its instances must be deinstantiated first. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_unload(wasm_module_t module);
/* Instantiates: links imports (registered natives), creates memories with an app heap of
 * host_managed_heap_size bytes inside memory 0 (0 = none; module_malloc then uses the
 * module's own exported malloc/free, if any), runs the start function, then
 * __wasm_call_ctors when exported and there is no _start. default_stack_size is accepted
 * and ignored (weft_config.value_stack_bytes applies). NULL on failure, message in
 * error_buf. */
WASM_RUNTIME_API_EXTERN wasm_module_inst_t wasm_runtime_instantiate(
    const wasm_module_t module, uint32_t default_stack_size, uint32_t host_managed_heap_size,
    char *error_buf, uint32_t error_buf_size);
/* Frees an instance and its singleton exec env. Exec envs created for it must not be used
 * with it afterwards. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_deinstantiate(wasm_module_inst_t module_inst);
/* The module an instance was made from. */
WASM_RUNTIME_API_EXTERN wasm_module_t wasm_runtime_get_module(wasm_module_inst_t module_inst);
/* An exported function by name, or NULL. */
WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_runtime_lookup_function(const wasm_module_inst_t module_inst, const char *name);
/* Parameter / result counts and kinds of a function (module_inst is not needed by weft). */
WASM_RUNTIME_API_EXTERN uint32_t wasm_func_get_param_count(const wasm_function_inst_t func_inst,
                                                           const wasm_module_inst_t module_inst);
WASM_RUNTIME_API_EXTERN uint32_t wasm_func_get_result_count(
    const wasm_function_inst_t func_inst, const wasm_module_inst_t module_inst);
WASM_RUNTIME_API_EXTERN void wasm_func_get_param_types(const wasm_function_inst_t func_inst,
                                                       const wasm_module_inst_t module_inst,
                                                       wasm_valkind_t *param_types);
WASM_RUNTIME_API_EXTERN void wasm_func_get_result_types(const wasm_function_inst_t func_inst,
                                                        const wasm_module_inst_t module_inst,
                                                        wasm_valkind_t *result_types);
/* Custom data of an instance (one pointer). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_custom_data(wasm_module_inst_t module_inst,
                                                          void *custom_data);
WASM_RUNTIME_API_EXTERN void *wasm_runtime_get_custom_data(wasm_module_inst_t module_inst);

/* ---- execution environments ----------------------------------------------------------- */

/* A new exec env (a weft_exec) bound to module_inst; use it on one thread at a time.
 * stack_size is ignored (weft_config.value_stack_bytes). NULL on failure. */
WASM_RUNTIME_API_EXTERN wasm_exec_env_t wasm_runtime_create_exec_env(wasm_module_inst_t module_inst,
                                                                     uint32_t stack_size);
/* Destroys an exec env from wasm_runtime_create_exec_env. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_destroy_exec_env(wasm_exec_env_t exec_env);
/* The instance's own exec env (created on first use, freed with the instance); used by
 * wasm_application_execute_*. Do not destroy it. */
WASM_RUNTIME_API_EXTERN wasm_exec_env_t
wasm_runtime_get_exec_env_singleton(wasm_module_inst_t module_inst);
/* The instance of an exec env. Inside a native: the instance whose wasm code called it. */
WASM_RUNTIME_API_EXTERN wasm_module_inst_t wasm_runtime_get_module_inst(wasm_exec_env_t exec_env);
/* One user pointer per exec env. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_user_data(wasm_exec_env_t exec_env, void *user_data);
WASM_RUNTIME_API_EXTERN void *wasm_runtime_get_user_data(wasm_exec_env_t exec_env);
/* Per-thread setup for threads the embedder created (installs weft's signal stack);
 * weft also does this on a thread's first call, so these are optional. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_init_thread_env(void);
WASM_RUNTIME_API_EXTERN void wasm_runtime_destroy_thread_env(void);
/* True after wasm_runtime_init_thread_env on this thread. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_thread_env_inited(void);

/* ---- calls ------------------------------------------------------------------------------- */

/* Calls function with argc uint32 cells in argv (i32/f32: one cell, i64/f64: two, native
 * byte order); results are written back from argv[0]. Reference-typed parameters or
 * results are not supported (false). On a trap: false and the exception is set on the
 * exec env's instance ("Exception: <reason>"). exit() in the program is a trap too
 * ("Exception: env.exit(N)", as WAMR's libc-builtin). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_call_wasm(wasm_exec_env_t exec_env,
                                                    wasm_function_inst_t function, uint32_t argc,
                                                    uint32_t argv[]);
/* Calls function with typed arguments and results (kinds must match the function's). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_call_wasm_a(wasm_exec_env_t exec_env,
                                                      wasm_function_inst_t function,
                                                      uint32_t num_results, wasm_val_t results[],
                                                      uint32_t num_args, wasm_val_t *args);
/* Runs main (or __main_argc_argv, _main) with argc/argv copied into the instance's memory
 * (app heap, else the module's malloc); if main returns a value and argc > 0, it is stored
 * in *(int *)argv, as WAMR does. False with the exception set on failure. */
WASM_RUNTIME_API_EXTERN bool wasm_application_execute_main(wasm_module_inst_t module_inst,
                                                           int32_t argc, char *argv[]);
/* Runs the export `name` with argv parsed by parameter type (strtoul/strtoull base 0,
 * strtof/strtod with "nan:0x..." payloads) and prints the results to stdout as WAMR does
 * ("0x2a:i32", "0x..:i64", "%.7g:f32", "%.7g:f64", comma-separated). On failure prints
 * the exception and returns false. */
WASM_RUNTIME_API_EXTERN bool wasm_application_execute_func(wasm_module_inst_t module_inst,
                                                           const char *name, int32_t argc,
                                                           char *argv[]);

/* ---- exceptions and termination ----------------------------------------------------------- */

/* The instance's exception ("Exception: <reason>"), or NULL. */
WASM_RUNTIME_API_EXTERN const char *wasm_runtime_get_exception(wasm_module_inst_t module_inst);
/* Sets ("Exception: " + exception) or clears (NULL) the exception. Called inside a native
 * for the calling instance, it also makes the native trap when it returns. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_exception(wasm_module_inst_t module_inst,
                                                        const char *exception);
/* Clears the exception. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_clear_exception(wasm_module_inst_t module_inst);
/* Asks every exec env of the instance (created with wasm_runtime_create_exec_env, and the
 * singleton) to stop: a running call traps "terminated" at its next loop back-edge or
 * call; an idle exec env's next call does. Safe from any thread. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_terminate(wasm_module_inst_t module_inst);
/* The code the program passed to WASI's proc_exit (from any thread), else of the last
 * exit() on the instance's exec envs (0 if none). */
WASM_RUNTIME_API_EXTERN uint32_t wasm_runtime_get_wasi_exit_code(wasm_module_inst_t module_inst);

/* ---- WASI (wasi_snapshot_preview1, docs/wasi.md) -------------------------------------------- */

/* Sets the WASI arguments every later instance of `module` gets (when it imports WASI):
 * preopened directories (dir_list: host paths, seen under the same name; map_dir_list:
 * "GUEST::HOST"), environment ("KEY=VALUE") and argv. Strings are copied. A preopen that
 * cannot be opened fails wasm_runtime_instantiate with a message. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_wasi_args(wasm_module_t module,
                                                        const char *dir_list[], uint32_t dir_count,
                                                        const char *map_dir_list[],
                                                        uint32_t map_dir_count,
                                                        const char *env[], uint32_t env_count,
                                                        char *argv[], int argc);
/* True when the instance's module imports wasi_snapshot_preview1. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_is_wasi_mode(wasm_module_inst_t module_inst);
/* The instance's "_start" (() -> ()) in WASI mode, else NULL. */
WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_runtime_lookup_wasi_start_function(wasm_module_inst_t module_inst);

/* ---- the instance's memory ------------------------------------------------------------------ */

/* Allocates size bytes in the instance's memory: from the app heap, or, without one, by
 * calling the module's exported malloc. Returns the offset (0 on failure) and the native
 * address in *p_native_addr (if not NULL). */
WASM_RUNTIME_API_EXTERN uint64_t wasm_runtime_module_malloc(wasm_module_inst_t module_inst,
                                                           uint64_t size, void **p_native_addr);
/* Frees an offset from wasm_runtime_module_malloc (0 does nothing). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_module_free(wasm_module_inst_t module_inst,
                                                      uint64_t ptr);
/* module_malloc + copy of src. */
WASM_RUNTIME_API_EXTERN uint64_t wasm_runtime_module_dup_data(wasm_module_inst_t module_inst,
                                                             const char *src, uint64_t size);
/* True if [app_offset, app_offset+size) is inside memory 0; else false and the exception
 * "out of bounds memory access" is set. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_validate_app_addr(wasm_module_inst_t module_inst,
                                                            uint64_t app_offset, uint64_t size);
/* True if a NUL-terminated string starts at app_str_offset inside memory 0 (else as above). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_validate_app_str_addr(wasm_module_inst_t module_inst,
                                                                uint64_t app_str_offset);
/* True if [native_ptr, native_ptr+size) is inside memory 0 (else as above). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_validate_native_addr(wasm_module_inst_t module_inst,
                                                               void *native_ptr, uint64_t size);
/* The native address of an offset inside memory 0 (an offset equal to the size is allowed),
 * or NULL. */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_addr_app_to_native(wasm_module_inst_t module_inst,
                                                              uint64_t app_offset);
/* The offset of a native address inside memory 0, or 0. */
WASM_RUNTIME_API_EXTERN uint64_t wasm_runtime_addr_native_to_app(wasm_module_inst_t module_inst,
                                                                 void *native_ptr);

#ifdef __cplusplus
}
#endif
#endif
