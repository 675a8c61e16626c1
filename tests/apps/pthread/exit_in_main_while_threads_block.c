/* exit_in_main_while_threads_block.c — exit(4) in main ends the program with status 4,
 * promptly, while threads are blocked in mutex_lock (on a mutex main holds), in join and
 * in cond_timedwait with a long timeout. */
#include "pt.h"

static pthread_mutex_t held, m;
static pthread_cond_t c;
static pthread_t first;
static int up;

static void *lock_blocked(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  pthread_mutex_lock(&held);
  return NULL;
}

static void *join_blocked(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  pthread_join(first, NULL);
  return NULL;
}

static void *timed_blocked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) pthread_cond_timedwait(&c, &m, 100u * 1000 * 1000);
  return NULL;
}

int main(void) {
  CHECK_RC(pthread_mutex_lock(&held), 0);
  pthread_t t[2];
  CHECK_RC(pthread_create(&first, NULL, lock_blocked, NULL), 0);
  CHECK_RC(pthread_create(&t[0], NULL, join_blocked, NULL), 0);
  CHECK_RC(pthread_create(&t[1], NULL, timed_blocked, NULL), 0);
  while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 3) sleep_ms(1);
  sleep_ms(50);
  puts("main calls exit(4)");
  exit(4);
}
