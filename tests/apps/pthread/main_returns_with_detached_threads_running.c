/* main_returns_with_detached_threads_running.c — main returning ends the program with
 * main's status (0), promptly, while detached threads spin, sleep and block in cond_wait,
 * and a joinable thread nobody joins spins too. */
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

static void *sleeper(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) sleep_ms(60000);
  return NULL;
}

static void *blocked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) pthread_cond_wait(&c, &m);
  return NULL;
}

int main(void) {
  pthread_t t[4];
  CHECK_RC(pthread_create(&t[0], NULL, spinner, NULL), 0);
  CHECK_RC(pthread_create(&t[1], NULL, sleeper, NULL), 0);
  CHECK_RC(pthread_create(&t[2], NULL, blocked, NULL), 0);
  CHECK_RC(pthread_create(&t[3], NULL, spinner, NULL), 0);
  for (int i = 0; i < 3; i++) CHECK_RC(pthread_detach(t[i]), 0);
  while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 4) sleep_ms(1);
  puts("main returns 0");
  return 0;
}
