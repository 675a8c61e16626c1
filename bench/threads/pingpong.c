/* pingpong.c — wait/notify round trips: thread id waits until its cell is non-zero
 * (blocking in wait32 while it is 0), clears it, sets the other thread's cell and
 * notifies it; n rounds each, so n round trips. Checksum: 2n (rounds completed). */
#include "shim.h"

static int cell[2];
static int rounds;

THR_EXPORT(setup) void setup(int n) {
  (void)n;
  __atomic_store_n(&cell[0], 1, THR_SEQ);  /* thread 0 moves first */
  __atomic_store_n(&cell[1], 0, THR_SEQ);
  __atomic_store_n(&rounds, 0, THR_SEQ);
}

THR_EXPORT(worker) long long worker(int id, int n) {
  int *me = &cell[id], *other = &cell[1 - id];
  for (int i = 0; i < n; i++) {
    while (__atomic_load_n(me, THR_SEQ) == 0) thr_wait32(me, 0);
    __atomic_store_n(me, 0, THR_SEQ);
    __atomic_store_n(other, 1, THR_SEQ);
    thr_notify(other, 1);
    __atomic_fetch_add(&rounds, 1, THR_SEQ);
  }
  return 0;
}

THR_EXPORT(result) long long result(void) { return __atomic_load_n(&rounds, THR_SEQ); }
