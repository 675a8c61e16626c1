/* Built with the reference document's libc-builtin command verbatim (paths pointed at
 * weft's sysroot): shared memory with initial = maximum = 2 pages and `main` exported.
 * The app heap must still be there (weft raises the maximum by the heap, as WAMR does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char *p = malloc(64);
  if (!p) {
    printf("malloc failed\n");
    return 1;
  }
  strcpy(p, "hello");
  strcat(p, ", libc-builtin");
  printf("%s (%d chars)\n", p, (int)strlen(p));
  free(p);
  return 0;
}
