/* exit_in_child_ends_program_status_3.c — exit(3) in a thread ends the whole program with
 * status 3, promptly, while main is blocked in join, one thread spins, one is blocked in
 * cond_wait and one in an atomic wait with no timeout. */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c;
static int cell;
static int up;

static void *spinner(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  volatile unsigned n = 0;
  for (;;) n++;
  return NULL;
}

static void *cond_blocked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) pthread_cond_wait(&c, &m);
  return NULL;
}

static void *wait_blocked(void *arg) {
  (void)arg;
  __atomic_add_fetch(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) __builtin_wasm_memory_atomic_wait32(&cell, 0, -1);
  return NULL;
}

static void *exiter(void *arg) {
  (void)arg;
  while (__atomic_load_n(&up, __ATOMIC_SEQ_CST) < 3) sleep_ms(1);
  sleep_ms(50);
  puts("thread calls exit(3)");
  exit(3);
}

int main(void) {
  pthread_t t[4];
  CHECK_RC(pthread_create(&t[0], NULL, spinner, NULL), 0);
  CHECK_RC(pthread_create(&t[1], NULL, cond_blocked, NULL), 0);
  CHECK_RC(pthread_create(&t[2], NULL, wait_blocked, NULL), 0);
  CHECK_RC(pthread_create(&t[3], NULL, exiter, NULL), 0);
  pthread_join(t[1], NULL);
  puts("not reached: join returned");
  return 0;
}
