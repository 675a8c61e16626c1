/* mutex_4x100000_increments_exact.c — 4 threads each add 1 to plain (non-atomic) counters
 * 100,000 times under a mutex: the totals are exact. One counter is guarded by a mutex
 * from pthread_mutex_init, one by a zero-initialised static mutex that was never
 * initialised (it must work without _init). */
#include "pt.h"

#define THREADS 4
#define ROUNDS 100000

static pthread_mutex_t inited;
static pthread_mutex_t zeroed; /* static storage: all zero bits, no _init */
static volatile unsigned counter_a, counter_b;

static void *adder(void *arg) {
  (void)arg;
  for (int i = 0; i < ROUNDS; i++) {
    pthread_mutex_lock(&inited);
    counter_a = counter_a + 1;
    pthread_mutex_unlock(&inited);
    pthread_mutex_lock(&zeroed);
    counter_b = counter_b + 1;
    pthread_mutex_unlock(&zeroed);
  }
  return NULL;
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&inited, NULL), 0);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) CHECK_RC(pthread_create(&t[i], NULL, adder, NULL), 0);
  for (int i = 0; i < THREADS; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  printf("initialised mutex: %u\n", counter_a);
  printf("static zero mutex: %u\n", counter_b);
  CHECK_RC(pthread_mutex_destroy(&inited), 0);
  CHECK_RC(pthread_mutex_destroy(&zeroed), 0);
  return 0;
}
