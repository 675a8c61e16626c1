/* lb_sleep.c — libc-builtin's sleeps: sleep, usleep, nanosleep.
 *
 * A sleep blocks in the OS as a timed wait in the wait queues (runtime/waitq.c) on a word
 * private to the call (on this host stack: no guest address can equal it, so nothing ever
 * notifies it). That makes it stoppable like any blocked wait: when the exec is asked to
 * stop (pthread_cancel, exit or a trap in another thread, main returning), wwait_wait
 * returns -1 with WEFT_TRAP_TERMINATED at once and the host function returns that trap, so
 * the thread unwinds instead of finishing its sleep. There is no EINTR: nothing else
 * interrupts a sleep, and a stopped thread never sees the return value.
 *
 * nanosleep's guest layout (wasm32): struct timespec { long long tv_sec; long tv_nsec; }
 * (16 bytes, 12 read/written). Bad pointers trap as elsewhere in libc-builtin. An invalid
 * timespec (tv_sec < 0, tv_nsec outside [0, 999999999]) returns -1; the sysroot's inline
 * nanosleep (time.h) turns that into errno = EINVAL, as libc-builtin's functions cannot
 * reach the guest's errno themselves. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <string.h>
#include "../runtime/waitq.h"
#include "libc_internal.h"

#define NS_PER_SEC INT64_C(1000000000)

/* Blocks for ns nanoseconds (ns < 0: forever). WEFT_TRAP_NONE when the time has passed;
 * WEFT_TRAP_TERMINATED when the exec was asked to stop, with the time still left in
 * *left_ns (when left_ns is not NULL). */
static wtrap sleep_ns(wexec *e, int64_t ns, uint64_t *left_ns) {
  uint32_t word = 0;   /* the private word: nobody notifies it, so only time or stop ends */
  bool forever = ns < 0;
  uint64_t now = wplat_now_ns();
  uint64_t deadline = now + (uint64_t)(forever ? 0 : ns);
  if (!forever && deadline < now) forever = true;  /* past the clock's range */
  for (;;) {
    int64_t t = forever ? -1 : (int64_t)(deadline - now);
    wtrap trap = WEFT_TRAP_NONE;
    int32_t r = wwait_wait(e, &word, 0, false, t, &trap);
    if (r < 0) {
      if (left_ns) {
        uint64_t n = wplat_now_ns();
        *left_ns = forever ? UINT64_MAX : n < deadline ? deadline - n : 0;
      }
      return trap;
    }
    now = wplat_now_ns();
    if (!forever && (r == 2 || now >= deadline)) return WEFT_TRAP_NONE;
    /* 0 or 1 cannot happen on a private word that stays 0; wait again regardless. */
  }
}

/* unsigned sleep(unsigned seconds) -> 0 (the whole time slept). */
weft_trap lb_sleep(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  wtrap t = sleep_ns(exec, (int64_t)s[0].i32 * NS_PER_SEC, NULL);
  s[0].i32 = 0;
  return t;
}

/* int usleep(useconds_t usec) -> 0. Any count is accepted (as glibc does), also >= 1e6. */
weft_trap lb_usleep(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  wtrap t = sleep_ns(exec, (int64_t)s[0].i32 * 1000, NULL);
  s[0].i32 = 0;
  return t;
}

/* int nanosleep(const struct timespec *req, struct timespec *rem) -> 0, or -1 for an
 * invalid *req (EINVAL in the sysroot's wrapper). rem (may be NULL) is checked before the
 * sleep and written only when the sleep is cut short by a stop request. */
weft_trap lb_nanosleep(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  const uint8_t *req = lb_range(&c, "nanosleep", s[0].i32, 12);
  if (!req) return WEFT_TRAP_HOST;
  uint8_t *rem = NULL;
  if (s[1].i32) {
    rem = lb_range(&c, "nanosleep", s[1].i32, 12);
    if (!rem) return WEFT_TRAP_HOST;
  }
  int64_t sec;
  int32_t nsec;
  memcpy(&sec, req, 8);
  memcpy(&nsec, req + 8, 4);
  if (sec < 0 || nsec < 0 || nsec >= NS_PER_SEC) {
    s[0].i32 = (uint32_t)-1;
    return WEFT_TRAP_NONE;
  }
  /* Seconds beyond what int64 nanoseconds hold (~292 years) sleep until stopped. */
  int64_t ns = sec > INT64_MAX / NS_PER_SEC - 1 ? -1 : sec * NS_PER_SEC + nsec;
  uint64_t left = 0;
  wtrap t = sleep_ns(exec, ns, &left);
  if (t != WEFT_TRAP_NONE && rem) {
    int64_t lsec = left == UINT64_MAX ? sec : (int64_t)(left / NS_PER_SEC);
    int32_t lnsec = left == UINT64_MAX ? nsec : (int32_t)(left % NS_PER_SEC);
    memcpy(rem, &lsec, 8);
    memcpy(rem + 8, &lnsec, 4);
  }
  s[0].i32 = 0;
  return t;
}
