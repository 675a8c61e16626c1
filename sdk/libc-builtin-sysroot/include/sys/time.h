/* sys/time.h — libc-builtin sysroot: gettimeofday. */
#ifndef _WEFT_SYS_TIME_H
#define _WEFT_SYS_TIME_H
#include "../_weft_cdefs.h"
#include <time.h>

/* 16 bytes on wasm32: an 8-byte second count, then the microseconds. */
struct timeval {
  time_t tv_sec;
  long tv_usec;
};

_WEFT_BEGIN
/* The time of day (CLOCK_REALTIME) in *tv; tz must be NULL. 0 on success. */
int gettimeofday(struct timeval *__restrict tv, void *__restrict tz);
_WEFT_END

#endif
