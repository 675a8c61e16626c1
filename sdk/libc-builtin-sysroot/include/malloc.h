/* malloc.h — libc-builtin sysroot: the allocation functions (declared in stdlib.h). */
#ifndef _WEFT_MALLOC_H
#define _WEFT_MALLOC_H
#include <stdlib.h>
#endif
