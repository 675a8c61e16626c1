/* werr.h — error reporting shared by every stage: a kind plus a formatted message.
 * Fallible internal calls return wstatus (marked warn-unused-result) and fill a werr. */
#ifndef WEFT_WERR_H
#define WEFT_WERR_H
#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define W_WUR __attribute__((warn_unused_result))
#define W_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define W_LIKELY(x) __builtin_expect(!!(x), 1)
#define W_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define W_WUR
#define W_PRINTF(a, b)
#define W_LIKELY(x) (x)
#define W_UNLIKELY(x) (x)
#endif

/* Status of a fallible call: W_OK or W_ERR (details in the werr passed alongside). */
typedef enum { W_OK = 0, W_ERR = 1 } wstatus;

/* Error categories; the numeric values are the public WEFT_ERR_* values of weft.h. */
typedef enum {
  WERR_NONE = 0,
  WERR_MALFORMED = 1, /* binary does not decode (spec: assert_malformed) */
  WERR_INVALID = 2,   /* decodes but fails validation (spec: assert_invalid) */
  WERR_LINK = 3,      /* import resolution failed (spec: assert_unlinkable) */
  WERR_TRAP = 4,      /* execution trapped (message is the trap reason) */
  WERR_RESOURCE = 5,  /* a limit or allocation failed (too large, out of memory) */
  WERR_ARG = 6,       /* the embedder passed a bad argument */
} werr_kind;

/* A filled-in error: kind and a NUL-terminated message. */
typedef struct werr {
  werr_kind kind;
  int trap;           /* weft_trap code when kind == WERR_TRAP, else 0 */
  char msg[512];
} werr;

/* Sets *e (if non-NULL) and returns W_ERR, so callers can `return werr_set(...)`. */
wstatus werr_set(werr *e, werr_kind kind, const char *fmt, ...) W_PRINTF(3, 4);
wstatus werr_vset(werr *e, werr_kind kind, const char *fmt, va_list ap);
/* Clears an error to WERR_NONE/empty. */
void werr_clear(werr *e);

#endif
