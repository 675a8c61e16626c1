/* wasm_call.c — WAMR-compatible calls: uint32 cell arrays (call_wasm), typed values
 * (call_wasm_a), main with argv (execute_main) and string arguments (execute_func). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"

#define MAX_VALUES 1000   /* wasm's own limit on parameters and results */

/* The instance exceptions of a call on exec go to: the exec env's bound instance, else the
 * function's own instance. */
static cinst *call_owner(weft_exec *e, weft_func *f) {
  cenv *ce = e->user_data;
  if (ce && ce->inst) return ce->inst;
  return f->inst ? compat_inst_find(f->inst) : NULL;
}

/* Cells a value type takes in a uint32 argv; 0 for types call_wasm does not carry. */
static uint32_t cells_of(weft_valtype t) {
  switch (t) {
  case WEFT_I32: case WEFT_F32: return 1;
  case WEFT_I64: case WEFT_F64: return 2;
  default: return 0;
  }
}

/* Runs f and records the outcome on the owner's exception. */
static bool run(weft_exec *e, weft_func *f, const weft_slot *args, uint32_t nargs,
                weft_slot *res, uint32_t nres) {
  cinst *ci = call_owner(e, f);
  weft_error err;
  if (ci) compat_set_exception_text(ci, NULL);
  if (weft_call(e, f, args, nargs, res, nres, &err) == WEFT_OK) return true;
  compat_set_call_error(ci, e, &err);
  return false;
}

/* Sets an exception for a call that could not start. */
static bool refuse(weft_exec *e, weft_func *f, const char *why) {
  cinst *ci = call_owner(e, f);
  if (ci) compat_set_exception_text(ci, why);
  return false;
}

bool wasm_runtime_call_wasm(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                            uint32_t argc, uint32_t argv[]) {
  weft_exec *e = (weft_exec *)exec_env;
  weft_func *f = (weft_func *)function;
  if (!e || !f) return false;
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f), need = 0;
  for (uint32_t i = 0; i < np; i++) {
    uint32_t c = cells_of(weft_func_param_type(f, i));
    if (!c) return refuse(e, f, "reference-typed parameters are not supported by call_wasm");
    need += c;
  }
  for (uint32_t i = 0; i < nr; i++)
    if (!cells_of(weft_func_result_type(f, i)))
      return refuse(e, f, "reference-typed results are not supported by call_wasm");
  if (argc < need || (need && !argv)) {
    char buf[96];
    snprintf(buf, sizeof buf, "invalid argument count %u, must be no smaller than %u", argc, need);
    return refuse(e, f, buf);
  }
  weft_slot *slots = malloc(((np > nr ? np : nr) + 1) * sizeof *slots);
  if (!slots) return refuse(e, f, "allocate memory failed");
  for (uint32_t i = 0, k = 0; i < np; i++) {
    slots[i].i64 = 0;
    if (cells_of(weft_func_param_type(f, i)) == 1) {
      slots[i].i32 = argv[k++];
    } else {
      memcpy(&slots[i].i64, &argv[k], 8);
      k += 2;
    }
  }
  bool ok = run(e, f, slots, np, slots, nr);
  if (ok)
    for (uint32_t i = 0, k = 0; i < nr; i++) {
      if (cells_of(weft_func_result_type(f, i)) == 1) {
        argv[k++] = slots[i].i32;
      } else {
        memcpy(&argv[k], &slots[i].i64, 8);
        k += 2;
      }
    }
  free(slots);
  return ok;
}

/* A WAMR value kind as weft's value type (0 for v128, unsupported). */
static weft_valtype type_of(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return WEFT_I32;
  case WASM_I64: return WEFT_I64;
  case WASM_F32: return WEFT_F32;
  case WASM_F64: return WEFT_F64;
  case WASM_EXTERNREF: return WEFT_EXTERNREF;
  case WASM_FUNCREF: return WEFT_FUNCREF;
  default: return (weft_valtype)0;
  }
}

