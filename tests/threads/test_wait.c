/* test_wait.c — memory.atomic.wait32/notify between threads: a 100,000-round ping-pong,
 * and notify's counts with k waiters parked on one address (and one on another). */
#include <stdio.h>
#include <string.h>
#include "tests.h"

enum { A_PING = 64, A_PONG = 128, A_Q = 256, A_OTHER = 320, A_NOBODY = 384, A_ARRIVED = 448 };
#define KWAIT 6

static void wr32(wt_env *e, int a, uint32_t v) { memcpy(e->mem + a, &v, 4); }

static void pingpong(wt_env *e) {
  char why[256] = "";
  int64_t n = 100000 / wt_div;
  wr32(e, A_PING, 1);   /* the first side starts */
  wr32(e, A_PONG, 0);
  wt_job j[2];
  if (!wt_job_init(&j[0], e, "pingpong", 3, (int64_t[]){A_PING, A_PONG, n}) ||
      !wt_job_init(&j[1], e, "pingpong", 3, (int64_t[]){A_PONG, A_PING, n}))
    return;
  double t0 = wt_now();
  bool ok = wt_run(j, 2, 60.0);
  double dt = wt_now() - t0;
  if (!ok) snprintf(why, sizeof why, "no progress: stopped after 60 s");
  for (int i = 0; i < 2 && ok; i++) ok = wt_job_ok(&j[i], why, sizeof why);
  if (ok)
    snprintf(why, sizeof why, "%lld round trips in %.2f s (%.0f/s), %u+%u wake-ups",
             (long long)n, dt, (double)n / dt, j[0].res.i32, j[1].res.i32);
  wt_result("wait_notify_pingpong_100000_round_trips", ok, "%s", why);
}

static int notify(wt_env *e, int addr, int64_t count, char *why, size_t len) {
  weft_slot r;
  weft_error err;
  if (wt_call(e, "notify", 2, (int64_t[]){addr, count}, &r, &err) != WEFT_OK) {
    snprintf(why, len, "notify trapped: %.200s", err.message);
    return -1;
  }
  return (int32_t)r.i32;
}

static int count_done(wt_job *j, int n) {
  int d = 0;
  for (int i = 0; i < n; i++) d += atomic_load_explicit(&j[i].done, memory_order_acquire);
  return d;
}

/* Waits (up to 5 s) until `want` of the jobs have returned; then gives stragglers 20 ms. */
static int settle(wt_job *j, int n, int want) {
  double end = wt_now() + 5.0;
  while (count_done(j, n) < want && wt_now() < end) wt_sleep_ms(1);
  wt_sleep_ms(20);
  return count_done(j, n);
}

/* Checks notify(addr, count) returned `want` and that exactly `done_want` of the k
 * waiters have returned afterwards. */
static void expect_notify(wt_env *e, const char *name, int addr, int64_t count, int want,
                          wt_job *w, int k, int done_want) {
  char why[256] = "";
  int got = notify(e, addr, count, why, sizeof why);
  int done = got >= 0 ? settle(w, k, done_want) : -1;
  bool ok = got == want && done == done_want;
  if (got >= 0 && !ok)
    snprintf(why, sizeof why, "returned %d (want %d); %d of %d waiters returned (want %d)",
             got, want, done, k, done_want);
  wt_result(name, ok, "%s", why);
}

static void notify_counts(wt_env *e) {
  wr32(e, A_Q, 0);
  wr32(e, A_OTHER, 0);
  wr32(e, A_ARRIVED, 0);
  wt_job w[KWAIT + 1];   /* KWAIT waiters on A_Q, the last one on A_OTHER */
  for (int i = 0; i <= KWAIT; i++)
    if (!wt_job_init(&w[i], e, "waiter", 2, (int64_t[]){i < KWAIT ? A_Q : A_OTHER, A_ARRIVED}))
      return;
  for (int i = 0; i <= KWAIT; i++) wt_start(&w[i]);
  /* All announced themselves; give the last ones time to actually park. */
  double end = wt_now() + 5.0;
  uint32_t arrived = 0;
  while (wt_now() < end) {
    arrived = __atomic_load_n((uint32_t *)(e->mem + A_ARRIVED), __ATOMIC_SEQ_CST);
    if (arrived == KWAIT + 1) break;
    wt_sleep_ms(1);
  }
  wt_sleep_ms(100);
  int early = count_done(w, KWAIT + 1);
  wt_result("wait_blocks_until_notified", arrived == KWAIT + 1 && early == 0,
            "%u waiters arrived, %d returned before any notify", arrived, early);

  expect_notify(e, "notify_with_no_waiters_returns_0", A_NOBODY, -1, 0, w, KWAIT, 0);
  expect_notify(e, "notify_count_1_wakes_exactly_1", A_Q, 1, 1, w, KWAIT, 1);
  expect_notify(e, "notify_count_2_wakes_exactly_2", A_Q, 2, 2, w, KWAIT, 3);
  expect_notify(e, "notify_all_wakes_the_rest", A_Q, -1, KWAIT - 3, w, KWAIT, KWAIT);
  expect_notify(e, "notify_after_all_woken_returns_0", A_Q, -1, 0, w, KWAIT, KWAIT);

  char why[256] = "";
  bool other_blocked = !atomic_load_explicit(&w[KWAIT].done, memory_order_acquire);
  int got = notify(e, A_OTHER, 1, why, sizeof why);
  wt_result("waiter_on_other_address_not_woken", other_blocked && got == 1,
            "still blocked: %s; its own notify returned %d", other_blocked ? "yes" : "no", got);

  bool ok = true;
  for (int i = 0; i <= KWAIT; i++) ok &= wt_join(&w[i], 5.0);
  int bad = 0;
  for (int i = 0; i <= KWAIT; i++) bad += w[i].st != WEFT_OK || w[i].res.i32 != 0;
  wt_result("notified_waits_return_0_ok", ok && bad == 0, "%d of %d waits did not return 0%s",
            bad, KWAIT + 1, ok ? "" : " (some had to be stopped)");
}

void test_wait(void) {
  wt_env e;
  if (!wt_open(&e, "waitnotify", false)) return;
  pingpong(&e);
  notify_counts(&e);
  wt_close(&e);
}
