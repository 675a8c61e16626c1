/* threads.c — the threaded sample: 8 pthreads each sum a slice of 1..N (as 64-bit
 * squares), add their part to a shared total under a mutex and count themselves in with a
 * condition variable; main joins them and prints the total, which it checks against the
 * closed form n(n+1)(2n+1)/6.
 *
 * Build and run (what `make sample` does):
 *   sdk/bin/weft-cc -O2 -pthread samples/threads-c/threads.c -o threads.wasm
 *   build/weft --max-threads=8 threads.wasm */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define NTHREADS 8
#define N 2000000u

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_in = PTHREAD_COND_INITIALIZER;
static uint64_t total;
static int arrived;

/* Sums the squares of slice `arg` of 1..N, then adds it to the shared total. */
static void *worker(void *arg) {
  unsigned part = (unsigned)(uintptr_t)arg;
  uint64_t lo = (uint64_t)N * part / NTHREADS + 1, hi = (uint64_t)N * (part + 1) / NTHREADS;
  uint64_t sum = 0;
  for (uint64_t i = lo; i <= hi; i++) sum += i * i;
  pthread_mutex_lock(&lock);
  total += sum;
  if (++arrived == NTHREADS) pthread_cond_broadcast(&all_in);
  while (arrived < NTHREADS) pthread_cond_wait(&all_in, &lock);   /* a barrier */
  pthread_mutex_unlock(&lock);
  return (void *)(uintptr_t)(part + 1);
}

int main(void) {
  pthread_t tids[NTHREADS];
  for (unsigned i = 0; i < NTHREADS; i++) {
    int rc = pthread_create(&tids[i], NULL, worker, (void *)(uintptr_t)i);
    if (rc != 0) {
      printf("pthread_create %u failed: %d (run with --max-threads=%d)\n", i, rc, NTHREADS);
      return 1;
    }
  }
  unsigned joined = 0;
  for (unsigned i = 0; i < NTHREADS; i++) {
    void *ret;
    if (pthread_join(tids[i], &ret) == 0 && (uintptr_t)ret == i + 1) joined++;
  }
  uint64_t n = N, expect = n * (n + 1) * (2 * n + 1) / 6;
  printf("%u threads joined; sum of squares 1..%u = %llu (%s)\n", joined, N,
         (unsigned long long)total, total == expect ? "correct" : "WRONG");
  return joined == NTHREADS && total == expect ? 0 : 1;
}
