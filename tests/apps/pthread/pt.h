/* pt.h — helpers shared by the pthread test programs (libc-builtin route, -pthread).
 *
 * CHECK(cond) prints the failed condition with its line on stdout and exits 99, so the
 * runner's stdout diff shows what went wrong. sleep_ms() blocks in memory.atomic.wait32
 * on a cell nobody notifies (libc-builtin has no sleep function); now_ms() reads
 * CLOCK_MONOTONIC. rcname() spells a pthread return value (0, EAGAIN, ...). */
#ifndef PT_H
#define PT_H
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      printf("CHECK failed, line %d: %s\n", __LINE__, #cond);         \
      exit(99);                                                       \
    }                                                                 \
  } while (0)

/* CHECK_RC(call, want): call returns the pthread error number want. */
#define CHECK_RC(call, want)                                                        \
  do {                                                                              \
    int rc_ = (call);                                                               \
    if (rc_ != (want)) {                                                            \
      printf("CHECK failed, line %d: %s returned %s (%d), want %s\n", __LINE__, #call, \
             rcname(rc_), rc_, rcname(want));                                       \
      exit(99);                                                                     \
    }                                                                               \
  } while (0)

static inline const char *rcname(int rc) {
  switch (rc) {
  case 0: return "0";
  case EPERM: return "EPERM";
  case ESRCH: return "ESRCH";
  case EAGAIN: return "EAGAIN";
  case EBUSY: return "EBUSY";
  case EINVAL: return "EINVAL";
  case EDEADLK: return "EDEADLK";
  case ETIMEDOUT: return "ETIMEDOUT";
  default: return "other";
  }
}

static inline long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int pt_sleep_cell;
static inline void sleep_ms(int ms) {
  __builtin_wasm_memory_atomic_wait32(&pt_sleep_cell, 0, (long long)ms * 1000000);
}

/* An int-sized value as a start routine's argument or result, and back. */
#define IV(x) ((void *)(uintptr_t)(x))
#define VI(p) ((int)(uintptr_t)(p))

#endif
