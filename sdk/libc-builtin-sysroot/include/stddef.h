/* stddef.h — libc-builtin sysroot. clang uses its own stddef.h (its resource directory is
 * searched before the sysroot); this copy serves other compilers with the same types. */
#ifndef _WEFT_STDDEF_H
#define _WEFT_STDDEF_H
#include "_weft_cdefs.h"
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef __cplusplus
typedef __WCHAR_TYPE__ wchar_t;
#endif
typedef struct { long long __ll; long double __ld; } max_align_t;
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
