/* sieve.c — sieve of Eratosthenes over 2^20 numbers, repeated n times: byte loads and
 * stores, tight nested loops. Returns the prime count times n plus a position checksum. */
#include "kernel.h"

#define LIMIT (1 << 20)
static unsigned char composite[LIMIT];

long long bench(int n) {
  long long total = 0;
  for (int rep = 0; rep < n; rep++) {
    k_memset(composite, 0, sizeof composite);
    for (int i = 2; (long)i * i < LIMIT; i++)
      if (!composite[i])
        for (int j = i * i; j < LIMIT; j += i) composite[j] = 1;
    long long count = 0, mix = 0;
    for (int i = 2; i < LIMIT; i++)
      if (!composite[i]) { count++; mix = (mix * 31 + i) & 0xFFFFFFFF; }
    total += count + (mix ^ rep);
  }
  return total;
}

KERNEL_CHECK(1)
