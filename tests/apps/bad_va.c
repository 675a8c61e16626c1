/* bad_va.c — a printf whose conversions read arguments past the end of linear memory (a
 * va_list pointing at the last 4 bytes, and a format that wants three ints): libc-builtin
 * must trap, not read host memory. */
#include <stdarg.h>
#include <stdio.h>

int main(void) {
  char *end = (char *)(__builtin_wasm_memory_size(0) * 65536);
  va_list ap;
  __builtin_memcpy(&ap, &(char *){end - 4}, sizeof ap);
  puts("calling vprintf");
  vprintf("%d %d %d\n", ap);
  puts("not reached");
  return 0;
}
