/* assert.h — libc-builtin sysroot. A failed assert prints
 *   Assertion failed: EXPR (FILE: FUNC: LINE)
 * with printf and calls abort(), so weft exits with status 1 ("Exception: ..." on stderr).
 * NDEBUG turns assert off. This header may be included more than once, like C's. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#include <stdio.h>
#include <stdlib.h>
#ifndef _WEFT_ASSERT_FAIL
#define _WEFT_ASSERT_FAIL
/* Reports a failed assertion and aborts (internal; used by assert). */
static inline _WEFT_NORETURN void __weft_assert_fail(const char *expr, const char *file,
                                                     const char *func, int line) {
  printf("Assertion failed: %s (%s: %s: %d)\n", expr, file, func, line);
  abort();
}
#endif
#define assert(e) ((e) ? (void)0 : __weft_assert_fail(#e, __FILE__, __func__, __LINE__))
#endif

#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
