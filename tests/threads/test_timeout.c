/* test_timeout.c — memory.atomic.wait32/wait64 timeouts ("timed-out" = 2 after at least
 * the timeout) and value mismatches ("not-equal" = 1 at once). Slack is generous: the
 * tests run on shared, noisy machines. */
#include <stdio.h>
#include <string.h>
#include "tests.h"

enum { A32 = 64, A64 = 128 };
#define MS 1000000LL
#define SLACK_S 0.150   /* a 10 ms wait must return within this */
#define QUICK_S 0.050   /* "immediately" */

/* Calls func(addr, expected, timeout_ns) on this thread; checks result and duration. */
static void timed_wait(wt_env *e, const char *name, const char *func, int addr,
                       int64_t expected, int64_t timeout, int want, double min_s, double max_s) {
  weft_slot r;
  weft_error err;
  double t0 = wt_now();
  weft_status st = wt_call(e, func, 3, (int64_t[]){addr, expected, timeout}, &r, &err);
  double dt = wt_now() - t0;
  if (st != WEFT_OK) {
    wt_result(name, false, "trapped: %s", err.message);
    return;
  }
  bool ok = (int32_t)r.i32 == want && dt >= min_s && dt < max_s;
  wt_result(name, ok, "returned %d (want %d) after %.1f ms (want %.0f..%.0f ms)",
            (int32_t)r.i32, want, dt * 1e3, min_s * 1e3, max_s * 1e3);
}

void test_timeout(void) {
  wt_env e;
  if (!wt_open(&e, "waitnotify", false)) return;
  uint32_t v32 = 5;
  uint64_t v64 = 0x500000005ull;
  memcpy(e.mem + A32, &v32, 4);
  memcpy(e.mem + A64, &v64, 8);
  timed_wait(&e, "wait32_10ms_times_out_with_2", "wait32", A32, 5, 10 * MS, 2, 0.010, SLACK_S);
  timed_wait(&e, "wait64_10ms_times_out_with_2", "wait64", A64, (int64_t)v64, 10 * MS, 2,
             0.010, SLACK_S);
  timed_wait(&e, "wait32_zero_timeout_returns_2_at_once", "wait32", A32, 5, 0, 2, 0, QUICK_S);
  timed_wait(&e, "wait32_mismatch_returns_1_at_once", "wait32", A32, 6, -1, 1, 0, QUICK_S);
  timed_wait(&e, "wait64_mismatch_returns_1_at_once", "wait64", A64, 5, -1, 1, 0, QUICK_S);
  timed_wait(&e, "wait64_compares_high_half", "wait64", A64, 0x600000005LL, 10 * MS, 1, 0, QUICK_S);
  /* A notify that wakes no one does not end a timed wait early: run the wait on a thread
   * and notify another address meanwhile. */
  wt_job j;
  if (wt_job_init(&j, &e, "wait32", 3, (int64_t[]){A32, 5, 30 * MS}) && wt_start(&j)) {
    wt_sleep_ms(5);
    weft_slot r;
    weft_error err;
    weft_status st = wt_call(&e, "notify", 2, (int64_t[]){A64, -1}, &r, &err);
    bool in_time = wt_join(&j, 5.0);
    bool ok = in_time && st == WEFT_OK && j.st == WEFT_OK && j.res.i32 == 2 && j.secs >= 0.030;
    wt_result("timed_wait_ignores_notify_on_other_address", ok,
              "returned %d after %.1f ms (want 2 after >= 30 ms)", (int32_t)j.res.i32, j.secs * 1e3);
  }
  wt_close(&e);
}
