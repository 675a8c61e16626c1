/* main_returns_status_with_threads_running.c — main's non-zero return value is the exit
 * status even while a detached thread still spins. */
#include "pt.h"

static int up;

static void *spinner(void *arg) {
  (void)arg;
  __atomic_store_n(&up, 1, __ATOMIC_SEQ_CST);
  volatile unsigned n = 0;
  for (;;) n++;
  return NULL;
}

int main(void) {
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, spinner, NULL), 0);
  CHECK_RC(pthread_detach(t), 0);
  while (!__atomic_load_n(&up, __ATOMIC_SEQ_CST)) sleep_ms(1);
  puts("main returns 6");
  return 6;
}
