/* thread_limit.h — the body of the thread-limit tests (included with LIMIT defined):
 * LIMIT threads can be alive at once; creating one more returns EAGAIN while the others
 * keep running (they make progress after the failed create); once they are joined, LIMIT
 * new threads fit again. */
#include "pt.h"

static int release;
static int progress[LIMIT];

static void *busy(void *arg) {
  int i = VI(arg);
  while (!__atomic_load_n(&release, __ATOMIC_SEQ_CST)) {
    __atomic_add_fetch(&progress[i], 1, __ATOMIC_SEQ_CST);
    sleep_ms(1);
  }
  return IV(i + 1);
}

static void *quick(void *arg) { return arg; }

int main(void) {
  pthread_t t[LIMIT], extra;
  for (int i = 0; i < LIMIT; i++) CHECK_RC(pthread_create(&t[i], NULL, busy, IV(i)), 0);
  printf("%d threads created\n", LIMIT);
  printf("thread %d: %s\n", LIMIT + 1, rcname(pthread_create(&extra, NULL, quick, NULL)));
  printf("again: %s\n", rcname(pthread_create(&extra, NULL, quick, NULL)));
  int before[LIMIT];
  for (int i = 0; i < LIMIT; i++) before[i] = __atomic_load_n(&progress[i], __ATOMIC_SEQ_CST);
  int all_moved = 0;
  long long t0 = now_ms();
  while (!all_moved && now_ms() - t0 < 10000) {
    sleep_ms(5);
    all_moved = 1;
    for (int i = 0; i < LIMIT; i++)
      if (__atomic_load_n(&progress[i], __ATOMIC_SEQ_CST) == before[i]) all_moved = 0;
  }
  printf("the %d threads still run after the failure: %s\n", LIMIT, all_moved ? "yes" : "no");
  __atomic_store_n(&release, 1, __ATOMIC_SEQ_CST);
  int sum = 0;
  for (int i = 0; i < LIMIT; i++) {
    void *r;
    CHECK_RC(pthread_join(t[i], &r), 0);
    sum += VI(r);
  }
  printf("joined, return values sum to %d\n", sum);
  for (int i = 0; i < LIMIT; i++) CHECK_RC(pthread_create(&t[i], NULL, quick, IV(i)), 0);
  for (int i = 0; i < LIMIT; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  printf("%d new threads after the join: ok\n", LIMIT);
  return 0;
}
