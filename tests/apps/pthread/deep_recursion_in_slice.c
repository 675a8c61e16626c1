/* deep_recursion_in_slice.c — four threads and main recurse at once, each frame holding a
 * 256-byte array on the aux stack filled with a per-thread pattern, about 40 KiB deep (the
 * default slice is 327680 / 5 = 64 KiB). Every frame still holds its own pattern when the
 * recursion unwinds: the slices do not overlap. */
#include "pt.h"

#define DEPTH 150

static int start_gate;

__attribute__((noinline)) static unsigned dive(unsigned tag, int depth) {
  volatile unsigned char buf[256];
  for (int i = 0; i < 256; i++) buf[i] = (unsigned char)(tag * 31 + depth * 7 + i);
  unsigned below = depth > 0 ? dive(tag, depth - 1) : 0;
  if (below == 0xffffffffu) return below;
  for (int i = 0; i < 256; i++)
    if (buf[i] != (unsigned char)(tag * 31 + depth * 7 + i)) return 0xffffffffu; /* clobbered */
  return below + buf[depth % 256];
}

static unsigned expect(unsigned tag) {
  unsigned sum = 0;
  for (int d = 1; d <= DEPTH; d++) sum += (unsigned char)(tag * 31 + d * 7 + d % 256);
  return sum + (unsigned char)(tag * 31 + 0);
}

static void *worker(void *arg) {
  unsigned tag = (unsigned)VI(arg);
  while (!__atomic_load_n(&start_gate, __ATOMIC_SEQ_CST)) sleep_ms(1);
  unsigned bad = 0;
  for (int round = 0; round < 20; round++)
    if (dive(tag, DEPTH) != expect(tag)) bad++;
  return IV(bad);
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&t[i], NULL, worker, IV(i + 1)), 0);
  __atomic_store_n(&start_gate, 1, __ATOMIC_SEQ_CST);
  void *mine = worker(IV(9));
  int bad = VI(mine);
  for (int i = 0; i < 4; i++) {
    void *r;
    CHECK_RC(pthread_join(t[i], &r), 0);
    bad += VI(r);
  }
  printf("recursions of depth %d in 5 threads, frames clobbered: %d\n", DEPTH, bad);
  return 0;
}
