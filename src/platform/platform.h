/* platform.h — the OS layer: everything weft needs from the host OS, behind one header.
 * posix.c implements it for Linux/POSIX; another OS adds its own file. */
#ifndef WEFT_PLATFORM_H
#define WEFT_PLATFORM_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef pthread_mutex_t wplat_mutex;
typedef pthread_cond_t wplat_cond;
typedef pthread_once_t wplat_once;
#define WPLAT_ONCE_INIT PTHREAD_ONCE_INIT

/* Reserves `size` bytes of address space, inaccessible. NULL on failure. */
void *wplat_reserve(size_t size);
/* Makes [addr, addr+size) readable and writable (committed, zero-filled). 0 on success. */
int wplat_commit(void *addr, size_t size);
/* Releases a reservation made by wplat_reserve. */
void wplat_release(void *addr, size_t size);
/* System page size. */
size_t wplat_page_size(void);

void wplat_mutex_init(wplat_mutex *m);
void wplat_mutex_destroy(wplat_mutex *m);
void wplat_mutex_lock(wplat_mutex *m);
void wplat_mutex_unlock(wplat_mutex *m);

/* Initialises a condition variable whose timed waits use wplat_now_ns()'s clock. */
void wplat_cond_init(wplat_cond *c);
/* Destroys a condition variable nobody waits on. */
void wplat_cond_destroy(wplat_cond *c);
/* Atomically unlocks m and blocks until signalled (or spuriously woken); relocks m. */
void wplat_cond_wait(wplat_cond *c, wplat_mutex *m);
/* Like wplat_cond_wait, but gives up at deadline_ns (wplat_now_ns() clock); true if the
 * deadline passed. m is held again on return either way. */
bool wplat_cond_timedwait(wplat_cond *c, wplat_mutex *m, uint64_t deadline_ns);
/* Wakes at least one thread blocked on c (if any). */
void wplat_cond_signal(wplat_cond *c);
/* Wakes every thread blocked on c. */
void wplat_cond_broadcast(wplat_cond *c);

/* Runs fn exactly once per `once` object (initialise it with WPLAT_ONCE_INIT); every
 * caller returns only after fn has finished. */
void wplat_call_once(wplat_once *once, void (*fn)(void));

/* Number of CPUs this process may run on (its affinity mask; read once, then cached);
 * at least 1. Spinning before sleeping only pays when it is above 1. */
int wplat_cpu_count(void);

/* Monotonic clock in nanoseconds. */
uint64_t wplat_now_ns(void);

/* Installs (once per process) the fault handler that turns an access into a guarded
 * memory reservation into a trap: it calls `on_fault(addr, ctx)` (ctx: the OS's signal
 * context, for wplat_ctx_find_reg); if that returns true the handler does not return (it
 * longjmps). Also sets up an alternate signal stack for the calling thread (call
 * wplat_thread_init on every thread that runs wasm). */
void wplat_install_fault_handler(bool (*on_fault)(void *addr, const void *ctx));
/* Looks through the general-purpose registers saved in a signal context for a value in
 * [lo, hi) — e.g. the interpreter's instruction pointer — and stores it in *out. Returns
 * false when none matches or the platform cannot inspect contexts. */
bool wplat_ctx_find_reg(const void *ctx, uintptr_t lo, uintptr_t hi, uintptr_t *out);
/* The program counter and frame pointer saved in a signal context (x86-64 and AArch64
 * Linux), for backtraces of AOT code; false where the layout is unknown. */
bool wplat_ctx_pc_fp(const void *ctx, uintptr_t *pc, uintptr_t *fp);
/* The calling OS thread's stack [*lo, *hi) (lo = lowest usable address), looked up once
 * per thread and cached; false when the OS cannot tell. Async-signal-safe after the first
 * call on the thread. */
bool wplat_thread_stack(uintptr_t *lo, uintptr_t *hi);
/* ---- interrupting a running thread (stop requests reaching AOT code in a loop) ----
 * Installs (once per process) `on_interrupt(ctx)` as the handler of weft's interrupt
 * signal (Linux: SIGRTMIN+6, SA_RESTART) and returns true; false where the platform has
 * no such signal. The handler may longjmp; when it returns, the thread resumes. */
bool wplat_install_interrupt_handler(void (*on_interrupt)(const void *ctx));
/* The calling thread's OS id (Linux tid; cached per thread, never 0), for
 * wplat_thread_interrupt. */
int wplat_thread_tid(void);
/* Sends the interrupt signal to thread `tid` of this process (harmless if it has ended:
 * a recycled tid gets a signal whose handler finds nothing to do). */
void wplat_thread_interrupt(int tid);

/* OS threads (the pthread library's created threads). */
typedef pthread_t wplat_thread;
/* Starts fn(arg) on a new joinable OS thread with a stack of at least stack_bytes (0 = the
 * OS default). 0 on success, else an errno value (EAGAIN when the OS is out of threads). */
int wplat_thread_create(wplat_thread *t, size_t stack_bytes, void *(*fn)(void *), void *arg);
/* Waits for a thread started by wplat_thread_create to end and frees its OS resources. */
void wplat_thread_join(wplat_thread t);

/* Per-thread setup (alternate signal stack). Idempotent. */
void wplat_thread_init(void);
/* Per-thread teardown (frees the alternate signal stack). */
void wplat_thread_destroy(void);

#endif
