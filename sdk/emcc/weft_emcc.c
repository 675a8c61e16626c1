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
 * - weft's pthread functions (sdk/shim/weft_pthread.c): weft returns libc-builtin (Linux)
 *   error numbers, emscripten numbers errno like WASI; the wrappers translate.
 * - emscripten_thread_sleep (where sleep/usleep/nanosleep end): weft's nanosleep import.
 * - __pthread_mutex_unlock, __pthread_join, __pthread_exit, __pthread_key_create,
 *   __pthread_key_delete: musl-internal names some libc objects call; forwarded to weft's
 *   functions. */
#include <stdint.h>

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

/* weft's pthread functions with errno translation and the timespec timedwait. */
#define WEFT_SHIM_EMCC 1
#include "../shim/weft_pthread.c"

_Noreturn void pthread_exit(void *r);
int __pthread_mutex_unlock(void *m) { return pthread_mutex_unlock(m); }
int __pthread_join(uintptr_t t, void **r) { return pthread_join(t, r); }
_Noreturn void __pthread_exit(void *r) { pthread_exit(r); }
int __pthread_key_create(void *k, void *d) { return pthread_key_create(k, d); }
int __pthread_key_delete(uintptr_t k) { return pthread_key_delete(k); }

/* sleep, usleep and nanosleep in emscripten's libc end in emscripten_thread_sleep (the stub
 * object had it): weft's nanosleep blocks in the host, and a thread cancelled or stopped
 * while it sleeps ends at once. */
void emscripten_thread_sleep(double msecs) {
  if (!(msecs > 0)) return;
  struct weft_ts ts; /* weft's layout (sdk/shim/weft_pthread.c) */
  ts.tv_sec = (long long)(msecs / 1000.0);
  ts.tv_nsec = (long)((msecs - (double)ts.tv_sec * 1000.0) * 1000000.0);
  if (ts.tv_nsec > 999999999L) ts.tv_nsec = 999999999L;
  if (ts.tv_nsec < 0) ts.tv_nsec = 0;
  __weft_imp_nanosleep(&ts, 0);
}
