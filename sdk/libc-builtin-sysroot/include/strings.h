/* strings.h — libc-builtin sysroot. */
#ifndef _WEFT_STRINGS_H
#define _WEFT_STRINGS_H
#include "_weft_cdefs.h"
#include <stddef.h>

_WEFT_BEGIN
/* Compare ignoring ASCII case (strncasecmp: at most n bytes). */
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
_WEFT_END

#endif
