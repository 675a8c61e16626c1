/* aligned_alloc.c — posix_memalign, aligned_alloc, memalign and malloc_usable_size on the
 * app heap: alignments 8..4096 honoured, blocks writable and disjoint, freed and
 * reallocated like malloc's, bad alignments rejected (EINVAL / NULL), impossible sizes
 * ENOMEM / NULL, usable sizes, and a posix_memalign whose out pointer lies past the end of
 * linear memory traps like other libc-builtin pointer arguments. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t vsize = 100; /* run-time sizes keep the calls libc-builtin calls */

int main(void) {
  /* every alignment, three sizes, all three functions; all blocks live at once */
  void *blocks[10 * 3 * 3];
  int n = 0, misaligned = 0, overlap = 0, small = 0;
  for (size_t align = 8; align <= 4096; align *= 2)
    for (size_t size = 1; size <= 10000; size *= 47) {
      void *a = NULL;
      if (posix_memalign(&a, align, size + vsize - 100) != 0) a = NULL;
      void *b = aligned_alloc(align, size + vsize - 100);
      void *c = memalign(align, size + vsize - 100);
      void *got[3] = {a, b, c};
      for (int k = 0; k < 3; k++) {
        if (!got[k] || (uintptr_t)got[k] % align) misaligned++;
        if (got[k] && malloc_usable_size(got[k]) < size) small++;
        if (got[k]) memset(got[k], n & 0xFF, size);
        blocks[n++] = got[k];
      }
    }
  size_t sizes[3] = {1, 47, 2209};
  for (int i = 0; i < n; i++) {
    size_t sz = sizes[(i / 3) % 3];
    unsigned char *p = blocks[i];
    for (size_t j = 0; p && j < sz; j++)
      if (p[j] != (i & 0xFF)) { overlap++; break; }
  }
  printf("%d aligned blocks: %d misaligned, %d too small, %d overwritten\n", n, misaligned,
         small, overlap);

  /* realloc keeps the contents (the new block may be only 8-aligned), free takes both */
  char *p = aligned_alloc(256, 32);
  strcpy(p, "aligned contents");
  char *q = realloc(p, 20000);
  printf("realloc of an aligned block: %s\n", q ? q : "NULL");
  free(q);
  for (int i = 0; i < n; i++) free(blocks[i]);

  /* bad alignments */
  void *out = (void *)1;
  printf("posix_memalign(align 24): %s\n",
         posix_memalign(&out, 24 + vsize - 100, 16) == EINVAL ? "EINVAL" : "?");
  printf("posix_memalign(align 2): %s\n",
         posix_memalign(&out, 2 + vsize - 100, 16) == EINVAL ? "EINVAL" : "?");
  printf("posix_memalign(align 0): %s\n",
         posix_memalign(&out, vsize - 100, 16) == EINVAL ? "EINVAL" : "?");
  printf("out untouched: %s\n", out == (void *)1 ? "yes" : "no");
  printf("aligned_alloc(align 24): %s\n", aligned_alloc(24 + vsize - 100, 16) ? "a block" : "NULL");
  printf("memalign(align 3000): %s\n", memalign(3000 + vsize - 100, 16) ? "a block" : "NULL");
  /* small powers of two are fine */
  void *s = aligned_alloc(1 + vsize - 100, 5);
  printf("aligned_alloc(align 1): %s\n", s ? "a block" : "NULL");
  free(s);
  /* impossible sizes */
  printf("posix_memalign(64, 3 GiB): %s\n",
         posix_memalign(&out, 64, (3u << 30) + vsize - 100) == ENOMEM ? "ENOMEM" : "?");
  printf("aligned_alloc(4096, 2 GiB): %s\n",
         aligned_alloc(4096, (2u << 30) + vsize - 100) ? "a block" : "NULL");
  /* size 0: success and a NULL block */
  out = (void *)1;
  int rc = posix_memalign(&out, 16, vsize - 100);
  printf("posix_memalign(16, 0): %d, %s\n", rc, out ? "a block" : "NULL");

  /* malloc_usable_size */
  char *m = malloc(vsize);
  printf("malloc_usable_size(malloc(100)) >= 100: %s\n", malloc_usable_size(m) >= 100 ? "yes" : "no");
  printf("malloc_usable_size(NULL): %zu\n", malloc_usable_size(NULL));
  printf("malloc_usable_size(inside a block): %zu\n", malloc_usable_size(m + 8));
  free(m);
  printf("malloc_usable_size(freed): %zu\n", malloc_usable_size(m));

  /* out lies past the end of linear memory: a trap */
  void **end = (void **)(__builtin_wasm_memory_size(0) * 65536 - 2 + vsize - 100);
  puts("calling posix_memalign with a bad out");
  posix_memalign(end, 16, 16);
  puts("not reached");
  return 0;
}