bool wasm_runtime_call_wasm_a(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                              uint32_t num_results, wasm_val_t results[], uint32_t num_args,
                              wasm_val_t *args) {
  weft_exec *e = (weft_exec *)exec_env;
  weft_func *f = (weft_func *)function;
  if (!e || !f) return false;
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f);
  if (num_args != np || num_results != nr || (np && !args) || (nr && !results))
    return refuse(e, f, "the argument or result count does not match the function type");
  weft_slot *slots = malloc(((np > nr ? np : nr) + 1) * sizeof *slots);
  if (!slots) return refuse(e, f, "allocate memory failed");
  for (uint32_t i = 0; i < np; i++) {
    weft_valtype t = weft_func_param_type(f, i);
    if (type_of(args[i].kind) != t) {
      free(slots);
      return refuse(e, f, "an argument's kind does not match the parameter type");
    }
    slots[i].i64 = 0;
    switch (t) {
    case WEFT_I32: slots[i].i32 = (uint32_t)args[i].of.i32; break;
    case WEFT_I64: slots[i].i64 = (uint64_t)args[i].of.i64; break;
    case WEFT_F32: slots[i].f32 = args[i].of.f32; break;
    case WEFT_F64: slots[i].f64 = args[i].of.f64; break;
    case WEFT_EXTERNREF: slots[i].ref = args[i].of.foreign; break;
    default: slots[i].ref = (uintptr_t)args[i].of.ref; break;
    }
  }
  bool ok = run(e, f, slots, np, slots, nr);
  for (uint32_t i = 0; ok && i < nr; i++) {
    weft_valtype t = weft_func_result_type(f, i);
    memset(&results[i], 0, sizeof results[i]);
    results[i].kind = compat_kind(t);
    switch (t) {
    case WEFT_I32: results[i].of.i32 = (int32_t)slots[i].i32; break;
    case WEFT_I64: results[i].of.i64 = (int64_t)slots[i].i64; break;
    case WEFT_F32: results[i].of.f32 = slots[i].f32; break;
    case WEFT_F64: results[i].of.f64 = slots[i].f64; break;
    case WEFT_EXTERNREF: results[i].of.foreign = slots[i].ref; break;
    default: results[i].of.ref = (struct wasm_ref_t *)slots[i].ref; break;
    }
  }
  free(slots);
  return ok;
}

/* main must be a function of this instance: () or (i32, i32), returning nothing or i32. */
static bool main_type_ok(weft_func *f) {
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f);
  if (!(np == 0 || np == 2) || nr > 1) return false;
  if (np == 2 && (weft_func_param_type(f, 0) != WEFT_I32 || weft_func_param_type(f, 1) != WEFT_I32))
    return false;
  return nr == 0 || weft_func_result_type(f, 0) == WEFT_I32;
}

bool wasm_application_execute_main(wasm_module_inst_t module_inst, int32_t argc, char *argv[]) {
  cinst *ci = (cinst *)module_inst;
  if (!ci || argc < 0 || (argc && !argv)) return false;
  weft_func *f = NULL;
  const char *names[] = {"main", "__main_argc_argv", "_main"};
  for (int i = 0; i < 3 && !f; i++) f = weft_instance_func(ci->inst, names[i]);
  if (!f) {
    compat_set_exception_text(ci, "lookup the entry point symbol (like main, _main, "
                                  "__main_argc_argv) failed");
    return false;
  }
  if (f->inst != ci->inst) {
    compat_set_exception_text(ci, "lookup main function failed");
    return false;
  }
  if (!main_type_ok(f)) {
    compat_set_exception_text(ci, "invalid function type of main function");
    return false;
  }
  weft_exec *e = compat_exec_for(ci);
  if (!e) {
    compat_set_exception_text(ci, "allocate memory failed");
    return false;
  }
  uint64_t buf_off = 0;
  weft_slot slots[2] = {{.i64 = 0}, {.i64 = 0}};
  uint32_t nargs = weft_func_param_count(f);
  if (nargs == 2) {
    /* the strings, padded to 4 bytes, then the uint32 offsets of argv[] */
    uint64_t strings = 0;
    for (int32_t i = 0; i < argc; i++) strings += strlen(argv[i]) + 1;
    strings = (strings + 3) & ~(uint64_t)3;
    uint64_t total = strings + 4 * (uint64_t)argc;
    char *native = NULL;
    if (total >= UINT32_MAX ||
        !(buf_off = wasm_runtime_module_malloc(module_inst, total ? total : 1, (void **)&native))) {
      compat_set_exception_text(ci, "allocate memory failed");
      return false;
    }
    char *p = native;
    for (int32_t i = 0; i < argc; i++) {
      size_t n = strlen(argv[i]) + 1;
      memcpy(p, argv[i], n);
      uint32_t off = (uint32_t)(buf_off + (uint64_t)(p - native));
      memcpy(native + strings + 4 * (uint64_t)i, &off, 4);
      p += n;
    }
    slots[0].i32 = (uint32_t)argc;
    slots[1].i32 = (uint32_t)(buf_off + strings);
  }
  bool ok = run(e, f, slots, nargs, slots, weft_func_result_count(f));
  weft_instance_terminate_threads(ci->inst);   /* main returning ends the program's threads */
  if (ok && weft_func_result_count(f) && argc > 0) *(int *)argv = (int)slots[0].i32;
  if (buf_off) wasm_runtime_module_free(module_inst, buf_off);
  return ok;
}

