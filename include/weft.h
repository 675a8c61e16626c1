/* weft.h — weft's native embedding API.
 *
 * Objects: a weft_runtime holds configuration and the registry of importable modules
 * (host modules and registered instances); a weft_module is a loaded, validated and
 * translated module, immutable and shareable across threads; a weft_instance owns linear
 * memory, tables and globals; a weft_exec is one OS thread's execution state (value and
 * frame stacks, trap recovery point, suspend flag). Functions returning weft_status fill
 * the weft_error passed to them on failure.
 */
#ifndef WEFT_H
#define WEFT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WEFT_VERSION "0.1.0"

typedef struct weft_runtime weft_runtime;
typedef struct wmodule weft_module;
typedef struct winstance weft_instance;
typedef struct wexec weft_exec;
typedef struct wfuncinst weft_func;
typedef struct wmemory weft_memory;
typedef struct wtable weft_table;
typedef struct wglobal weft_global;

/* Value types (binary encodings). */
typedef enum {
  WEFT_I32 = 0x7F, WEFT_I64 = 0x7E, WEFT_F32 = 0x7D, WEFT_F64 = 0x7C,
  WEFT_FUNCREF = 0x70, WEFT_EXTERNREF = 0x6F,
} weft_valtype;

/* One 64-bit value cell, as stored in frames, globals and host-call argument arrays.
 * i32/f32 live in the low 32 bits. A funcref is a weft_func* (NULL = null); an externref
 * is an opaque non-zero uintptr_t chosen by the embedder (0 = null). */
typedef union weft_slot {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  uintptr_t ref;
} weft_slot;

/* A typed value for the convenience call API. */
typedef struct { weft_valtype type; weft_slot of; } weft_val;

/* Trap reasons; weft_trap_message() gives the spec's wording. */
typedef enum {
  WEFT_TRAP_NONE = 0,
  WEFT_TRAP_UNREACHABLE,            /* "unreachable" executed */
  WEFT_TRAP_INT_DIV_ZERO,           /* "integer divide by zero" */
  WEFT_TRAP_INT_OVERFLOW,           /* "integer overflow" (INT_MIN / -1) */
  WEFT_TRAP_INVALID_CONVERSION,     /* "invalid conversion to integer" (NaN in trunc) */
  WEFT_TRAP_OOB_MEMORY,             /* "out of bounds memory access" */
  WEFT_TRAP_OOB_TABLE,              /* "out of bounds table access" */
  WEFT_TRAP_INDIRECT_TYPE_MISMATCH, /* "indirect call type mismatch" */
  WEFT_TRAP_UNDEFINED_ELEMENT,      /* "undefined element": call_indirect index >= size */
  WEFT_TRAP_UNINITIALIZED_ELEMENT,  /* "uninitialized element": call_indirect on null */
  WEFT_TRAP_CALL_STACK_EXHAUSTED,   /* "call stack exhausted": frame/value stack full */
  WEFT_TRAP_UNALIGNED_ATOMIC,       /* "unaligned atomic" */
  WEFT_TRAP_EXPECTED_SHARED,        /* "expected shared memory" (wait on unshared memory) */
  WEFT_TRAP_AUX_STACK_OVERFLOW,     /* "wasm auxiliary stack overflow" */
  WEFT_TRAP_TERMINATED,             /* "terminated": suspend flag asked this thread to stop */
  WEFT_TRAP_HOST,                   /* a host function failed; message says why */
  WEFT_TRAP_OUT_OF_MEMORY,          /* "out of memory" while running (host allocation) */
  WEFT_TRAP_EXIT,                   /* "exit": the program ended itself (libc exit, WASI
                                       proc_exit) — not an error; weft_exec_exit_code() has
                                       the status */
  WEFT_TRAP_THREAD_EXIT,            /* "thread exit": pthread_exit unwinding its thread —
                                       internal to the thread manager, never reported */
  WEFT_TRAP_COUNT_
} weft_trap;

/* The spec's message for a trap code. */
const char *weft_trap_message(weft_trap t);

