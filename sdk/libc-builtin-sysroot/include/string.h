/* string.h — libc-builtin sysroot: host implementations that check every pointer and length
 * against linear memory (an out-of-bounds argument traps instead of corrupting anything). */
#ifndef _WEFT_STRING_H
#define _WEFT_STRING_H
#include "_weft_cdefs.h"
#include <stddef.h>

_WEFT_BEGIN
void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
/* strlen, but looks at no more than maxlen bytes. */
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *__restrict dst, const char *__restrict src);
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n);
char *strcat(char *__restrict dst, const char *__restrict src);
char *strncat(char *__restrict dst, const char *__restrict src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strpbrk(const char *s, const char *accept);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
/* A copy of s on the app heap (free it with free). */
char *strdup(const char *s);
/* A copy of at most n bytes of s, NUL-terminated, on the app heap. */
char *strndup(const char *s, size_t n);
_WEFT_END

#endif
