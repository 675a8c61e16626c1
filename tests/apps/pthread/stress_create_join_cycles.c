/* stress_create_join_cycles.c — N create/join cycles (argv[1], default 10000), two
 * threads at a time: every return value comes back, and the wasm side stays flat (the
 * memory does not grow and malloc hands out the same block before and after). The runner
 * compares the weft process's peak RSS for 1,000 and 10,000 cycles. "info:" lines are
 * reported, not compared. */
#include "pt.h"

static void *plus_one(void *arg) { return IV(VI(arg) + 1); }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 10000;
  unsigned long pages0 = __builtin_wasm_memory_size(0);
  /* Addresses pass through volatiles: clang may otherwise fold the comparison of two
   * malloc results to "different" (it knows malloc's results do not alias). */
  void *probe0 = malloc(100);
  volatile uintptr_t addr0 = (uintptr_t)probe0;
  free(probe0);
  long long t0 = now_ms();
  int bad = 0;
  for (int i = 0; i < n; i += 2) {
    pthread_t a, b;
    void *ra, *rb;
    CHECK_RC(pthread_create(&a, NULL, plus_one, IV(i)), 0);
    CHECK_RC(pthread_create(&b, NULL, plus_one, IV(i + 1)), 0);
    CHECK_RC(pthread_join(a, &ra), 0);
    CHECK_RC(pthread_join(b, &rb), 0);
    if (VI(ra) != i + 1 || VI(rb) != i + 2) bad++;
  }
  long long ms = now_ms() - t0;
  void *probe1 = malloc(100);
  volatile uintptr_t addr1 = (uintptr_t)probe1;
  free(probe1);
  printf("cycles done, wrong return values: %d\n", bad);
  printf("memory pages unchanged: %s, malloc block unchanged: %s\n",
         __builtin_wasm_memory_size(0) == pages0 ? "yes" : "no", addr0 == addr1 ? "yes" : "no");
  printf("info: %d create/join cycles in %lld ms (%lld us each)\n", n, ms, n ? ms * 1000 / n : 0);
  return 0;
}
