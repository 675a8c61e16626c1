/* test_traps.c — the threads proposal's traps: wait on an unshared memory ("expected
 * shared memory"; notify there just returns 0) and unaligned atomic accesses
 * ("unaligned atomic"), including wait and notify at unaligned addresses. */
#include <stdio.h>
#include <string.h>
#include "tests.h"

static void expect_trap(wt_env *e, const char *name, const char *func, uint32_t nargs,
                        const int64_t *args, weft_trap want) {
  weft_slot r;
  weft_error err;
  weft_status st = wt_call(e, func, nargs, args, &r, &err);
  bool ok = st == WEFT_FAIL && err.kind == WEFT_ERR_TRAP && err.trap == want &&
            strcmp(err.message, weft_trap_message(want)) == 0;
  wt_result(name, ok, "%s", st == WEFT_OK ? "returned normally" : err.message);
}

void test_traps(void) {
  wt_env e;
  if (wt_open(&e, "unshared", false)) {
    expect_trap(&e, "wait32_on_unshared_memory_traps", "wait32", 3, (int64_t[]){0, 0, 0},
                WEFT_TRAP_EXPECTED_SHARED);
    expect_trap(&e, "wait64_on_unshared_memory_traps", "wait64", 3, (int64_t[]){8, 0, -1},
                WEFT_TRAP_EXPECTED_SHARED);
    weft_slot r;
    weft_error err;
    weft_status st = wt_call(&e, "notify", 2, (int64_t[]){0, -1}, &r, &err);
    wt_result("notify_on_unshared_memory_returns_0", st == WEFT_OK && r.i32 == 0, "%s",
              st == WEFT_OK ? "" : err.message);
    wt_close(&e);
  }
  if (wt_open(&e, "atomics", false)) {
    expect_trap(&e, "unaligned_i32_rmw_traps", "rmw_at", 1, (int64_t[]){66}, WEFT_TRAP_UNALIGNED_ATOMIC);
    expect_trap(&e, "unaligned_i64_atomic_load_traps", "load64_at", 1, (int64_t[]){68},
                WEFT_TRAP_UNALIGNED_ATOMIC);
    expect_trap(&e, "unaligned_wait32_traps", "wait_at", 1, (int64_t[]){2}, WEFT_TRAP_UNALIGNED_ATOMIC);
    expect_trap(&e, "unaligned_notify_traps", "notify_at", 1, (int64_t[]){1}, WEFT_TRAP_UNALIGNED_ATOMIC);
    wt_close(&e);
  }
}
