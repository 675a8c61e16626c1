/* trap_in_child_reports_backtrace.c — an out-of-bounds load in a thread stops every
 * thread: weft prints "Exception: out of bounds memory access" with the trapping thread's
 * backtrace (crash_here, called from crashing_thread) and exits 1, while main is blocked in
 * join and another thread is blocked in cond_wait. */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c;
static int up;

static void *blocked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  __atomic_store_n(&up, 1, __ATOMIC_SEQ_CST);
  for (;;) pthread_cond_wait(&c, &m);
  return NULL;
}

__attribute__((noinline)) static int crash_here(volatile int *p) { return *p; }

__attribute__((noinline)) static void *crashing_thread(void *arg) {
  (void)arg;
  while (!__atomic_load_n(&up, __ATOMIC_SEQ_CST)) sleep_ms(1);
  sleep_ms(20);
  return IV(crash_here((volatile int *)(uintptr_t)0xfffffff0u));
}

int main(void) {
  pthread_t b, x;
  CHECK_RC(pthread_create(&b, NULL, blocked, NULL), 0);
  CHECK_RC(pthread_create(&x, NULL, crashing_thread, NULL), 0);
  puts("main joins");
  pthread_join(b, NULL);
  puts("not reached: join returned");
  return 0;
}
