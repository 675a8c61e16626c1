/* test_regressions.c — one test per fixed bug, named for the behaviour it pins down. */
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include "weft.h"
#include "wtest.h"

/* Appends v as unsigned LEB128 to buf at *n. */
static void put_leb(uint8_t *buf, size_t *n, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    buf[(*n)++] = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Regression: br_table targets were re-read from the start for each target, making load
 * time quadratic in the table length (a 27 KB spec module took 0.9 s; fuzzing timed out).
 * A 300,000-target br_table must now validate, translate and run in well under 2 s. */
static void br_table_with_many_targets_loads_in_linear_time(void) {
  const uint32_t targets = 300000;
  uint8_t *body = malloc(targets + 64), *mod = malloc(targets + 128);
  size_t bn = 0, n = 0;
  body[bn++] = 0x00;                          /* no locals */
  body[bn++] = 0x41; body[bn++] = 0x00;       /* i32.const 0 */
  body[bn++] = 0x0E; put_leb(body, &bn, targets);
  memset(body + bn, 0, targets); bn += targets; /* every target: label 0 */
  body[bn++] = 0x00;                          /* default */
  body[bn++] = 0x0B;                          /* end */
  static const uint8_t head[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                                 1, 4, 1, 0x60, 0, 0,        /* type () -> () */
                                 3, 2, 1, 0,                 /* one function of type 0 */
                                 7, 5, 1, 1, 'f', 0, 0};     /* export "f" */
  memcpy(mod, head, sizeof head); n = sizeof head;
  uint8_t tmp[16]; size_t tn = 0;
  put_leb(tmp, &tn, (uint32_t)bn);
  mod[n++] = 10;
  put_leb(mod, &n, (uint32_t)(1 + tn + bn));
  mod[n++] = 1;
  memcpy(mod + n, tmp, tn); n += tn;
  memcpy(mod + n, body, bn); n += bn;

  weft_error err;
  weft_runtime *rt = weft_runtime_new(NULL);
  double t0 = now_s();
  weft_module *m = weft_module_new(rt, mod, n, &err);
  double load_s = now_s() - t0;
  CHECK(m != NULL);
  WT_RECORD(load_s < 2.0, "300k-target br_table loaded in %.2f s (want < 2 s)", load_s);
  if (m) {
    weft_instance *inst = weft_instantiate(rt, m, NULL, &err);
    CHECK(inst != NULL);
    weft_exec *ex = weft_exec_new(rt);
    weft_func *f = inst ? weft_instance_func(inst, "f") : NULL;
    CHECK(f != NULL);
    if (f) CHECK_EQ(weft_call(ex, f, NULL, 0, NULL, 0, &err), WEFT_OK);
    weft_exec_delete(ex);
    if (inst) weft_instance_delete(inst);
    weft_module_delete(m);
  }
  weft_runtime_delete(rt);
  free(body);
  free(mod);
}

/* Runs export "f"(arg) of mod in a fresh runtime (guard pages or explicit checks) and
 * copies the trap's backtrace to bt. Returns the weft_call status. */
static weft_status run_trap(const uint8_t *mod, size_t n, bool checks, uint32_t arg,
                            char *bt, size_t btlen) {
  weft_config cfg = {0};
  cfg.bounds_checks = checks;
  weft_error err = {0};
  weft_runtime *rt = weft_runtime_new(&cfg);
  weft_module *m = weft_module_new(rt, mod, n, &err);
  weft_instance *inst = m ? weft_instantiate(rt, m, NULL, &err) : NULL;
  weft_func *f = inst ? weft_instance_func(inst, "f") : NULL;
  weft_exec *ex = weft_exec_new(rt);
  weft_slot a = {.i32 = arg}, r = {0};
  weft_status st = f ? weft_call(ex, f, &a, 1, &r, 1, &err) : WEFT_OK;
  if (!f) snprintf(bt, btlen, "no function: %.200s", err.message);
  else snprintf(bt, btlen, "%.200s", err.backtrace);
  weft_exec_delete(ex);
  if (inst) weft_instance_delete(inst);
  if (m) weft_module_delete(m);
  weft_runtime_delete(rt);
  return st;
}

/* Regression: in guard-page mode an out-of-bounds load faulted with the frame's ip still
 * at the function entry, so the backtrace named the wrong instruction. The fault handler
 * now recovers the interpreter's ip from the signal context: both memory modes must
 * report the same offset, that of the i32.load (not the leading nops). */
static void guard_page_trap_backtrace_points_at_the_faulting_load(void) {
  static const uint8_t mod[] = {
      0x00, 'a', 's', 'm', 1, 0, 0, 0,
      1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F,           /* type (i32) -> i32 */
      3, 2, 1, 0,                                /* func 0: type 0 */
      5, 3, 1, 0, 1,                             /* memory 1 page */
      7, 5, 1, 1, 'f', 0, 0,                     /* export "f" */
      10, 11, 1, 9, 0,                           /* code: 1 body, 9 bytes, no locals */
      0x01, 0x01,                                /* nop nop */
      0x20, 0x00,                                /* local.get 0 */
      0x28, 0x02, 0x04,                          /* i32.load align=4 offset=4 */
      0x0B};
  char guard[512], checked[512];
  CHECK_EQ(run_trap(mod, sizeof mod, false, 70000, guard, sizeof guard), WEFT_FAIL);
  CHECK_EQ(run_trap(mod, sizeof mod, true, 70000, checked, sizeof checked), WEFT_FAIL);
  WT_RECORD(strcmp(guard, checked) == 0, "guard-mode backtrace \"%s\" != checked \"%s\"",
            guard, checked);
  /* the load opcode is at byte 0x29 of the module */
  WT_RECORD(strstr(checked, "+0x29") != NULL, "backtrace \"%s\" should name offset 0x29",
            checked);
}

void test_regressions(void) {
  br_table_with_many_targets_loads_in_linear_time();
  guard_page_trap_backtrace_points_at_the_faulting_load();
}
