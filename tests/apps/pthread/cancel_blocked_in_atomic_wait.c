/* cancel_blocked_in_atomic_wait.c — a thread blocked in memory.atomic.wait32 with no
 * timeout, and one blocked in pthread_join on a thread that never ends, are woken by
 * pthread_cancel; join returns PTHREAD_CANCELED. */
#include "pt.h"

static int cell;
static int started;
static pthread_t forever;

static void *wait_cell(void *arg) {
  (void)arg;
  __atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
  for (;;) __builtin_wasm_memory_atomic_wait32(&cell, 0, -1);
  return IV(1);
}

static void *join_forever(void *arg) {
  (void)arg;
  __atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
  pthread_join(forever, NULL);
  return IV(1);
}

static void cancel_one(const char *what, void *(*fn)(void *)) {
  pthread_t t;
  __atomic_store_n(&started, 0, __ATOMIC_SEQ_CST);
  CHECK_RC(pthread_create(&t, NULL, fn, NULL), 0);
  while (!__atomic_load_n(&started, __ATOMIC_SEQ_CST)) sleep_ms(1);
  sleep_ms(50);
  long long t0 = now_ms();
  CHECK_RC(pthread_cancel(t), 0);
  void *ret = NULL;
  CHECK_RC(pthread_join(t, &ret), 0);
  printf("%s: join got PTHREAD_CANCELED: %s, within 5 s: %s\n", what,
         ret == PTHREAD_CANCELED ? "yes" : "no", now_ms() - t0 < 5000 ? "yes" : "no");
}

int main(void) {
  cancel_one("atomic wait", wait_cell);
  CHECK_RC(pthread_create(&forever, NULL, wait_cell, NULL), 0);
  cancel_one("join", join_forever);
  CHECK_RC(pthread_cancel(forever), 0);
  void *ret = NULL;
  CHECK_RC(pthread_join(forever, &ret), 0);
  printf("the joined-on thread: PTHREAD_CANCELED: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no");
  return 0;
}
