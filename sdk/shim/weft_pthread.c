/* weft_pthread.c — weft's pthread functions for programs built against a full C library
 * (the WASI route: sdk/bin/weft-wasi-sysroot adds it to libc.a; the emcc route:
 * sdk/emcc/weft_emcc.c includes it).
 *
 * weft's pthread library returns the error numbers of its libc-builtin ABI (Linux's:
 * EAGAIN 11, EINVAL 22, ETIMEDOUT 110, ...), while wasi-libc and emscripten number errno
 * like WASI (EAGAIN 6, EINVAL 28, ETIMEDOUT 73, ...). Each function here calls weft's
 * import of the same name and translates its result. The first non-zero result asks the
 * runtime which numbering it uses (pthread_detach(0) is ESRCH: 3 or 71), so a runtime
 * that already answers WASI modules in WASI numbers is passed through unchanged.
 *
 * The C prototypes use plain words: every pthread type of both libraries is passed as an
 * i32 (a value or a pointer), which is all the wasm linker compares.
 *
 * Build with -DWEFT_SHIM_EMCC for emscripten (pthread_cond_timedwait then takes
 * emscripten's absolute `const struct timespec *` deadline), otherwise the WASI route
 * (weft's relative microsecond form, as in weft's pthread.h). */
#include <stdint.h>

#define WEFT_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

WEFT_IMPORT(pthread_create) int __weft_imp_pthread_create(void *, const void *, void *, void *);
WEFT_IMPORT(pthread_join) int __weft_imp_pthread_join(uintptr_t, void **);
WEFT_IMPORT(pthread_detach) int __weft_imp_pthread_detach(uintptr_t);
WEFT_IMPORT(pthread_cancel) int __weft_imp_pthread_cancel(uintptr_t);
WEFT_IMPORT(pthread_mutex_init) int __weft_imp_pthread_mutex_init(void *, const void *);
WEFT_IMPORT(pthread_mutex_lock) int __weft_imp_pthread_mutex_lock(void *);
WEFT_IMPORT(pthread_mutex_unlock) int __weft_imp_pthread_mutex_unlock(void *);
WEFT_IMPORT(pthread_mutex_destroy) int __weft_imp_pthread_mutex_destroy(void *);
WEFT_IMPORT(pthread_cond_init) int __weft_imp_pthread_cond_init(void *, const void *);
WEFT_IMPORT(pthread_cond_wait) int __weft_imp_pthread_cond_wait(void *, void *);
WEFT_IMPORT(pthread_cond_timedwait) int __weft_imp_pthread_cond_timedwait64(void *, void *,
                                                                            uint64_t);
WEFT_IMPORT(pthread_cond_signal) int __weft_imp_pthread_cond_signal(void *);
WEFT_IMPORT(pthread_cond_broadcast) int __weft_imp_pthread_cond_broadcast(void *);
WEFT_IMPORT(pthread_cond_destroy) int __weft_imp_pthread_cond_destroy(void *);
WEFT_IMPORT(pthread_key_create) int __weft_imp_pthread_key_create(void *, void *);
WEFT_IMPORT(pthread_setspecific) int __weft_imp_pthread_setspecific(uintptr_t, const void *);
WEFT_IMPORT(pthread_key_delete) int __weft_imp_pthread_key_delete(uintptr_t);

/* 0: not asked yet; 1: the runtime answers in libc-builtin (Linux) numbers; 2: in WASI's. */
static int weft_numbering;

static int weft_err(int rc) {
  if (rc == 0) return 0;
  int n = __atomic_load_n(&weft_numbering, __ATOMIC_RELAXED);
  if (n == 0) {
    n = __weft_imp_pthread_detach(0) == 71 ? 2 : 1;
    __atomic_store_n(&weft_numbering, n, __ATOMIC_RELAXED);
  }
  if (n == 2) return rc;
  switch (rc) {
  case 1: return 63;    /* EPERM */
  case 3: return 71;    /* ESRCH */
  case 11: return 6;    /* EAGAIN */
  case 12: return 48;   /* ENOMEM */
  case 16: return 10;   /* EBUSY */
  case 22: return 28;   /* EINVAL */
  case 35: return 16;   /* EDEADLK */
  case 110: return 73;  /* ETIMEDOUT */
  default: return rc;
  }
}

