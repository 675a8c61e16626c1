/* bad_str.c — strings and ranges that leave linear memory: an unterminated string at the
 * end of memory passed to strlen, which must trap (the program's output stops there). */
#include <stdio.h>
#include <string.h>

int main(void) {
  char *end = (char *)(__builtin_wasm_memory_size(0) * 65536);
  end[-3] = 'a';
  end[-2] = 'b';
  end[-1] = 'c';
  puts("calling strlen");
  printf("%d\n", (int)strlen(end - 3));
  puts("not reached");
  return 0;
}
