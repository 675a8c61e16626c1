/* cancel_busy_loop_join_canceled.c — pthread_cancel stops a thread spinning in a loop with
 * no calls (the loop's back edge is a checkpoint); join returns PTHREAD_CANCELED, quickly.
 * Cancelling a thread that already finished is not an error for a joinable thread. */
#include "pt.h"

/* Shared with main: accessed atomically (plain accesses from two threads are a data race
 * in C, and ThreadSanitizer reports them in the interpreter). */
static unsigned spins;

static void *spin(void *arg) {
  (void)arg;
  for (;;) __atomic_fetch_add(&spins, 1, __ATOMIC_RELAXED);
  return IV(1);
}

static void *quick(void *arg) { return arg; }

int main(void) {
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, spin, NULL), 0);
  long long t0 = now_ms();
  while (__atomic_load_n(&spins, __ATOMIC_RELAXED) < 1000 && now_ms() - t0 < 10000) sleep_ms(1);
  printf("spinning: %s\n", __atomic_load_n(&spins, __ATOMIC_RELAXED) >= 1000 ? "yes" : "no");
  CHECK_RC(pthread_cancel(t), 0);
  void *ret = NULL;
  CHECK_RC(pthread_join(t, &ret), 0);
  long long took = now_ms() - t0;
  printf("join after cancel returned PTHREAD_CANCELED: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no");
  printf("stopped within 5 s: %s\n", took < 5000 ? "yes" : "no");
  unsigned after = __atomic_load_n(&spins, __ATOMIC_RELAXED);
  sleep_ms(20);
  printf("no spinning after join: %s\n", __atomic_load_n(&spins, __ATOMIC_RELAXED) == after ? "yes" : "no");

  /* A thread that returned normally before the cancel keeps its own value. */
  CHECK_RC(pthread_create(&t, NULL, quick, IV(5)), 0);
  sleep_ms(50);
  int rc = pthread_cancel(t);
  CHECK_RC(pthread_join(t, &ret), 0);
  printf("cancel after it finished: %s, join got %d\n", rcname(rc), VI(ret));
  return 0;
}
