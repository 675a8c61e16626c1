/* cond_timedwait_timeout_and_wakeup.c — pthread_cond_timedwait (the document's relative
 * timeout in microseconds, through the sysroot's pthread.h) returns ETIMEDOUT after the
 * time has passed with nobody signalling, 0 well before a long timeout when signalled, and
 * holds the mutex again on return either way. */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c;
static int waiting, flag;

static void *signaller(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&m);
    int w = waiting;
    pthread_mutex_unlock(&m);
    if (w) break;
    sleep_ms(1);
  }
  sleep_ms(50);
  pthread_mutex_lock(&m);
  flag = 1;
  pthread_cond_signal(&c);
  pthread_mutex_unlock(&m);
  return NULL;
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_cond_init(&c, NULL), 0);

  CHECK_RC(pthread_mutex_lock(&m), 0);
  long long t0 = now_ms();
  int rc = pthread_cond_timedwait(&c, &m, 100000); /* 100 ms */
  long long took = now_ms() - t0;
  printf("no signal: %s, waited at least 100 ms: %s, under 5 s: %s\n", rcname(rc),
         took >= 99 ? "yes" : "no", took < 5000 ? "yes" : "no");
  printf("mutex held after timeout (unlock): %s\n", rcname(pthread_mutex_unlock(&m)));

  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, signaller, NULL), 0);
  CHECK_RC(pthread_mutex_lock(&m), 0);
  waiting = 1;
  t0 = now_ms();
  rc = 0;
  while (!flag && rc == 0) rc = pthread_cond_timedwait(&c, &m, 30u * 1000 * 1000); /* 30 s */
  took = now_ms() - t0;
  printf("signalled: %s, flag %d, well before the timeout: %s\n", rcname(rc), flag,
         took < 10000 ? "yes" : "no");
  printf("mutex held after wakeup (unlock): %s\n", rcname(pthread_mutex_unlock(&m)));
  CHECK_RC(pthread_join(t, NULL), 0);

  /* A zero timeout returns at once. */
  CHECK_RC(pthread_mutex_lock(&m), 0);
  t0 = now_ms();
  rc = pthread_cond_timedwait(&c, &m, 0);
  printf("zero timeout: %s, at once: %s\n", rcname(rc), now_ms() - t0 < 1000 ? "yes" : "no");
  CHECK_RC(pthread_mutex_unlock(&m), 0);
  return 0;
}
