/* lb_time.c — libc-builtin's clocks: clock, clock_gettime, time, gettimeofday. Guest
 * layouts (wasm32): struct timespec { long long tv_sec; long tv_nsec; } and struct timeval
 * { long long tv_sec; long tv_usec; }, 16 bytes each (12 written). Clock ids follow Linux:
 * 0 REALTIME, 1 MONOTONIC, 2 PROCESS_CPUTIME_ID, 3 THREAD_CPUTIME_ID. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, sigjmp_buf */
#include <string.h>
#include <time.h>
#include "libc_internal.h"

/* Stores seconds (8 bytes) then a 32-bit sub-second count at off. */
static wtrap store_time(lb_ctx *c, const char *fn, uint32_t off, int64_t sec, int32_t sub) {
  uint8_t *p = lb_range(c, fn, off, 12);
  if (!p) return WEFT_TRAP_HOST;
  memcpy(p, &sec, 8);
  memcpy(p + 8, &sub, 4);
  return WEFT_TRAP_NONE;
}

static bool host_clock(int32_t id, struct timespec *ts) {
  clockid_t h;
  switch (id) {
  case 0: h = CLOCK_REALTIME; break;
  case 1: h = CLOCK_MONOTONIC; break;
  case 2: h = CLOCK_PROCESS_CPUTIME_ID; break;
  case 3: h = CLOCK_THREAD_CPUTIME_ID; break;
  default: return false;
  }
  return clock_gettime(h, ts) == 0;
}

weft_trap lb_clock(weft_exec *exec, void *att, weft_slot *s) {
  (void)exec;
  (void)att;
  struct timespec ts;
  int64_t us = host_clock(2, &ts) ? (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 : -1;
  s[0].i64 = (uint64_t)us;   /* CLOCKS_PER_SEC is 1000000 */
  return WEFT_TRAP_NONE;
}

weft_trap lb_clock_gettime(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  struct timespec ts;
  if (!host_clock((int32_t)s[0].i32, &ts)) {
    s[0].i32 = (uint32_t)-1;
    return WEFT_TRAP_NONE;
  }
  wtrap t = store_time(&c, "clock_gettime", s[1].i32, ts.tv_sec, (int32_t)ts.tv_nsec);
  s[0].i32 = 0;
  return t;
}

weft_trap lb_time(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  struct timespec ts;
  int64_t now = host_clock(0, &ts) ? (int64_t)ts.tv_sec : -1;
  if (s[0].i32) {
    uint8_t *p = lb_range(&c, "time", s[0].i32, 8);
    if (!p) return WEFT_TRAP_HOST;
    memcpy(p, &now, 8);
  }
  s[0].i64 = (uint64_t)now;
  return WEFT_TRAP_NONE;
}

weft_trap lb_gettimeofday(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  struct timespec ts;
  if (!host_clock(0, &ts)) {
    s[0].i32 = (uint32_t)-1;
    return WEFT_TRAP_NONE;
  }
  wtrap t = s[0].i32 ? store_time(&c, "gettimeofday", s[0].i32, ts.tv_sec,
                                  (int32_t)(ts.tv_nsec / 1000))
                     : WEFT_TRAP_NONE;
  s[0].i32 = 0;   /* the timezone argument is ignored */
  return t;
}
