/* wasi_proc.c — clocks, randomness, scheduling and process functions: clock_res_get,
 * clock_time_get, random_get, sched_yield, proc_exit, proc_raise. */
#define _GNU_SOURCE
#include "wasi.h"   /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <errno.h>
#include <sched.h>
#include <sys/random.h>
#include <time.h>

/* The host clock of a WASI clockid (realtime, monotonic, process/thread cputime); false
 * for an unknown id. */
static bool host_clock(uint32_t id, clockid_t *out) {
  switch (id) {
  case 0: *out = CLOCK_REALTIME; return true;
  case 1: *out = CLOCK_MONOTONIC; return true;
  case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

/* Reads WASI clock id into *ns: 0, WASI_EINVAL (unknown id) or the host's error. */
uint16_t wasi_clock_now(uint32_t id, uint64_t *ns) {
  clockid_t cl;
  struct timespec ts;
  if (!host_clock(id, &cl)) return WASI_EINVAL;
  if (clock_gettime(cl, &ts) != 0) return wasi_errno(errno);
  *ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  return 0;
}

uint16_t wasih_clock_res_get(wasi_call *c, const weft_slot *a) {
  clockid_t cl;
  struct timespec ts;
  if (!host_clock(a[0].i32, &cl)) return WASI_EINVAL;
  if (clock_getres(cl, &ts) != 0) return wasi_errno(errno);
  return wasi_put64(c, a[1].i32, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

uint16_t wasih_clock_time_get(wasi_call *c, const weft_slot *a) {
  uint64_t ns = 0;   /* a[1] is the precision: a hint, ignored */
  uint16_t r = wasi_clock_now(a[0].i32, &ns);
  return r ? r : wasi_put64(c, a[2].i32, ns);
}

uint16_t wasih_random_get(wasi_call *c, const weft_slot *a) {
  uint32_t len = a[1].i32;
  uint8_t *p = wasi_mem(c, a[0].i32, len);
  if (!p) return WASI_EFAULT;
  while (len) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return wasi_errno(errno);
    }
    p += n;
    len -= (uint32_t)n;
  }
  return 0;
}

uint16_t wasih_sched_yield(wasi_call *c, const weft_slot *a) {
  (void)c;
  (void)a;
  sched_yield();
  return 0;
}

/* Ends the whole program from any thread, as libc exit does: the thread manager stops the
 * other threads and the outermost call reports WEFT_TRAP_EXIT with this code. */
uint16_t wasih_proc_exit(wasi_call *c, const weft_slot *a) {
  int32_t code = (int32_t)a[0].i32;
  bool first = false;
  if (atomic_compare_exchange_strong(&c->ctx->exited, &first, true))
    atomic_store(&c->ctx->exit_code, code);
  c->trap = weft_exec_exit(c->exec, code);
  return 0;
}

/* Signals are not supported (the spec's own advice for preview1 hosts). */
uint16_t wasih_proc_raise(wasi_call *c, const weft_slot *a) {
  (void)c;
  (void)a;
  return WASI_ENOSYS;
}
