/* test_lock.c — a spinlock built on i32.atomic.rmw.cmpxchg protects a plain i32 counter:
 * with 2, 4 and 8 threads the total must be exact (the lock's acquire/release order the
 * non-atomic loads and stores). */
#include <stdio.h>
#include <string.h>
#include "tests.h"

enum { A_LOCK = 1024, A_COUNTER = 1088 };

static void locked(wt_env *e, int t) {
  char name[64], why[256] = "";
  snprintf(name, sizeof name, "spinlock_guards_plain_counter_%d_threads", t);
  int64_t n = (t == 8 ? 40000 : 100000) / wt_div;
  memset(e->mem + A_LOCK, 0, 4);
  memset(e->mem + A_COUNTER, 0, 4);
  wt_job jobs[8];
  bool ok = true;
  for (int i = 0; i < t && ok; i++)
    ok = wt_job_init(&jobs[i], e, "locked_inc", 3, (int64_t[]){A_LOCK, A_COUNTER, n});
  if (!ok) return;
  double t0 = wt_now();
  if (!wt_run(jobs, t, 120.0)) {
    ok = false;
    snprintf(why, sizeof why, "overran 120 s");
  }
  for (int i = 0; i < t && ok; i++) ok = wt_job_ok(&jobs[i], why, sizeof why);
  uint32_t got, lock;
  memcpy(&got, e->mem + A_COUNTER, 4);
  memcpy(&lock, e->mem + A_LOCK, 4);
  if (ok && (got != (uint32_t)(t * n) || lock != 0)) {
    ok = false;
    snprintf(why, sizeof why, "counter %u, want %u; lock word %u", got, (unsigned)(t * n), lock);
  }
  if (ok) snprintf(why, sizeof why, "%d x %lld, %.2f s", t, (long long)n, wt_now() - t0);
  wt_result(name, ok, "%s", why);
}

void test_lock(void) {
  wt_env e;
  if (!wt_open(&e, "atomics", false)) return;
  locked(&e, 2);
  locked(&e, 4);
  locked(&e, 8);
  wt_close(&e);
}
