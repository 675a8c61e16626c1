/* exit_while_sleeping_main_returns_0.c — main returning while detached threads are in
 * sleep(100), usleep(100 s) and nanosleep(100 s) ends the program promptly with status 0. */
#include <unistd.h>
#include "pt.h"

static int up;

static void *sleeper(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  switch (VI(arg)) {
  case 0: sleep(100); break;
  case 1: usleep(100000000u); break;
  default: {
    struct timespec req = {100, 0};
    nanosleep(&req, NULL);
  }
  }
  puts("not reached: a sleep returned");
  return NULL;
}

int main(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; i++) {
    CHECK_RC(pthread_create(&t[i], NULL, sleeper, IV(i)), 0);
    CHECK_RC(pthread_detach(t[i]), 0);
  }
  while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 3) sleep_ms(1);
  usleep(50000);
  puts("main returns 0");
  return 0;
}
