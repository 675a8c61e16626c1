/* shim.h — the few primitives the thread benchmark kernels need, for both builds:
 * wasm32 (clang -matomics: memory.atomic.wait32/notify builtins) and native Linux
 * (futex syscalls). Plain atomics use the __atomic builtins, which both compilers lower
 * to the machine's (or wasm's) atomic instructions.
 *
 * Every kernel defines, with THR_EXPORT:
 *   void setup(int n);                  reset shared state (one thread, before workers)
 *   long long worker(int id, int n);    the measured work of thread id (0 or 1)
 *   long long result(void);             checksum after both workers returned
 */
#ifndef BENCH_THREADS_SHIM_H
#define BENCH_THREADS_SHIM_H

#ifdef __wasm__
#define THR_EXPORT(name) __attribute__((export_name(#name)))
/* Blocks while *p == expected (until a notify); spurious returns are allowed. */
static inline void thr_wait32(int *p, int expected) {
  (void)__builtin_wasm_memory_atomic_wait32(p, expected, -1LL);
}
/* Wakes up to n threads waiting on p. */
static inline void thr_notify(int *p, unsigned n) { (void)__builtin_wasm_memory_atomic_notify(p, n); }
#else
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#define THR_EXPORT(name)
static inline void thr_wait32(int *p, int expected) {
  syscall(SYS_futex, p, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}
static inline void thr_notify(int *p, unsigned n) {
  syscall(SYS_futex, p, FUTEX_WAKE_PRIVATE, (int)n, NULL, NULL, 0);
}
#endif

#define THR_SEQ __ATOMIC_SEQ_CST

#endif
