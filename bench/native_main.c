/* native_main.c — native driver for a benchmark kernel: `kernel N` prints bench(N);
 * `kernel --check` prints check(). Timing is done by the caller (scripts/bench.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s N | --check\n", argv[0]);
    return 2;
  }
  long long r = strcmp(argv[1], "--check") == 0 ? check() : bench(atoi(argv[1]));
  printf("%lld\n", r);
  return 0;
}
