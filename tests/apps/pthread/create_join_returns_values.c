/* create_join_returns_values.c — four threads run at once, each gets its own argument and
 * join hands back exactly what its start routine returned; a thread slot is reused for a
 * second round. */
#include "pt.h"

static void *square_plus_one(void *arg) {
  int n = VI(arg);
  return IV(n * n + 1);
}

int main(void) {
  for (int round = 0; round < 2; round++) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&t[i], NULL, square_plus_one, IV(i + 10 * round)), 0);
    for (int i = 0; i < 4; i++) {
      void *ret = IV(12345);
      CHECK_RC(pthread_join(t[i], &ret), 0);
      printf("round %d thread %d returned %d\n", round, i, VI(ret));
    }
  }
  /* A NULL retval pointer is allowed. */
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, square_plus_one, IV(3)), 0);
  CHECK_RC(pthread_join(t, NULL), 0);
  puts("join with NULL retval: ok");
  return 0;
}
