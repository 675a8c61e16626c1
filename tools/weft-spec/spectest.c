/* spectest.c — host functions and objects of the spec's `spectest` module. */
#include "spectest.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Signature of one print function; the attachment points at it so one host function body
 * serves all of them. */
typedef struct {
  const char *name;
  uint32_t nparams;
  weft_valtype params[2];
} print_sig;

static const print_sig print_sigs[] = {
  {"print", 0, {WEFT_I32, WEFT_I32}},
  {"print_i32", 1, {WEFT_I32, WEFT_I32}},
  {"print_i64", 1, {WEFT_I64, WEFT_I32}},
  {"print_f32", 1, {WEFT_F32, WEFT_I32}},
  {"print_f64", 1, {WEFT_F64, WEFT_I32}},
  {"print_i32_f32", 2, {WEFT_I32, WEFT_F32}},
  {"print_f64_f64", 2, {WEFT_F64, WEFT_F64}},
};

static bool spectest_verbose;

/* Body of every spectest.print*: prints its arguments in -v mode, else does nothing. */
static weft_trap spectest_print(weft_exec *exec, void *attachment, weft_slot *slots) {
  (void)exec;
  const print_sig *sig = attachment;
  if (!spectest_verbose) return WEFT_TRAP_NONE;
  printf("spectest.%s(", sig->name);
  for (uint32_t i = 0; i < sig->nparams; i++) {
    if (i) printf(", ");
    switch (sig->params[i]) {
    case WEFT_I32: printf("%" PRId32 ":i32", (int32_t)slots[i].i32); break;
    case WEFT_I64: printf("%" PRId64 ":i64", (int64_t)slots[i].i64); break;
    case WEFT_F32: printf("%.9g:f32", (double)slots[i].f32); break;
    case WEFT_F64: printf("%.17g:f64", slots[i].f64); break;
    default: printf("?"); break;
    }
  }
  printf(")\n");
  return WEFT_TRAP_NONE;
}

weft_status spectest_register(weft_runtime *rt, bool verbose, weft_error *err) {
  spectest_verbose = verbose;
  for (size_t i = 0; i < sizeof print_sigs / sizeof print_sigs[0]; i++) {
    const print_sig *s = &print_sigs[i];
    if (weft_register_func(rt, "spectest", s->name, s->params, s->nparams, NULL, 0,
                           spectest_print, (void *)s, err) != WEFT_OK)
      return WEFT_FAIL;
  }
  weft_slot v;
  memset(&v, 0, sizeof v);
  v.i32 = 666;
  if (!weft_register_global(rt, "spectest", "global_i32", WEFT_I32, false, v, err)) return WEFT_FAIL;
  memset(&v, 0, sizeof v);
  v.i64 = 666;
  if (!weft_register_global(rt, "spectest", "global_i64", WEFT_I64, false, v, err)) return WEFT_FAIL;
  memset(&v, 0, sizeof v);
  v.f32 = 666.6f;
  if (!weft_register_global(rt, "spectest", "global_f32", WEFT_F32, false, v, err)) return WEFT_FAIL;
  memset(&v, 0, sizeof v);
  v.f64 = 666.6;
  if (!weft_register_global(rt, "spectest", "global_f64", WEFT_F64, false, v, err)) return WEFT_FAIL;
  if (!weft_register_table(rt, "spectest", "table", WEFT_FUNCREF, 10, 20, true, err)) return WEFT_FAIL;
  if (!weft_register_memory(rt, "spectest", "memory", 1, 2, true, false, err)) return WEFT_FAIL;
  /* The threads proposal's scripts also import a shared memory of the same shape. */
  if (!weft_register_memory(rt, "spectest", "shared_memory", 1, 2, true, true, err)) return WEFT_FAIL;
  return WEFT_OK;
}
