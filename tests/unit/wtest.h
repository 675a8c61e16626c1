/* wtest.h — a tiny self-contained unit test framework.
 * CHECK* macros record a pass or a failure (printing file:line on failure) and continue.
 * Each test file defines `void test_<name>(void)`; main.c runs them and prints
 * "N passed, M failed" as its last line, exiting non-zero when anything failed. */
#ifndef WEFT_WTEST_H
#define WEFT_WTEST_H
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int wt_passed, wt_failed;

/* Fills buf with "$TMPDIR/weft-<name>-XXXXXX" (/tmp when TMPDIR is unset or empty): the
 * mkdtemp/mkstemp template for the filesystem tests' scratch files. */
static inline void wt_scratch_template(char *buf, size_t n, const char *name) {
  const char *tmp = getenv("TMPDIR");
  snprintf(buf, n, "%s/weft-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
}

/* Records the outcome of one check; prints a diagnostic on failure. */
#define WT_RECORD(ok, ...)                                            \
  do {                                                                \
    if (ok) wt_passed++;                                              \
    else {                                                            \
      wt_failed++;                                                    \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);            \
      fprintf(stderr, __VA_ARGS__);                                   \
      fputc('\n', stderr);                                            \
    }                                                                 \
  } while (0)

#define CHECK(cond) WT_RECORD((cond), "%s", #cond)
#define CHECK_EQ(a, b)                                                                     \
  do {                                                                                     \
    long long a_ = (long long)(a), b_ = (long long)(b);                                    \
    WT_RECORD(a_ == b_, "%s == %s (%lld vs %lld)", #a, #b, a_, b_);                        \
  } while (0)
#define CHECK_EQ_U64(a, b)                                                                 \
  do {                                                                                     \
    uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                       \
    WT_RECORD(a_ == b_, "%s == %s (0x%" PRIx64 " vs 0x%" PRIx64 ")", #a, #b, a_, b_);      \
  } while (0)
#define CHECK_STR(a, b)                                                                    \
  do {                                                                                     \
    const char *a_ = (a), *b_ = (b);                                                       \
    WT_RECORD(a_ && b_ && strcmp(a_, b_) == 0, "%s == %s (\"%s\" vs \"%s\")", #a, #b,      \
              a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                     \
  } while (0)
#define CHECK_CONTAINS(hay, needle)                                                        \
  do {                                                                                     \
    const char *h_ = (hay), *n_ = (needle);                                                \
    WT_RECORD(h_ && strstr(h_, n_), "\"%s\" contains \"%s\"", h_ ? h_ : "(null)", n_);    \
  } while (0)

void test_leb128(void);
void test_decode(void);
void test_opcodes(void);
void test_regressions(void);
void test_waitq(void);
void test_features(void);
void test_appheap(void);
void test_printf(void);
void test_libc(void);
void test_auxstack(void);
void test_auxfind(void);
void test_wasi_fdtab(void);
void test_wasi_core(void);
void test_sandbox(void);
void test_sandbox_ops(void);
void test_sandbox_wasi(void);

#endif
