/* cond_signal_wakes_one.c — three threads each call pthread_cond_wait once; one
 * pthread_cond_signal lets exactly one of them return, a second signal one more, and a
 * broadcast the last. */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c;
static int waiting, woken;

static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  waiting++;
  pthread_cond_wait(&c, &m); /* once, no predicate loop: counts real wake-ups */
  woken++;
  pthread_mutex_unlock(&m);
  return NULL;
}

static int woken_now(void) {
  pthread_mutex_lock(&m);
  int w = woken;
  pthread_mutex_unlock(&m);
  return w;
}

/* Waits (up to 10 s, for slow sanitizer builds) until n waiters have returned, then 100 ms
 * more so that any extra wake-up would show; returns the count. */
static int settle(int n) {
  long long t0 = now_ms();
  while (woken_now() < n && now_ms() - t0 < 10000) sleep_ms(1);
  sleep_ms(100);
  return woken_now();
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_cond_init(&c, NULL), 0);
  pthread_t t[3];
  for (int i = 0; i < 3; i++) CHECK_RC(pthread_create(&t[i], NULL, waiter, NULL), 0);
  for (;;) {
    pthread_mutex_lock(&m);
    int w = waiting;
    pthread_mutex_unlock(&m);
    if (w == 3) break;
    sleep_ms(1);
  }
  sleep_ms(20);
  printf("before any signal: %d woken\n", woken_now());
  CHECK_RC(pthread_cond_signal(&c), 0);
  printf("after one signal: %d woken\n", settle(1));
  CHECK_RC(pthread_cond_signal(&c), 0);
  printf("after two signals: %d woken\n", settle(2));
  CHECK_RC(pthread_cond_broadcast(&c), 0);
  for (int i = 0; i < 3; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  printf("after broadcast: %d woken\n", woken_now());
  return 0;
}
