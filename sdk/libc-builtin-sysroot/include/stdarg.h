/* stdarg.h — libc-builtin sysroot. clang uses its own stdarg.h (its resource directory is
 * searched before the sysroot); this copy serves other compilers. On wasm32 a va_list is a
 * pointer to the variadic arguments laid out in linear memory, which is what libc-builtin's
 * vprintf family reads. */
#ifndef _WEFT_STDARG_H
#define _WEFT_STDARG_H
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dst, src) __builtin_va_copy(dst, src)
#endif
