/* bad_fmt.c — a printf format string that runs off the end of linear memory (no NUL before
 * the end): libc-builtin must trap, not read host memory. */
#include <stdio.h>

int main(void) {
  char *end = (char *)(__builtin_wasm_memory_size(0) * 65536);
  end[-4] = '%';
  end[-3] = 'd';
  end[-2] = ' ';
  end[-1] = 'x';  /* no terminating NUL inside memory */
  puts("calling printf");
  printf(end - 4, 1);
  puts("not reached");
  return 0;
}
