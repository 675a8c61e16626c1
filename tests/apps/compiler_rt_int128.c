/* compiler_rt_int128.c — regression: weft-cc links compiler-rt's builtins, so code for which
 * clang emits helper calls (__multi3 for 128-bit multiplies, __udivti3 for 128-bit divides)
 * links and runs. Before the fix, wasm-ld failed with "undefined symbol: __multi3". */
#include <stdio.h>

/* A 64x64 -> 128-bit product and a 128-bit quotient, printed as two 64-bit halves. */
int main(void) {
  volatile unsigned long long a = 0xfedcba9876543210ull, b = 0x0123456789abcdefull;
  unsigned __int128 p = (unsigned __int128)a * b;
  unsigned __int128 q = p / 1000000007u;
  printf("product %016llx%016llx\n", (unsigned long long)(p >> 64), (unsigned long long)p);
  printf("quotient %016llx%016llx\n", (unsigned long long)(q >> 64), (unsigned long long)q);
  return 0;
}
