/* cond_timedwait_64bit_import.c — pthread_cond_timedwait imported with a 64-bit
 * microsecond count, (**I)i, as later pthread.h versions declare it (this file declares
 * the functions itself instead of including pthread.h): a timeout above 2^32 us does not
 * wrap to a short wait, a short one times out with ETIMEDOUT, a signal still wakes it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

typedef unsigned int pthread_t, pthread_mutex_t, pthread_cond_t;
int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);
int pthread_join(pthread_t, void **);
int pthread_mutex_init(pthread_mutex_t *, const void *);
int pthread_mutex_lock(pthread_mutex_t *);
int pthread_mutex_unlock(pthread_mutex_t *);
int pthread_cond_init(pthread_cond_t *, const void *);
int pthread_cond_signal(pthread_cond_t *);
int pthread_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, uint64_t useconds);

static pthread_mutex_t m;
static pthread_cond_t c;
static int flag;
static int cell;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *signaller(void *arg) {
  (void)arg;
  __builtin_wasm_memory_atomic_wait32(&cell, 0, 300LL * 1000000); /* 300 ms */
  pthread_mutex_lock(&m);
  flag = 1;
  pthread_cond_signal(&c);
  pthread_mutex_unlock(&m);
  return NULL;
}

int main(void) {
  pthread_mutex_init(&m, NULL);
  pthread_cond_init(&c, NULL);
  pthread_mutex_lock(&m);
  long long t0 = now_ms();
  int rc = pthread_cond_timedwait(&c, &m, 50000);
  printf("50 ms timeout: %s, waited at least 50 ms: %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : "other",
         now_ms() - t0 >= 49 ? "yes" : "no");
  pthread_t t;
  pthread_create(&t, NULL, signaller, NULL);
  t0 = now_ms();
  rc = 0;
  /* 2^32 + 1000 us: truncated to 32 bits it would be a 1 ms wait. */
  while (!flag && rc == 0) rc = pthread_cond_timedwait(&c, &m, (UINT64_C(1) << 32) + 1000);
  long long took = now_ms() - t0;
  printf("2^32+1000 us timeout, signalled after ~300 ms: rc %d flag %d, waited over 200 ms: %s\n",
         rc, flag, took >= 200 ? "yes" : "no");
  pthread_mutex_unlock(&m);
  pthread_join(t, NULL);
  return 0;
}
