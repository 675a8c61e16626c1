/* time.h — libc-builtin sysroot: clocks only (no calendar functions). */
#ifndef _WEFT_TIME_H
#define _WEFT_TIME_H
#include "_weft_cdefs.h"
#include <stddef.h>

typedef long long time_t;
typedef long long clock_t;
typedef int clockid_t;

/* 16 bytes on wasm32: an 8-byte second count, then the nanoseconds. */
struct timespec {
  time_t tv_sec;
  long tv_nsec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCKS_PER_SEC 1000000LL

_WEFT_BEGIN
/* Processor time used by the program, in CLOCKS_PER_SEC units. */
clock_t clock(void);
/* Reads clock id (CLOCK_REALTIME or CLOCK_MONOTONIC); 0 on success, -1 on error. */
int clock_gettime(clockid_t id, struct timespec *ts);
_WEFT_END

#endif
