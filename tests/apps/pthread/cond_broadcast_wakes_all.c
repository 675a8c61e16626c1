/* cond_broadcast_wakes_all.c — four threads wait on one condition variable; a single
 * pthread_cond_broadcast wakes all four (each returns from its one cond_wait). A zero-
 * initialised static cond works without pthread_cond_init. */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c; /* static zero, never initialised */
static int waiting, woken, released;

static void *waiter(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  waiting++;
  while (!released) pthread_cond_wait(&c, &m);
  woken++;
  pthread_mutex_unlock(&m);
  return NULL;
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&t[i], NULL, waiter, NULL), 0);
  for (;;) {
    pthread_mutex_lock(&m);
    int w = waiting;
    pthread_mutex_unlock(&m);
    if (w == 4) break;
    sleep_ms(1);
  }
  sleep_ms(20);
  pthread_mutex_lock(&m);
  released = 1;
  CHECK_RC(pthread_cond_broadcast(&c), 0);
  pthread_mutex_unlock(&m);
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  printf("waiters woken by one broadcast: %d\n", woken);
  /* Signal and broadcast with nobody waiting are no-ops that succeed. */
  CHECK_RC(pthread_cond_signal(&c), 0);
  CHECK_RC(pthread_cond_broadcast(&c), 0);
  puts("signal/broadcast with no waiters: 0");
  return 0;
}
