/* stdlib.h — libc-builtin sysroot. malloc and friends allocate from the instance's app heap
 * (weft --heap-size=N, 16 MiB by default), which is thread-safe. */
#ifndef _WEFT_STDLIB_H
#define _WEFT_STDLIB_H
#include "_weft_cdefs.h"
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

_WEFT_BEGIN
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
/* Resizes ptr (NULL: like malloc); NULL on failure, leaving ptr allocated. */
void *realloc(void *ptr, size_t size);
void free(void *ptr);
/* Aligned blocks from the same heap, freed with free (realloc may return a block that is
 * only 8-aligned). align: a power of two (posix_memalign: also a multiple of
 * sizeof(void *)), up to 256 MiB. posix_memalign returns 0 (*out set; NULL for size 0),
 * EINVAL or ENOMEM; aligned_alloc and memalign return NULL for a bad alignment or when
 * out of memory. */
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
void *memalign(size_t align, size_t size);
/* Usable bytes of a block malloc & co. returned (>= the size asked for); 0 for NULL or a
 * pointer the heap did not hand out. */
size_t malloc_usable_size(void *ptr);

int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *__restrict s, char **__restrict end, int base);
unsigned long strtoul(const char *__restrict s, char **__restrict end, int base);
long long strtoll(const char *__restrict s, char **__restrict end, int base);
unsigned long long strtoull(const char *__restrict s, char **__restrict end, int base);

/* Binary search of a sorted array; cmp is called through the function table. */
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*cmp)(const void *, const void *));
/* Sorts an array in place; cmp is called through the function table. */
void qsort(void *base, size_t nmemb, size_t size, int (*cmp)(const void *, const void *));

/* The program has no environment: always NULL. */
char *getenv(const char *name);

/* Ends the program with status (weft exits with it). */
_WEFT_NORETURN void exit(int status);
/* Ends the program abnormally. */
_WEFT_NORETURN void abort(void);
_WEFT_END

#endif
