/* atomic_inc.c — contended atomic increments: both threads add 1 to the same counter
 * n times (a seq_cst fetch-add: lock xadd natively, i32.atomic.rmw.add in wasm).
 * Checksum: 2n. */
#include "shim.h"

static int counter;

THR_EXPORT(setup) void setup(int n) {
  (void)n;
  __atomic_store_n(&counter, 0, THR_SEQ);
}

THR_EXPORT(worker) long long worker(int id, int n) {
  (void)id;
  for (int i = 0; i < n; i++) __atomic_fetch_add(&counter, 1, THR_SEQ);
  return 0;
}

THR_EXPORT(result) long long result(void) { return __atomic_load_n(&counter, THR_SEQ); }
