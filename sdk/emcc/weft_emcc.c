/* weft_emcc.c — added to the libc archives of weft's private emscripten cache
 * (sdk/bin/weft-emcc-cache) in place of library_pthread_stub.o and pthread_self.o.
 *
 * - __lock/__unlock: musl's internal lock (atexit, locales, mmap, ...), which the stub
 *   object defined as no-ops. Here a three-state futex lock on memory.atomic.wait32/notify
 *   (0 free, 1 held, 2 held with waiters); only these two functions touch the word.
 * - pthread_cond_timedwait: emscripten's <pthread.h> declares the POSIX form, an absolute
 *   CLOCK_REALTIME deadline behind a `const struct timespec *`. Its wasm type (i32 i32 i32)
 *   -> i32 is the same as weft's microsecond form, so the runtime cannot tell the two
 *   apart; this function converts the deadline to a relative microsecond count and calls
 *   weft's 64-bit import (env.pthread_cond_timedwait, (i32 i32 i64) -> i32).
 * - __pthread_mutex_unlock, __pthread_join, __pthread_exit, __pthread_key_create,
 *   __pthread_key_delete: musl-internal names some libc objects call; forwarded to weft's
 *   functions. */
#include <errno.h>
#include <pthread.h>
#include <time.h>

void __lock(volatile int *l) {
  int c = __sync_val_compare_and_swap(l, 0, 1);
  if (c == 0) return;
  do {
    if (c == 2 || __sync_val_compare_and_swap(l, 1, 2) != 0)
      __builtin_wasm_memory_atomic_wait32((int *)l, 2, -1);
  } while ((c = __sync_val_compare_and_swap(l, 0, 2)) != 0);
}

void __unlock(volatile int *l) {
  if (__atomic_exchange_n(l, 0, __ATOMIC_SEQ_CST) == 2)
    __builtin_wasm_memory_atomic_notify((int *)l, 1);
}

__attribute__((import_module("env"), import_name("pthread_cond_timedwait"))) int
__weft_cond_timedwait_us64(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           unsigned long long useconds);

int pthread_cond_timedwait(pthread_cond_t *restrict cond, pthread_mutex_t *restrict mutex,
                           const struct timespec *restrict abstime) {
  if (!abstime || abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L) return EINVAL;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  long long us = ((long long)abstime->tv_sec - (long long)now.tv_sec) * 1000000LL +
                 ((long long)abstime->tv_nsec - (long long)now.tv_nsec) / 1000;
  if (us < 0) us = 0;
  return __weft_cond_timedwait_us64(cond, mutex, (unsigned long long)us);
}

int __pthread_mutex_unlock(pthread_mutex_t *m) { return pthread_mutex_unlock(m); }
int __pthread_join(pthread_t t, void **r) { return pthread_join(t, r); }
_Noreturn void __pthread_exit(void *r) { pthread_exit(r); }
int __pthread_key_create(pthread_key_t *k, void (*d)(void *)) { return pthread_key_create(k, d); }
int __pthread_key_delete(pthread_key_t k) { return pthread_key_delete(k); }
