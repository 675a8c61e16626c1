/* native_call.c — the fixed-shape direct call of natives (see native_call.h for why one
 * shape fits every supported signature on these ABIs). */
#include "native_call.h"
#include <string.h>

#if defined(__x86_64__) && !defined(_WIN32)
/* System V: rdi (exec), rsi, rdx, rcx, r8, r9; xmm0-7; then 8-byte stack cells in order. */
#define NC_IREGS 5
#define NC_STACK 8
#elif defined(__aarch64__) && !defined(_WIN32)
/* AAPCS64: x0 (exec), x1-x7; v0-v7; then 8-byte stack cells in order (Linux). Apple packs
 * stack arguments to their natural size, so there only register arguments are used. */
#define NC_IREGS 7
#if defined(__APPLE__)
#define NC_STACK 0
#else
#define NC_STACK 8
#endif
#else
#define NC_IREGS 0
#define NC_STACK 0
#endif

#define NC_FREGS 8

uint32_t wncall_max_int(void) { return NC_IREGS ? NC_IREGS + NC_STACK : 0; }
uint32_t wncall_max_fp(void) { return NC_IREGS ? NC_FREGS : 0; }

#if NC_IREGS

typedef uint64_t U;
typedef double D;
#if NC_IREGS == 5
#define IPARAMS U, U, U, U, U
#define IARGS(a) a[0], a[1], a[2], a[3], a[4]
#else
#define IPARAMS U, U, U, U, U, U, U
#define IARGS(a) a[0], a[1], a[2], a[3], a[4], a[5], a[6]
#endif
#define FPARAMS D, D, D, D, D, D, D, D
#define FARGS(d) d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
#if NC_STACK == 8
#define SPARAMS , U, U, U, U, U, U, U, U
#define SARGS(a)                                                                      \
  , a[NC_IREGS + 0], a[NC_IREGS + 1], a[NC_IREGS + 2], a[NC_IREGS + 3], a[NC_IREGS + 4], \
      a[NC_IREGS + 5], a[NC_IREGS + 6], a[NC_IREGS + 7]
#else
#define SPARAMS
#define SARGS(a)
#endif

typedef U (*shape_int)(weft_exec *, IPARAMS, FPARAMS SPARAMS);
typedef D (*shape_fp)(weft_exec *, IPARAMS, FPARAMS SPARAMS);

/* The call deliberately goes through a function type other than the callee's: clang's
 * -fsanitize=function would flag it. */
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
uint64_t wncall(void *fn, weft_exec *exec, const uint64_t *ints, uint32_t nint,
                const uint64_t *fps, uint32_t nfp, bool fp_result) {
  U a[NC_IREGS + NC_STACK] = {0};
  D d[NC_FREGS] = {0};
  memcpy(a, ints, nint * sizeof(U));
  memcpy(d, fps, nfp * sizeof(D));
  if (fp_result) {
    D r = ((shape_fp)fn)(exec, IARGS(a), FARGS(d) SARGS(a));
    U bits;
    memcpy(&bits, &r, sizeof bits);
    return bits;
  }
  return ((shape_int)fn)(exec, IARGS(a), FARGS(d) SARGS(a));
}

#else

uint64_t wncall(void *fn, weft_exec *exec, const uint64_t *ints, uint32_t nint,
                const uint64_t *fps, uint32_t nfp, bool fp_result) {
  (void)fn, (void)exec, (void)ints, (void)nint, (void)fps, (void)nfp, (void)fp_result;
  return 0;   /* unreachable: registration refuses direct natives on this ABI */
}

#endif