/* Parses one execute_func argument of type t into s; false if it is not a number. */
static bool parse_arg(const char *a, weft_valtype t, weft_slot *s) {
  char *end = NULL;
  s->i64 = 0;
  switch (t) {
  case WEFT_I32: s->i32 = (uint32_t)strtoul(a, &end, 0); break;
  case WEFT_I64: s->i64 = strtoull(a, &end, 0); break;
  case WEFT_F32: {
    float v = strtof(a, &end);
    uint32_t bits;
    memcpy(&bits, &v, 4);
    if (isnan(v)) {
      if (a[0] == '-') bits |= 0x80000000u;
      if (*end == ':') bits = (bits & ~0x7FFFFFu) | ((uint32_t)strtoul(end + 1, &end, 0) & 0x7FFFFFu);
    }
    s->i32 = bits;
    break;
  }
  case WEFT_F64: {
    double v = strtod(a, &end);
    uint64_t bits;
    memcpy(&bits, &v, 8);
    if (isnan(v)) {
      if (a[0] == '-') bits |= UINT64_C(1) << 63;
      if (*end == ':')
        bits = (bits & ~((UINT64_C(1) << 52) - 1)) |
               (strtoull(end + 1, &end, 0) & ((UINT64_C(1) << 52) - 1));
    }
    s->i64 = bits;
    break;
  }
  default:
    if (strncmp(a, "null", 4) == 0 || strncmp(a, "NULL", 4) == 0) {
      end = (char *)a + 4;
      s->ref = 0;
    } else if (t == WEFT_EXTERNREF) {
      s->ref = (uintptr_t)strtoull(a, &end, 0);
    } else {
      return false;   /* a funcref from a number has no meaning in weft */
    }
  }
  return end && (*end == 0 || *end == '_');
}

/* Prints results the way WAMR's execute_func does. */
static void print_results(weft_func *f, const weft_slot *r) {
  uint32_t nr = weft_func_result_count(f);
  for (uint32_t j = 0; j < nr; j++) {
    switch (weft_func_result_type(f, j)) {
    case WEFT_I32: printf("0x%" PRIx32 ":i32", r[j].i32); break;
    case WEFT_I64: printf("0x%" PRIx64 ":i64", r[j].i64); break;
    case WEFT_F32: printf("%.7g:f32", r[j].f32); break;
    case WEFT_F64: printf("%.7g:f64", r[j].f64); break;
    case WEFT_FUNCREF:
      if (r[j].ref) printf("%p:ref.func", (void *)r[j].ref);
      else printf("func:ref.null");
      break;
    default:
      if (r[j].ref) printf("%p:ref.extern", (void *)r[j].ref);
      else printf("extern:ref.null");
    }
    if (j + 1 < nr) printf(",");
  }
  printf("\n");
}

bool wasm_application_execute_func(wasm_module_inst_t module_inst, const char *name,
                                   int32_t argc, char *argv[]) {
  cinst *ci = (cinst *)module_inst;
  if (!ci || !name || argc < 0) return false;
  char buf[160];
  weft_func *f = weft_instance_func(ci->inst, name);
  weft_slot *slots = NULL;
  bool ok = false;
  weft_exec *e = NULL;
  if (!f) {
    snprintf(buf, sizeof buf, "lookup function %s failed", name);
    compat_set_exception_text(ci, buf);
    goto out;
  }
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f);
  if (np != (uint32_t)argc) {
    compat_set_exception_text(ci, "invalid input argument count");
    goto out;
  }
  slots = calloc((np > nr ? np : nr) + 1, sizeof *slots);
  e = compat_exec_for(ci);
  if (!slots || !e) {
    compat_set_exception_text(ci, "allocate memory failed");
    goto out;
  }
  for (int32_t i = 0; i < argc; i++) {
    if (!argv[i][0] || !parse_arg(argv[i], weft_func_param_type(f, (uint32_t)i), &slots[i])) {
      if (argv[i][0]) snprintf(buf, sizeof buf, "invalid input argument %d: %s", (int)i, argv[i]);
      else snprintf(buf, sizeof buf, "invalid input argument %d", (int)i);
      compat_set_exception_text(ci, buf);
      goto out;
    }
  }
  ok = run(e, f, slots, np, slots, nr);
  if (ok) print_results(f, slots);
out:
  free(slots);
  if (!ok) printf("%s\n", wasm_runtime_get_exception(module_inst));
  return ok;
}
