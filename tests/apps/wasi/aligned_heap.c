/* aligned_heap.c — the WASI route's aligned allocators and malloc_usable_size are weft's
 * (env imports served by the app heap, sdk/bin/weft-wasi-sysroot): alignments up to 4096
 * honoured from several threads at once, realloc/free of aligned blocks, WASI error numbers
 * (EINVAL, ENOMEM) from posix_memalign and in errno, and malloc_usable_size answering 0 for
 * a pointer the heap did not hand out (dlmalloc would read a header there). */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t vzero = 0; /* keeps clang from folding the calls */
static void *volatile sink;         /* keeps clang from dropping an unused allocation */
/* errno read through a volatile lvalue: clang assumes its known allocators leave errno
 * alone and would forward the 0 stored before the call. */
#define ERRNO (*(volatile int *)&errno)

static void *worker(void *arg) {
  uintptr_t id = (uintptr_t)arg, bad = 0;
  for (int round = 0; round < 200; round++)
    for (size_t align = 8; align <= 4096; align *= 2) {
      size_t size = (size_t)(round * 37 % 500) + 1 + vzero;
      void *p = NULL;
      int rc = round % 3 == 0   ? posix_memalign(&p, align, size)
               : round % 3 == 1 ? ((p = aligned_alloc(align, size)) ? 0 : -1)
                                : ((p = memalign(align, size)) ? 0 : -1);
      if (rc != 0 || (uintptr_t)p % align || malloc_usable_size(p) < size) { bad++; continue; }
      memset(p, (int)id, size);
      void *q = malloc(size);
      if (q) memset(q, 0xEE, size);
      for (size_t j = 0; j < size; j++)
        if (((unsigned char *)p)[j] != (unsigned char)id) { bad++; break; }
      free(q);
      free(p);
    }
  return (void *)bad;
}

int main(void) {
  pthread_t t[4];
  for (uintptr_t i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  uintptr_t bad = 0;
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    bad += (uintptr_t)r;
  }
  printf("4 threads x 2000 aligned blocks: %u bad\n", (unsigned)bad);

  char *p = aligned_alloc(4096, 64 + vzero);
  strcpy(p, "kept");
  char *q = realloc(p, 100000 + vzero);
  printf("realloc of a 4096-aligned block: %s\n", q ? q : "NULL");
  printf("malloc_usable_size(inside a block): %zu\n", malloc_usable_size(q + 16));
  free(q);

  void *out = (void *)1;
  printf("posix_memalign(align 24): %s\n",
         posix_memalign(&out, 24 + vzero, 16) == EINVAL ? "EINVAL" : "?");
  printf("posix_memalign(64, 3 GiB): %s\n",
         posix_memalign(&out, 64, (3u << 30) + vzero) == ENOMEM ? "ENOMEM" : "?");
  printf("out untouched: %s\n", out == (void *)1 ? "yes" : "no");
  errno = 0;
  void *b = sink = aligned_alloc(24 + vzero, 16);
  printf("aligned_alloc(align 24): %s, errno %s\n", b ? "a block" : "NULL",
         ERRNO == EINVAL ? "EINVAL" : "?");
  errno = 0;
  b = sink = memalign(4096, (2u << 30) + vzero);
  printf("memalign(4096, 2 GiB): %s, errno %s\n", b ? "a block" : "NULL",
         ERRNO == ENOMEM ? "ENOMEM" : "?");
  printf("malloc_usable_size(NULL): %zu\n", malloc_usable_size(NULL));
  return 0;
}
