/* cancel_blocked_in_cond_wait.c — a thread blocked in pthread_cond_wait (nobody will ever
 * signal) is woken by pthread_cancel and ends; join returns PTHREAD_CANCELED. Also for a
 * thread blocked in cond_timedwait with a long timeout, and in mutex_lock on a mutex main
 * holds. */
#include "pt.h"

static pthread_mutex_t m, held;
static pthread_cond_t c;
static int waiting;

static void *wait_forever(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  waiting++;
  for (;;) pthread_cond_wait(&c, &m);
  return IV(1);
}

static void *wait_long(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  waiting++;
  for (;;) pthread_cond_timedwait(&c, &m, 60u * 1000 * 1000);
  return IV(1);
}

static void *lock_held(void *arg) {
  (void)arg;
  __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
  pthread_mutex_lock(&held);
  return IV(1);
}

static void cancel_one(const char *what, void *(*fn)(void *), int locks_m) {
  pthread_t t;
  waiting = 0;
  CHECK_RC(pthread_create(&t, NULL, fn, NULL), 0);
  for (;;) { /* until it is (about to be) blocked */
    int w;
    if (locks_m) {
      pthread_mutex_lock(&m);
      w = waiting;
      pthread_mutex_unlock(&m);
    } else {
      w = __atomic_load_n(&waiting, __ATOMIC_SEQ_CST);
    }
    if (w) break;
    sleep_ms(1);
  }
  sleep_ms(50);
  long long t0 = now_ms();
  CHECK_RC(pthread_cancel(t), 0);
  void *ret = NULL;
  CHECK_RC(pthread_join(t, &ret), 0);
  printf("%s: cancelled, join got PTHREAD_CANCELED: %s, within 5 s: %s\n", what,
         ret == PTHREAD_CANCELED ? "yes" : "no", now_ms() - t0 < 5000 ? "yes" : "no");
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_mutex_init(&held, NULL), 0);
  CHECK_RC(pthread_cond_init(&c, NULL), 0);
  cancel_one("cond_wait", wait_forever, 1);
  /* POSIX re-acquires the mutex before a cancelled cond_wait unwinds, and with no cleanup
   * handlers the dead thread would own it: use a fresh mutex from here on. */
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  cancel_one("cond_timedwait", wait_long, 1);
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_mutex_lock(&held), 0);
  cancel_one("mutex_lock", lock_held, 0);
  CHECK_RC(pthread_mutex_unlock(&held), 0);
  return 0;
}
