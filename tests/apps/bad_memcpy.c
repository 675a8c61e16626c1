/* bad_memcpy.c — memcpy whose destination range crosses the end of linear memory: the
 * runtime checks the whole range and traps before copying anything. */
#include <stdio.h>
#include <string.h>

int main(void) {
  static char src[64];
  volatile size_t n = sizeof src; /* a run-time length keeps the call a libc-builtin call */
  char *end = (char *)(__builtin_wasm_memory_size(0) * 65536);
  puts("calling memcpy");
  memcpy(end - 16, src, n);
  puts("not reached");
  return 0;
}
