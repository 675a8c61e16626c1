/* trap_in_main_stops_threads.c — unreachable executed in main ends the program with
 * status 1 and "Exception: unreachable" while threads spin and block in cond_wait. */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c;
static int up;

static void *spinner(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  volatile unsigned n = 0;
  for (;;) n++;
  return NULL;
}

static void *blocked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) pthread_cond_wait(&c, &m);
  return NULL;
}

__attribute__((noinline)) static void main_goes_wrong(void) { __builtin_trap(); }

int main(void) {
  pthread_t t[2];
  CHECK_RC(pthread_create(&t[0], NULL, spinner, NULL), 0);
  CHECK_RC(pthread_create(&t[1], NULL, blocked, NULL), 0);
  while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 2) sleep_ms(1);
  puts("main traps");
  main_goes_wrong();
  return 0;
}
