/* test_heap.c — libc-builtin's malloc/realloc/free on the app heap from 4 and 8 host
 * threads at once: every thread's blocks keep their own fill byte through growing and
 * shrinking reallocs (a block handed to two threads, or moved without its contents,
 * shows up as a wrong byte). */
#include <stdio.h>
#include "tests.h"

static void churn(wt_env *e, int t) {
  char name[64], why[256] = "";
  snprintf(name, sizeof name, "realloc_from_%d_threads_keeps_every_block_private", t);
  int64_t n = 5000 / wt_div;
  wt_job jobs[8];
  bool ok = true;
  for (int i = 0; i < t && ok; i++)
    ok = wt_job_init(&jobs[i], e, "churn", 2, (int64_t[]){0x11 * (i + 1), n});
  if (!ok) return;
  double t0 = wt_now();
  if (!wt_run(jobs, t, 120.0)) {
    ok = false;
    snprintf(why, sizeof why, "overran 120 s");
  }
  for (int i = 0; i < t && ok; i++) {
    ok = wt_job_ok(&jobs[i], why, sizeof why);
    if (ok && jobs[i].res.i32 != 0) {
      ok = false;
      snprintf(why, sizeof why, "thread %d: %s in round %d", i,
               (int32_t)jobs[i].res.i32 == -1 ? "allocation failed" : "block corrupted",
               (int32_t)jobs[i].res.i32 - 1);
    }
  }
  if (ok) snprintf(why, sizeof why, "%d x %lld rounds, %.2f s", t, (long long)n, wt_now() - t0);
  wt_result(name, ok, "%s", why);
}

void test_heap(void) {
  wt_env e;
  if (!wt_open_heap(&e, "heap", false, 4u << 20)) return;
  churn(&e, 4);
  churn(&e, 8);
  wt_close(&e);
}
