/* aux_stack_overflow_in_main_traps.c — main recursing without bound while a thread is
 * blocked in cond_wait: the trap "wasm auxiliary stack overflow" ends the program with
 * status 1 (the blocked thread does not keep it alive). */
#include "pt.h"

static pthread_mutex_t m;
static pthread_cond_t c;

__attribute__((noinline)) static unsigned main_bottomless(unsigned n) {
  if (n == 0xffffffffu) return 0; /* never: keeps -Winfinite-recursion quiet */
  volatile unsigned char buf[512];
  buf[n % 512] = (unsigned char)n;
  return main_bottomless(n + 1) + buf[(n * 3) % 512];
}

static void *blocked(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  for (;;) pthread_cond_wait(&c, &m);
  return NULL;
}

int main(void) {
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, blocked, NULL), 0);
  puts("main recursing without bound");
  return (int)main_bottomless(0);
}
