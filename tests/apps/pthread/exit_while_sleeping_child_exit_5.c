/* exit_while_sleeping_child_exit_5.c — exit(5) in a thread while another thread is in
 * sleep(100) (and a third in nanosleep(100 s), main in usleep(100 s)) ends the whole
 * program promptly with status 5. */
#include <unistd.h>
#include "pt.h"

static int up;

static void *sleeper(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  sleep(100);
  puts("not reached: sleep returned");
  return NULL;
}

static void *nanosleeper(void *arg) {
  (void)arg;
  struct timespec req = {100, 0};
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  nanosleep(&req, NULL);
  puts("not reached: nanosleep returned");
  return NULL;
}

static void *exiter(void *arg) {
  (void)arg;
  while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 2) sleep_ms(1);
  usleep(50000);
  puts("thread calls exit(5)");
  exit(5);
}

int main(void) {
  pthread_t t[3];
  CHECK_RC(pthread_create(&t[0], NULL, sleeper, NULL), 0);
  CHECK_RC(pthread_create(&t[1], NULL, nanosleeper, NULL), 0);
  CHECK_RC(pthread_create(&t[2], NULL, exiter, NULL), 0);
  usleep(100000000u);
  puts("not reached: usleep returned");
  return 0;
}
