/* atomics.c — the sysroot's headers compile ordinary C: <stdatomic.h> (clang's) together
 * with <stdint.h> and <inttypes.h>, int main(int argc, char **argv), realloc declared. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static _Atomic uint32_t counter;
static atomic_flag flag = ATOMIC_FLAG_INIT;

int main(int argc, char **argv) {
  (void)argv;
  for (int i = 0; i < 1000; i++) atomic_fetch_add(&counter, (uint32_t)argc);
  uint32_t expected = 1000;
  int swapped = atomic_compare_exchange_strong(&counter, &expected, UINT32_C(7));
  int was_set = atomic_flag_test_and_set(&flag);
  int64_t *v = malloc(4 * sizeof *v);
  v = realloc(v, 64 * sizeof *v);
  for (int i = 0; i < 64; i++) v[i] = (int64_t)i * INT64_C(1000000007);
  printf("counter=%" PRIu32 " swapped=%d flag_was_set=%d v[63]=%" PRId64 "\n",
         atomic_load(&counter), swapped, was_set, v[63]);
  free(v);
  return 0;
}
