/* huge_malloc.c — allocations that cannot be satisfied return NULL (no trap), and the heap
 * keeps working afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *show(void *p) { return p ? "a block" : "NULL"; }

int main(void) {
  printf("malloc(2 GiB - 16): %s\n", show(malloc(0x7FFFFFF0u)));
  printf("malloc(SIZE_MAX): %s\n", show(malloc((size_t)-1)));
  printf("calloc(65536, 65536) (overflows): %s\n", show(calloc(65536, 65536)));
  printf("calloc(1 GiB, 4): %s\n", show(calloc(1u << 30, 4)));
  char *p = malloc(16);
  strcpy(p, "still here");
  printf("realloc(p, 3 GiB): %s\n", show(realloc(p, 3u << 30)));
  printf("p after the failed realloc: %s\n", p);
  free(p);
  /* The heap is still usable. */
  int ok = 1;
  for (int i = 0; i < 1000; i++) {
    char *q = malloc(1000);
    ok &= q != NULL;
    free(q);
  }
  printf("1000 malloc/free pairs afterwards: %s\n", ok ? "ok" : "failed");
  return 0;
}
