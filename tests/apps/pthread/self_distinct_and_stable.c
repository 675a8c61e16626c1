/* self_distinct_and_stable.c — pthread_self is non-zero, equals the id pthread_create
 * stored, stays the same across calls and work in a thread, and differs between threads
 * (main included). */
#include "pt.h"

static pthread_t seen[4][2];
static pthread_t created[4];

static void *worker(void *arg) {
  int i = VI(arg);
  seen[i][0] = pthread_self();
  volatile unsigned x = 1;
  for (int k = 0; k < 10000; k++) x = x * 33 + (unsigned)k;
  seen[i][1] = pthread_self();
  return NULL;
}

int main(void) {
  pthread_t me = pthread_self();
  CHECK(me != 0);
  CHECK(me == pthread_self());
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&created[i], NULL, worker, IV(i)), 0);
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_join(created[i], NULL), 0);
  int ok = 1;
  for (int i = 0; i < 4; i++) {
    if (seen[i][0] == 0 || seen[i][0] != seen[i][1] || seen[i][0] != created[i] || seen[i][0] == me) ok = 0;
    for (int j = 0; j < i; j++)
      if (seen[i][0] == seen[j][0]) ok = 0;
  }
  printf("self non-zero, stable, equal to the created id, distinct: %s\n", ok ? "yes" : "no");
  printf("main's self unchanged: %s\n", me == pthread_self() ? "yes" : "no");
  return 0;
}
