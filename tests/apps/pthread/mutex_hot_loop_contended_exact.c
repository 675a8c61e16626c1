/* mutex_hot_loop_contended_exact.c — threads in a tight loop of lock; count++; unlock on one
 * mutex (the bench's pt_counter pattern: the unlocker re-takes the mutex within nanoseconds,
 * so a contended lock sleeps at once and the unlocker wakes it, then may take the mutex
 * again before the woken thread does). The totals are exact for 2 x 500,000 and for
 * 4 x 100,000 increments, and the mutex's error checks still hold afterwards: a lock that
 * was reached through sleeping relocks as EDEADLK, an unlock by another thread is EPERM,
 * destroy while held is EBUSY. */
#include "pt.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned count;
static int rounds;
static int errs;

static void *adder(void *arg) {
  (void)arg;
  for (int i = 0; i < rounds; i++) {
    if (pthread_mutex_lock(&lock) != 0) __atomic_add_fetch(&errs, 1, __ATOMIC_RELAXED);
    count = count + 1;
    if (pthread_mutex_unlock(&lock) != 0) __atomic_add_fetch(&errs, 1, __ATOMIC_RELAXED);
  }
  return NULL;
}

static void run(int threads, int n) {
  pthread_t t[4];
  count = 0;
  rounds = n;
  for (int i = 0; i < threads; i++) CHECK_RC(pthread_create(&t[i], NULL, adder, NULL), 0);
  for (int i = 0; i < threads; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  printf("%d x %d locked increments: %u, errors: %d\n", threads, n, count, errs);
}

static void *unlock_foreign(void *arg) {
  (void)arg;
  return (void *)(intptr_t)pthread_mutex_unlock(&lock);
}

int main(void) {
  run(2, 500000);
  run(4, 100000);
  CHECK_RC(pthread_mutex_lock(&lock), 0);
  CHECK_RC(pthread_mutex_lock(&lock), EDEADLK);
  pthread_t t;
  void *ret = NULL;
  CHECK_RC(pthread_create(&t, NULL, unlock_foreign, NULL), 0);
  CHECK_RC(pthread_join(t, &ret), 0);
  printf("foreign unlock of the held mutex: %s\n", rcname((int)(intptr_t)ret));
  CHECK_RC(pthread_mutex_destroy(&lock), EBUSY);
  CHECK_RC(pthread_mutex_unlock(&lock), 0);
  CHECK_RC(pthread_mutex_unlock(&lock), EPERM);
  CHECK_RC(pthread_mutex_destroy(&lock), 0);
  puts("done");
  return 0;
}