int pthread_create(void *t, const void *attr, void *start, void *arg) {
  return weft_err(__weft_imp_pthread_create(t, attr, start, arg));
}
int pthread_join(uintptr_t t, void **r) { return weft_err(__weft_imp_pthread_join(t, r)); }
int pthread_detach(uintptr_t t) { return weft_err(__weft_imp_pthread_detach(t)); }
int pthread_cancel(uintptr_t t) { return weft_err(__weft_imp_pthread_cancel(t)); }
int pthread_mutex_init(void *m, const void *a) {
  return weft_err(__weft_imp_pthread_mutex_init(m, a));
}
int pthread_mutex_lock(void *m) { return weft_err(__weft_imp_pthread_mutex_lock(m)); }
int pthread_mutex_unlock(void *m) { return weft_err(__weft_imp_pthread_mutex_unlock(m)); }
int pthread_mutex_destroy(void *m) { return weft_err(__weft_imp_pthread_mutex_destroy(m)); }
int pthread_cond_init(void *c, const void *a) {
  return weft_err(__weft_imp_pthread_cond_init(c, a));
}
int pthread_cond_wait(void *c, void *m) { return weft_err(__weft_imp_pthread_cond_wait(c, m)); }
int pthread_cond_signal(void *c) { return weft_err(__weft_imp_pthread_cond_signal(c)); }
int pthread_cond_broadcast(void *c) { return weft_err(__weft_imp_pthread_cond_broadcast(c)); }
int pthread_cond_destroy(void *c) { return weft_err(__weft_imp_pthread_cond_destroy(c)); }
int pthread_key_create(void *k, void *d) { return weft_err(__weft_imp_pthread_key_create(k, d)); }
int pthread_setspecific(uintptr_t k, const void *v) {
  return weft_err(__weft_imp_pthread_setspecific(k, v));
}
int pthread_key_delete(uintptr_t k) { return weft_err(__weft_imp_pthread_key_delete(k)); }

#ifdef WEFT_SHIM_EMCC
/* emscripten's POSIX form: an absolute CLOCK_REALTIME deadline. Its wasm type is the same
 * as weft's microsecond form, so the runtime cannot tell them apart: convert the deadline
 * to a relative count and use weft's 64-bit form ((i32, i32, i64) -> i32). emscripten
 * 3.1.6's time_t is a 32-bit long. */
struct weft_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int, struct weft_timespec *); /* emscripten's (WASI clock_time_get) */
int pthread_cond_timedwait(void *c, void *m, const struct weft_timespec *abstime) {
  if (!abstime || abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L) return 28;
  struct weft_timespec now;
  clock_gettime(0 /* CLOCK_REALTIME */, &now);
  long long us = ((long long)abstime->tv_sec - (long long)now.tv_sec) * 1000000LL +
                 ((long long)abstime->tv_nsec - (long long)now.tv_nsec) / 1000;
  if (us < 0) us = 0;
  return weft_err(__weft_imp_pthread_cond_timedwait64(c, m, (uint64_t)us));
}
#else
/* weft's form: a relative timeout in microseconds (weft's pthread.h). */
int pthread_cond_timedwait(void *c, void *m, unsigned useconds) {
  return weft_err(__weft_imp_pthread_cond_timedwait64(c, m, useconds));
}
#endif

/* nanosleep (and, in the WASI route, usleep and sleep, which wasi-libc implements over
 * clock_nanosleep) through weft's nanosleep import: it blocks in the host, a thread
 * cancelled or stopped while it sleeps ends at once, and *rem is written (as in the
 * libc-builtin route). The libc's own nanosleep.o (usleep.o, sleep.o) are removed from
 * the archive copy. weft's timespec: an 8-byte second count, then the nanoseconds. */
struct weft_ts { long long tv_sec; long tv_nsec; };
WEFT_IMPORT(nanosleep) int __weft_imp_nanosleep(const struct weft_ts *, struct weft_ts *);
#ifdef WEFT_SHIM_EMCC
int *__errno_location(void);
#define WEFT_SET_ERRNO(v) (*__errno_location() = (v))
/* emscripten 3.1.6's time_t is 32-bit: its timespec is two longs, converted here. */
struct weft_em_ts { long tv_sec; long tv_nsec; };
int nanosleep(const struct weft_em_ts *req, struct weft_em_ts *rem) {
  struct weft_ts r = {req->tv_sec, req->tv_nsec}, left = {0, 0};
  if (__weft_imp_nanosleep(&r, rem ? &left : 0) < 0) { WEFT_SET_ERRNO(28); return -1; }
  if (rem) { rem->tv_sec = (long)left.tv_sec; rem->tv_nsec = left.tv_nsec; }
  return 0;
}
#else
extern int errno; /* one global in this route (see weft-wasi-sysroot) */
/* wasi-libc's timespec has the same layout: *rem is passed straight to the host. */
int nanosleep(const struct weft_ts *req, struct weft_ts *rem) {
  if (__weft_imp_nanosleep(req, rem) < 0) { errno = 28; return -1; }
  return 0;
}
int usleep(unsigned useconds) {
  struct weft_ts ts = {useconds / 1000000u, (long)(useconds % 1000000u) * 1000};
  return nanosleep(&ts, 0);
}
unsigned sleep(unsigned seconds) {
  struct weft_ts ts = {seconds, 0}, rem = {0, 0};
  if (__weft_imp_nanosleep(&ts, &rem) < 0) return seconds;
  return 0;
}

/* stdout is line-buffered in threaded programs (a pipe or file would otherwise be fully
 * buffered): output written before main's pthread_exit, or by threads still running when
 * the last one ends, is not left in a buffer that exit() never flushes. */
typedef struct _IO_FILE FILE;
extern FILE *const stdout;
int setvbuf(FILE *, char *, int, unsigned long);
__attribute__((constructor)) static void weft_stdout_line_buffered(void) {
  setvbuf(stdout, 0, 1 /* _IOLBF */, 0);
}
#endif