/* Error categories. */
typedef enum {
  WEFT_ERR_NONE = 0,
  WEFT_ERR_MALFORMED = 1,   /* the binary does not decode */
  WEFT_ERR_INVALID = 2,     /* the module fails validation */
  WEFT_ERR_LINK = 3,        /* an import could not be resolved ("unknown import", "incompatible import type") */
  WEFT_ERR_TRAP = 4,        /* execution trapped; `trap` says why */
  WEFT_ERR_RESOURCE = 5,    /* a limit or allocation failed */
  WEFT_ERR_ARG = 6,         /* bad argument from the embedder */
} weft_errkind;

/* Error record: kind, trap code (for WEFT_ERR_TRAP), message, and for traps a backtrace
 * ("  #0 $name+0xOFF\n" lines, innermost first). */
typedef struct {
  weft_errkind kind;
  weft_trap trap;
  char message[512];
  char backtrace[2048];
} weft_error;

typedef enum { WEFT_OK = 0, WEFT_FAIL = 1 } weft_status;

/* Proposals an embedder can switch off (bits of weft_config.disabled_features). Modules
 * that use a switched-off proposal fail validation (WEFT_ERR_INVALID) with a message
 * naming it. Everything weft implements is on by default. */
typedef enum {
  /* reference types: multiple tables, externref, table.get/set/size/grow/fill, ref.*,
   * typed select. Off = the MVP rules ("multiple tables" is invalid). */
  WEFT_FEATURE_REFERENCE_TYPES = 1u << 0,
} weft_feature;

/* Runtime configuration; zero-initialise and set what you need (0 = default). */
typedef struct {
  bool bounds_checks;          /* explicit bounds checks instead of guard pages */
  uint32_t value_stack_bytes;  /* per-exec value stack (default 1 MiB) */
  uint32_t max_call_depth;     /* per-exec frame limit (default 20000) */
  uint32_t max_memory_pages;   /* cap on any memory's pages (default 65536 = 4 GiB) */
  uint32_t max_table_elems;    /* cap on any table's size (default 10,000,000) */
  uint32_t disabled_features;  /* WEFT_FEATURE_* bits to switch off (default 0: all on) */
  uint32_t max_threads;        /* the pthread library's thread limit N: the aux stack is cut
                                  into N+1 slices (default 4) */
} weft_config;

/* Creates a runtime; cfg may be NULL for defaults. Returns NULL on failure. */
weft_runtime *weft_runtime_new(const weft_config *cfg);
/* Destroys a runtime. Modules and instances created from it must be freed first. */
void weft_runtime_delete(weft_runtime *rt);

/* Decodes, validates and translates a module. NULL on failure (kind MALFORMED/INVALID/RESOURCE). */
weft_module *weft_module_new(weft_runtime *rt, const uint8_t *bytes, size_t len, weft_error *err);
void weft_module_delete(weft_module *m);

/* Host function: reads nparams args from slots[0..), writes nresults results to slots[0..)
 * (args are read before results are written). Returns WEFT_TRAP_NONE, or a trap code (for
 * WEFT_TRAP_HOST set the message first with weft_exec_set_trap_message). */
typedef weft_trap (*weft_host_fn)(weft_exec *exec, void *attachment, weft_slot *slots);

/* Registers a host function under (module, name) with the given type. */
weft_status weft_register_func(weft_runtime *rt, const char *module, const char *name,
                               const weft_valtype *params, uint32_t nparams,
                               const weft_valtype *results, uint32_t nresults,
                               weft_host_fn fn, void *attachment, weft_error *err);
/* Registers a host global, table or memory (created and owned by the runtime). */
weft_global *weft_register_global(weft_runtime *rt, const char *module, const char *name,
                                  weft_valtype type, bool mut, weft_slot init, weft_error *err);
weft_table *weft_register_table(weft_runtime *rt, const char *module, const char *name,
                                weft_valtype elem, uint32_t min, uint32_t max, bool has_max,
                                weft_error *err);
weft_memory *weft_register_memory(weft_runtime *rt, const char *module, const char *name,
                                  uint32_t min_pages, uint32_t max_pages, bool has_max,
                                  bool shared, weft_error *err);
/* Makes every export of `inst` importable under module name `name` (spec `register`).
 * The runtime keeps a reference; the instance stays alive until the runtime is deleted
 * or it is unregistered by registering another instance under the same name. */
