/* cancel_sleep_join_canceled.c — pthread_cancel of a thread in sleep(100), usleep(100 s)
 * or nanosleep(100 s) wakes it at once: join returns PTHREAD_CANCELED within a second, and
 * nanosleep's *rem (shared memory) holds the time that was left. */
#include <unistd.h>
#include "pt.h"

static int started;
static struct timespec rem;

static void *in_sleep(void *arg) {
  (void)arg;
  __atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
  sleep(100);
  return IV(1);
}

static void *in_usleep(void *arg) {
  (void)arg;
  __atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
  usleep(100000000u);
  return IV(1);
}

static void *in_nanosleep(void *arg) {
  (void)arg;
  struct timespec req = {100, 0};
  __atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
  nanosleep(&req, &rem);
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
  long long ms = now_ms() - t0;
  printf("%s: join got PTHREAD_CANCELED: %s, within 1 s: %s\n", what,
         ret == PTHREAD_CANCELED ? "yes" : "no", ms < 1000 ? "yes" : "no");
  printf("info: %s cancelled in %lld ms\n", what, ms);
}

int main(void) {
  cancel_one("sleep(100)", in_sleep);
  cancel_one("usleep(100000000)", in_usleep);
  rem.tv_sec = rem.tv_nsec = -1;
  cancel_one("nanosleep(100 s)", in_nanosleep);
  printf("nanosleep's rem: between 90 and 100 s: %s, nsec in range: %s\n",
         rem.tv_sec >= 90 && rem.tv_sec < 100 ? "yes" : "no",
         rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000 ? "yes" : "no");
  return 0;
}
