/* test_auxstack.c — the aux-stack guard (issue 5): a global.set of the module's stack
 * pointer (module->aux_stack) traps "wasm auxiliary stack overflow" when the value leaves
 * the instance's slice [aux_lo, aux_lo + aux_span] (rt.h), in both memory modes, with the
 * backtrace at the global.set. The thread manager sets the slice; this test sets it
 * directly on the instance through the src/ headers. */
#include <stdbool.h>
#include "weft.h"
#include "runtime/rt.h"
#include "wtest.h"

/* (module (memory 1) (global (mut i32) (i32.const 1024)) (export "__stack_pointer" ...)
 *   (func "f" (param i32) (result i32) nop local.get 0 global.set 0 global.get 0)
 *   (func "g" (param i32) (result i32) global.get 0 local.get 0 i32.sub global.set 0
 *                                      global.get 0))
 * global.set is at byte 0x48 in f and 0x54 in g. */
static const uint8_t aux_mod[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x00, 0x05, 0x03, 0x01,
  0x00, 0x01, 0x06, 0x07, 0x01, 0x7f, 0x01, 0x41, 0x80, 0x08, 0x0b, 0x07,
  0x1b, 0x03, 0x0f, 0x5f, 0x5f, 0x73, 0x74, 0x61, 0x63, 0x6b, 0x5f, 0x70,
  0x6f, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x03, 0x00, 0x01, 0x66, 0x00, 0x00,
  0x01, 0x67, 0x00, 0x01, 0x0a, 0x17, 0x02, 0x09, 0x00, 0x01, 0x20, 0x00,
  0x24, 0x00, 0x23, 0x00, 0x0b, 0x0b, 0x00, 0x23, 0x00, 0x20, 0x00, 0x6b,
  0x24, 0x00, 0x23, 0x00, 0x0b};

/* Calls export name(arg) on inst; returns the status, the result in *res and the error. */
static weft_status call1(weft_exec *ex, weft_instance *inst, const char *name, uint32_t arg,
                         uint32_t *res, weft_error *err) {
  weft_func *f = weft_instance_func(inst, name);
  if (!f) return WEFT_FAIL;
  weft_slot a = {.i32 = arg}, r = {0};
  weft_status st = weft_call(ex, f, &a, 1, &r, 1, err);
  *res = r.i32;
  return st;
}

static void aux_stack_guard(bool checks) {
  weft_config cfg = {0};
  cfg.bounds_checks = checks;
  weft_error err = {0};
  weft_runtime *rt = weft_runtime_new(&cfg);
  weft_module *m = weft_module_new(rt, aux_mod, sizeof aux_mod, &err);
  CHECK(m != NULL);
  weft_instance *inst = m ? weft_instantiate(rt, m, NULL, &err) : NULL;
  CHECK(inst != NULL);
  if (!inst) { if (m) weft_module_delete(m); weft_runtime_delete(rt); return; }
  weft_exec *ex = weft_exec_new(rt);
  uint32_t r = 0;
  /* unchecked by default: any value goes */
  CHECK_EQ(call1(ex, inst, "f", 0, &r, &err), WEFT_OK);
  CHECK_EQ(r, 0);
  CHECK_EQ(call1(ex, inst, "f", 0xFFFFFFF0u, &r, &err), WEFT_OK);
  /* a slice [512, 1024] */
  inst->aux_lo = 512;
  inst->aux_span = 512;
  CHECK_EQ(call1(ex, inst, "f", 1024, &r, &err), WEFT_OK);
  CHECK_EQ(r, 1024);
  CHECK_EQ(call1(ex, inst, "f", 512, &r, &err), WEFT_OK);   /* the lowest address is fine */
  CHECK_EQ(call1(ex, inst, "f", 511, &r, &err), WEFT_FAIL); /* one below: overflow */
  CHECK_EQ(err.trap, WEFT_TRAP_AUX_STACK_OVERFLOW);
  CHECK_CONTAINS(err.message, "wasm auxiliary stack overflow");
  CHECK_CONTAINS(err.backtrace, "+0x48");
  CHECK_EQ(inst->globals[0]->val.i32, 512);                 /* the write did not happen */
  CHECK_EQ(call1(ex, inst, "f", 1025, &r, &err), WEFT_FAIL); /* above the slice too */
  CHECK_EQ(err.trap, WEFT_TRAP_AUX_STACK_OVERFLOW);
  /* the usual prologue shape: sp = sp - frame */
  CHECK_EQ(call1(ex, inst, "f", 1024, &r, &err), WEFT_OK);
  CHECK_EQ(call1(ex, inst, "g", 500, &r, &err), WEFT_OK);
  CHECK_EQ(r, 524);
  CHECK_EQ(call1(ex, inst, "g", 16, &r, &err), WEFT_FAIL);  /* 508 < 512 */
  CHECK_EQ(err.trap, WEFT_TRAP_AUX_STACK_OVERFLOW);
  CHECK_CONTAINS(err.backtrace, "+0x54");
  CHECK_EQ(inst->globals[0]->val.i32, 524);
  weft_exec_delete(ex);
  weft_instance_delete(inst);
  weft_module_delete(m);
  weft_runtime_delete(rt);
}

void test_auxstack(void) {
  aux_stack_guard(false);
  aux_stack_guard(true);
}