weft_status weft_register_instance(weft_runtime *rt, const char *name, weft_instance *inst,
                                   weft_error *err);

/* Instantiates: resolves imports from the runtime's registry, allocates memory, tables and
 * globals, applies element and data segments, runs the start function (on `exec`, or a
 * temporary exec when NULL). NULL on failure (kind LINK, TRAP or RESOURCE). */
weft_instance *weft_instantiate(weft_runtime *rt, weft_module *m, weft_exec *exec,
                                weft_error *err);
/* Instantiation options; zero-initialise (0 = default). */
typedef struct {
  uint32_t heap_size;          /* bytes of app heap inside linear memory, served by
                                  weft_heap_* and libc-builtin's malloc (0 = no app heap) */
} weft_instance_options;
/* weft_instantiate with options (opts may be NULL). Fails with WEFT_ERR_RESOURCE when the
 * app heap does not fit the module's memory limits. */
weft_instance *weft_instantiate_opts(weft_runtime *rt, weft_module *m, weft_exec *exec,
                                     const weft_instance_options *opts, weft_error *err);

/* App heap: thread-safe allocation inside the instance's linear memory. Results are
 * offsets in memory 0 (8-byte aligned), 0 when exhausted, when size is 0 or absurd, or when
 * the instance has no app heap. Freeing 0 does nothing; freeing or reallocating an offset
 * the heap did not hand out is ignored (never corrupts the heap). */
uint32_t weft_heap_malloc(weft_instance *inst, uint32_t size);
uint32_t weft_heap_realloc(weft_instance *inst, uint32_t ptr, uint32_t size);
void weft_heap_free(weft_instance *inst, uint32_t ptr);

/* Drops the caller's reference to an instance (it lives on while others import from it). */
void weft_instance_delete(weft_instance *inst);

/* Export lookup by name; NULL if absent or of another kind. */
weft_func *weft_instance_func(weft_instance *inst, const char *name);
weft_global *weft_instance_global(weft_instance *inst, const char *name);
weft_memory *weft_instance_memory(weft_instance *inst, const char *name);
weft_table *weft_instance_table(weft_instance *inst, const char *name);
/* The instance's memory 0 (imported or defined), or NULL. */
weft_memory *weft_instance_default_memory(weft_instance *inst);

/* Function signature access. */
uint32_t weft_func_param_count(const weft_func *f);
uint32_t weft_func_result_count(const weft_func *f);
weft_valtype weft_func_param_type(const weft_func *f, uint32_t i);
weft_valtype weft_func_result_type(const weft_func *f, uint32_t i);

/* Global access. */
weft_valtype weft_global_type(const weft_global *g);
weft_slot weft_global_get(const weft_global *g);

/* Memory access: the base never moves; size is in bytes. */
uint8_t *weft_memory_data(weft_memory *mem);
uint64_t weft_memory_size(const weft_memory *mem);
/* Host pointer to [off, off+len) if that range lies inside the memory's current size, else
 * NULL (mem may be NULL). For validating guest pointers in host functions. */
void *weft_memory_range(weft_memory *mem, uint64_t off, uint64_t len);
/* Host pointer to the NUL-terminated string at off if its terminator lies inside the
 * memory, else NULL. */
const char *weft_memory_str(weft_memory *mem, uint64_t off);

/* Execution environments: one per OS thread that runs wasm. */
weft_exec *weft_exec_new(weft_runtime *rt);
void weft_exec_delete(weft_exec *exec);
/* Calls f with nargs args; writes the results to `results`. On a trap returns WEFT_FAIL
 * with kind WEFT_ERR_TRAP, the reason and a backtrace. Type-checks the argument count. */
weft_status weft_call(weft_exec *exec, weft_func *f, const weft_slot *args, uint32_t nargs,
                      weft_slot *results, uint32_t nresults, weft_error *err);
/* Sets the message a host function's WEFT_TRAP_HOST will carry. */
void weft_exec_set_trap_message(weft_exec *exec, const char *msg);
/* For host functions: the instance whose wasm code made the current host call (NULL when
 * no host call is running on exec). */
