/* strings.h — libc-builtin sysroot. */
#ifndef _WEFT_STRINGS_H
#define _WEFT_STRINGS_H
#include "_weft_cdefs.h"
#include <stddef.h>

_WEFT_BEGIN
/* Compares at most n bytes ignoring ASCII case. */
int strncasecmp(const char *a, const char *b, size_t n);
_WEFT_END

#endif
