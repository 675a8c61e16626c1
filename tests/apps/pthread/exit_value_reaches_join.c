/* exit_value_reaches_join.c — pthread_exit from a nested call ends the thread at once (the
 * code after it never runs) and join returns its value, also for NULL and for (void *)-2. */
#include "pt.h"

static volatile int after_exit;

__attribute__((noinline)) static void leave(int v) {
  pthread_exit(IV(v));
}

static void *worker(void *arg) {
  leave(VI(arg));
  after_exit = 1;
  return IV(777);
}

int main(void) {
  int values[3] = {42, 0, -2};
  for (int i = 0; i < 3; i++) {
    pthread_t t;
    void *ret = IV(12345);
    CHECK_RC(pthread_create(&t, NULL, worker, IV(values[i])), 0);
    CHECK_RC(pthread_join(t, &ret), 0);
    printf("pthread_exit(%d) -> join got %d\n", values[i], VI(ret));
  }
  printf("code after pthread_exit ran: %s\n", after_exit ? "yes" : "no");
  return 0;
}
