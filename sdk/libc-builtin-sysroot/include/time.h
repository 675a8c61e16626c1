/* time.h — libc-builtin sysroot: clocks and nanosleep (no calendar functions). */
#ifndef _WEFT_TIME_H
#define _WEFT_TIME_H
#include "_weft_cdefs.h"
#include <errno.h>
#include <stddef.h>

typedef long long time_t;
typedef long long clock_t;
typedef int clockid_t;

/* 16 bytes on wasm32: an 8-byte second count, then the nanoseconds. */
struct timespec {
  time_t tv_sec;
  long tv_nsec;
};

/* Clock ids (Linux's numbers). */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCKS_PER_SEC ((clock_t)1000000)

_WEFT_BEGIN
/* Processor time used by the process, in CLOCKS_PER_SEC units (microseconds). */
clock_t clock(void);
/* Reads one of the clocks above; 0 on success, -1 for an unknown id. */
int clock_gettime(clockid_t id, struct timespec *ts);
/* Seconds since the Epoch; also stored at *t when t is not NULL. */
time_t time(time_t *t);

/* The runtime's nanosleep (import env.nanosleep): 0, or -1 for an invalid *req. */
__attribute__((__import_module__("env"), __import_name__("nanosleep"))) int
__weft_nanosleep(const struct timespec *req, struct timespec *rem);
/* Sleeps for *req (blocking, no spinning). 0 when the time has passed; -1 with errno =
 * EINVAL when tv_sec < 0 or tv_nsec is outside [0, 999999999]. A thread cancelled or
 * stopped (exit, trap, main returning) while it sleeps ends at once; *rem (when not NULL)
 * then holds the time left. There are no signals, so no EINTR. */
static inline int nanosleep(const struct timespec *req, struct timespec *rem) {
  int r = __weft_nanosleep(req, rem);
  if (r < 0) errno = EINVAL;
  return r;
}
_WEFT_END

#endif
