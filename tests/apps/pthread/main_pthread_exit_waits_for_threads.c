/* main_pthread_exit_waits_for_threads.c — main calling pthread_exit does not end the
 * program: the other threads run to completion, then the program exits 0 (POSIX). */
#include "pt.h"

static void *late(void *arg) {
  sleep_ms(VI(arg));
  printf("thread done after %d ms\n", VI(arg));
  return NULL;
}

int main(void) {
  pthread_t a, b;
  CHECK_RC(pthread_create(&a, NULL, late, IV(100)), 0);
  CHECK_RC(pthread_create(&b, NULL, late, IV(300)), 0);
  CHECK_RC(pthread_detach(b), 0);
  puts("main calls pthread_exit");
  pthread_exit(IV(9));
}
