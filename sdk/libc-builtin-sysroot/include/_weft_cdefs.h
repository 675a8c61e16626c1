/* _weft_cdefs.h — shared definitions for weft's libc-builtin sysroot headers (internal). */
#ifndef _WEFT_CDEFS_H
#define _WEFT_CDEFS_H

#ifdef __cplusplus
#define _WEFT_BEGIN extern "C" {
#define _WEFT_END }
#else
#define _WEFT_BEGIN
#define _WEFT_END
#endif

#ifndef NULL
#ifdef __cplusplus
#define NULL 0
#else
#define NULL ((void *)0)
#endif
#endif

#define _WEFT_NORETURN __attribute__((__noreturn__))
#define _WEFT_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

#endif
