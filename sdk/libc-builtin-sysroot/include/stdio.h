/* stdio.h — libc-builtin sysroot. Output only: everything goes to the runtime's stdout.
 * There is no FILE, no input and no files; each function is a host function of weft's
 * libc-builtin (see share/defined-symbols.txt). */
#ifndef _WEFT_STDIO_H
#define _WEFT_STDIO_H
#include "_weft_cdefs.h"
#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

_WEFT_BEGIN
/* Formatted output to stdout; returns the number of bytes written, or negative on error. */
int printf(const char *fmt, ...) _WEFT_PRINTF(1, 2);
/* Formatted output into buf (no size limit: the runtime checks buf lies in memory). */
int sprintf(char *buf, const char *fmt, ...) _WEFT_PRINTF(2, 3);
/* Formatted output into buf, at most size bytes including the NUL; returns the full length. */
int snprintf(char *buf, size_t size, const char *fmt, ...) _WEFT_PRINTF(3, 4);
/* va_list forms of the three above. */
int vprintf(const char *fmt, va_list ap) _WEFT_PRINTF(1, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) _WEFT_PRINTF(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) _WEFT_PRINTF(3, 0);
/* Writes s and a newline to stdout. */
int puts(const char *s);
/* Writes one byte to stdout; returns it (as unsigned char). */
int putchar(int c);
_WEFT_END

#endif
