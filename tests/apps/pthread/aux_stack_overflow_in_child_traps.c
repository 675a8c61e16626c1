/* aux_stack_overflow_in_child_traps.c — a thread recursing without bound runs past the
 * bottom of its aux stack slice: weft traps "wasm auxiliary stack overflow" (before the
 * thread writes into its neighbour's slice) and ends the program with status 1, while main
 * waits in join and another thread spins. */
#include "pt.h"

static volatile unsigned spins;

__attribute__((noinline)) static unsigned bottomless(unsigned n) {
  if (n == 0xffffffffu) return 0; /* never: keeps -Winfinite-recursion quiet */
  volatile unsigned char buf[512];
  buf[n % 512] = (unsigned char)n;
  return bottomless(n + 1) + buf[(n * 7) % 512];
}

static void *spinner(void *arg) {
  (void)arg;
  for (;;) spins++;
  return NULL;
}

static void *recurse(void *arg) {
  (void)arg;
  return IV(bottomless(0));
}

int main(void) {
  pthread_t s, r;
  CHECK_RC(pthread_create(&s, NULL, spinner, NULL), 0);
  puts("recursing without bound in a thread");
  CHECK_RC(pthread_create(&r, NULL, recurse, NULL), 0);
  pthread_join(r, NULL);
  puts("not reached: join returned");
  return 0;
}