weft_instance *weft_exec_caller_instance(weft_exec *exec);
/* For host functions: ends the program with `code` (libc exit, WASI proc_exit). Returns
 * WEFT_TRAP_EXIT for the host function to return; the outermost weft_call then fails with
 * that trap and weft_exec_exit_code() gives the code. */
weft_trap weft_exec_exit(weft_exec *exec, int32_t code);
/* The code of the last WEFT_TRAP_EXIT on exec (0 if none). */
int32_t weft_exec_exit_code(const weft_exec *exec);

/* Native functions by signature string, as in WAMR's NativeSymbol: params in parentheses,
 * result after: i i32, I i64, f f32, F f64, * pointer into linear memory (validated,
 * passed as a native pointer), ~ byte length of the preceding * (whole range validated),
 * $ NUL-terminated string (validated). E.g. "(i*~$)I". An import from `module` named
 * `symbol` links to func_ptr when its wasm type matches the signature. raw = false: func_ptr
 * is called as a C function with the exec first, then the arguments as C types (see the
 * embedding guide for the supported argument counts); raw = true: func_ptr is a
 * void (*)(weft_exec *, uint64_t *args) reading and writing a slot array. */
typedef struct {
  const char *symbol;
  void *func_ptr;
  const char *signature;
  void *attachment;
} weft_native_symbol;
weft_status weft_register_natives(weft_runtime *rt, const char *module,
                                  const weft_native_symbol *syms, uint32_t n, bool raw,
                                  weft_error *err);
/* For natives: the attachment of the native being called (NULL outside a native call). */
void *weft_exec_native_attachment(weft_exec *exec);

/* libc-builtin: registers the host C library (printf, strings, malloc on the app heap, …)
 * under module "env". */
weft_status weft_libc_builtin_register(weft_runtime *rt, weft_error *err);

/* The pthread library: registers env.pthread_* (threads, mutexes, condition variables,
 * keys). An instance whose module imports any env.pthread_* function gets a thread cluster
 * at instantiation: up to weft_config.max_threads created threads at once, each on its own
 * OS thread with its own slice of the module's aux stack (docs/pthread.md). */
weft_status weft_pthread_register(weft_runtime *rt, weft_error *err);
/* Stops every thread the program in `inst` created (as weft_exec_request_stop does) and
 * waits until all have finished and their resources are freed. Call it when the program's
 * main function has returned (main returning ends the program, detached threads too).
 * weft_instance_delete does it too. No-op for an instance without threads. */
void weft_instance_terminate_threads(weft_instance *inst);

/* WASI preview1 ("wasi_snapshot_preview1", docs/wasi.md). Options for one program;
 * zero-initialise. Strings are copied by weft_wasi_attach. */
typedef struct {
  uint32_t argc;                 /* argv[0] is the program name by convention */
  const char *const *argv;
  uint32_t nenv;
  const char *const *env;        /* "KEY=VALUE" strings */
  uint32_t npreopens;            /* directories the program may reach, fds 3, 4, ... */
  const char *const *preopen_host;   /* host directory paths */
  const char *const *preopen_guest;  /* the names the guest sees (NULL: same as host) */
} weft_wasi_options;
/* Registers every wasi_snapshot_preview1 function in rt. */
weft_status weft_wasi_register(weft_runtime *rt, weft_error *err);
/* Gives the program of `inst` its WASI context: args, environment, stdio (fds 0-2, the
 * host's) and the preopened directories (opened now: a missing one fails with
 * WEFT_ERR_ARG). Call before running _start; replaces a previous context. A program
 * without one gets stdio only, no args, no environment, on its first WASI call. */
weft_status weft_wasi_attach(weft_instance *inst, const weft_wasi_options *opts,
                             weft_error *err);
/* True when the module imports anything from wasi_snapshot_preview1. */
bool weft_module_is_wasi(const weft_module *m);
/* The code the program passed to proc_exit (0 when it has not called it). */
int32_t weft_wasi_exit_code(weft_instance *inst);

/* Asks the thread running `exec` to stop at its next loop back-edge or call, or at once
 * when it is blocked in memory.atomic.wait (traps "terminated"). Safe from any thread. */
void weft_exec_request_stop(weft_exec *exec);

#ifdef __cplusplus
}
#endif
#endif
