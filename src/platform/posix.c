/* posix.c — platform.h for Linux/POSIX: mmap reservations, pthread mutexes, condition
 * variables and once-initialisation, the monotonic clock, and the SIGSEGV/SIGBUS handler
 * that turns guard-page hits into wasm traps. */
#define _GNU_SOURCE
#include "platform.h"
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <sched.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

void *wplat_reserve(size_t size) {
  if (size == 0) size = wplat_page_size();
  void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

int wplat_commit(void *addr, size_t size) {
  if (size == 0) return 0;
  return mprotect(addr, size, PROT_READ | PROT_WRITE) == 0 ? 0 : -1;
}

void wplat_release(void *addr, size_t size) {
  if (!addr) return;
  if (size == 0) size = wplat_page_size();
  munmap(addr, size);
}

/* Cached in an atomic: runtimes may be created (and memories allocated) on several
 * threads at once; racing first callers store the same value. */
size_t wplat_page_size(void) {
  static _Atomic size_t ps;
  size_t v = atomic_load_explicit(&ps, memory_order_relaxed);
  if (!v) {
    long sc = sysconf(_SC_PAGESIZE);
    v = sc > 0 ? (size_t)sc : 4096;
    atomic_store_explicit(&ps, v, memory_order_relaxed);
  }
  return v;
}

void wplat_mutex_init(wplat_mutex *m) { pthread_mutex_init(m, NULL); }

int wplat_thread_create(wplat_thread *t, size_t stack_bytes, void *(*fn)(void *), void *arg) {
  pthread_attr_t a;
  int rc = pthread_attr_init(&a);
  if (rc) return rc;
  if (stack_bytes) pthread_attr_setstacksize(&a, stack_bytes);
  rc = pthread_create(t, &a, fn, arg);
  pthread_attr_destroy(&a);
  return rc;
}

void wplat_thread_join(wplat_thread t) { pthread_join(t, NULL); }
void wplat_mutex_destroy(wplat_mutex *m) { pthread_mutex_destroy(m); }
void wplat_mutex_lock(wplat_mutex *m) { pthread_mutex_lock(m); }
void wplat_mutex_unlock(wplat_mutex *m) { pthread_mutex_unlock(m); }

void wplat_cond_init(wplat_cond *c) {
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);  /* the clock of wplat_now_ns */
  pthread_cond_init(c, &a);
  pthread_condattr_destroy(&a);
}
void wplat_cond_destroy(wplat_cond *c) { pthread_cond_destroy(c); }
void wplat_cond_wait(wplat_cond *c, wplat_mutex *m) { pthread_cond_wait(c, m); }
void wplat_cond_signal(wplat_cond *c) { pthread_cond_signal(c); }
void wplat_cond_broadcast(wplat_cond *c) { pthread_cond_broadcast(c); }

bool wplat_cond_timedwait(wplat_cond *c, wplat_mutex *m, uint64_t deadline_ns) {
  struct timespec ts;
  ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
  ts.tv_nsec = (long)(deadline_ns % 1000000000u);
  return pthread_cond_timedwait(c, m, &ts) == ETIMEDOUT;
}

void wplat_call_once(wplat_once *once, void (*fn)(void)) { pthread_once(once, fn); }

uint64_t wplat_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- fault handling ---- */

/* Set by every weft_runtime_new (possibly on several threads at once) and read by the
 * signal handler on any thread: atomic (lock-free, so async-signal-safe). */
typedef bool (*fault_fn)(void *addr, const void *ctx);
static _Atomic(fault_fn) g_on_fault;
static struct sigaction g_old_segv, g_old_bus;
static pthread_once_t g_handler_once = PTHREAD_ONCE_INIT;

/* Not ours: hand the signal to whoever had it before, or die with the default action. */
static void chain(int sig, siginfo_t *info, void *ctx) {
  struct sigaction *old = sig == SIGSEGV ? &g_old_segv : &g_old_bus;
  if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
    old->sa_sigaction(sig, info, ctx);
    return;
  }
  if (!(old->sa_flags & SA_SIGINFO) && old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
    return;
  }
  /* Restore the default action: returning re-executes the faulting instruction (hardware
   * faults) and the pending raise covers signals sent by kill/raise. */
  signal(sig, SIG_DFL);
  raise(sig);
}

static void fault_handler(int sig, siginfo_t *info, void *ctx) {
  int saved = errno;
  fault_fn on_fault = atomic_load_explicit(&g_on_fault, memory_order_acquire);
  if (on_fault && on_fault(info->si_addr, ctx)) return; /* on_fault longjmps; not reached */
  errno = saved;
  chain(sig, info, ctx);
}

static void install_once(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fault_handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &g_old_segv);
  sigaction(SIGBUS, &sa, &g_old_bus);
}

/* ---- the interrupt signal ---- */

typedef void (*interrupt_fn)(const void *ctx);
static _Atomic(interrupt_fn) g_on_interrupt;
static struct sigaction g_old_interrupt;
static pthread_once_t g_interrupt_once = PTHREAD_ONCE_INIT;

#ifdef __linux__
#include <sys/syscall.h>
#define INTERRUPT_SIGNAL (SIGRTMIN + 6)

static void interrupt_handler(int sig, siginfo_t *info, void *ctx) {
  int saved = errno;
  interrupt_fn fn = atomic_load_explicit(&g_on_interrupt, memory_order_acquire);
  if (fn) fn(ctx);   /* longjmps when it stops the thread */
  /* someone else's signal (or a stale one): pass it on to a previous handler */
  if (info && info->si_code != SI_TKILL && (g_old_interrupt.sa_flags & SA_SIGINFO) &&
      g_old_interrupt.sa_sigaction)
    g_old_interrupt.sa_sigaction(sig, info, ctx);
  errno = saved;
}

static void install_interrupt_once(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = interrupt_handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(INTERRUPT_SIGNAL, &sa, &g_old_interrupt);
}

bool wplat_install_interrupt_handler(void (*on_interrupt)(const void *ctx)) {
  atomic_store_explicit(&g_on_interrupt, on_interrupt, memory_order_release);
  pthread_once(&g_interrupt_once, install_interrupt_once);
  return true;
}

static _Thread_local int t_tid;

int wplat_thread_tid(void) {
  if (!t_tid) t_tid = (int)syscall(SYS_gettid);
  return t_tid;
}

void wplat_thread_interrupt(int tid) {
  if (tid > 0) syscall(SYS_tgkill, (long)getpid(), (long)tid, (long)INTERRUPT_SIGNAL);
}
#else
bool wplat_install_interrupt_handler(void (*on_interrupt)(const void *ctx)) {
  (void)on_interrupt, (void)g_on_interrupt, (void)g_old_interrupt, (void)g_interrupt_once;
  return false;
}
int wplat_thread_tid(void) { return 1; }
void wplat_thread_interrupt(int tid) { (void)tid; }
#endif

bool wplat_ctx_find_reg(const void *ctx, uintptr_t lo, uintptr_t hi, uintptr_t *out) {
  const ucontext_t *uc = ctx;
  if (!uc) return false;
#if defined(__linux__) && defined(__x86_64__)
  const greg_t *r = uc->uc_mcontext.gregs;
  const int n = NGREG;
#elif defined(__linux__) && defined(__aarch64__)
  const unsigned long long *r = uc->uc_mcontext.regs;
  const int n = 31;
#else
  const long *r = NULL;  /* unknown register layout: backtraces fall back to call sites */
  const int n = 0;
#endif
  for (int i = 0; i < n; i++) {
    uintptr_t v = (uintptr_t)r[i];
    if (v >= lo && v < hi) { *out = v; return true; }
  }
  return false;
}

bool wplat_ctx_pc_fp(const void *ctx, uintptr_t *pc, uintptr_t *fp) {
  const ucontext_t *uc = ctx;
  if (!uc) return false;
#if defined(__linux__) && defined(__x86_64__)
  *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  *fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
  return true;
#elif defined(__linux__) && defined(__aarch64__)
  *pc = (uintptr_t)uc->uc_mcontext.pc;
  *fp = (uintptr_t)uc->uc_mcontext.regs[29];
  return true;
#else
  (void)pc, (void)fp;
  return false;
#endif
}

/* Per thread: 0 = not looked up, 1 = known, 2 = unknown. */
static _Thread_local int t_stack_state;
static _Thread_local uintptr_t t_stack_lo, t_stack_hi;

bool wplat_thread_stack(uintptr_t *lo, uintptr_t *hi) {
  if (!t_stack_state) {
    pthread_attr_t a;
    void *addr = NULL;
    size_t size = 0;
    t_stack_state = 2;
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
      if (pthread_attr_getstack(&a, &addr, &size) == 0 && addr && size) {
        t_stack_lo = (uintptr_t)addr;
        t_stack_hi = (uintptr_t)addr + size;
        /* the guard area (if reported inside the range) is not usable */
        size_t guard = 0;
        if (pthread_attr_getguardsize(&a, &guard) == 0 && guard < size / 2) t_stack_lo += guard;
        t_stack_state = 1;
      }
      pthread_attr_destroy(&a);
    }
  }
  if (t_stack_state != 1) return false;
  *lo = t_stack_lo;
  *hi = t_stack_hi;
  return true;
}

void wplat_install_fault_handler(bool (*on_fault)(void *addr, const void *ctx)) {
  atomic_store_explicit(&g_on_fault, on_fault, memory_order_release);
  pthread_once(&g_handler_once, install_once);
  wplat_thread_init();
}

/* Per-thread alternate signal stack, mmapped (so leak checkers never see it) and freed by
 * a pthread key destructor at thread exit. */
static pthread_key_t g_stack_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;
static _Thread_local void *t_altstack;
static _Thread_local size_t t_altstack_size;

static void altstack_free(void *p) {
  (void)p;
  wplat_thread_destroy();
}

static void key_once(void) { pthread_key_create(&g_stack_key, altstack_free); }

void wplat_thread_init(void) {
  if (t_altstack) return;
  pthread_once(&g_key_once, key_once);
  size_t size = 64 * 1024;
  if (size < (size_t)SIGSTKSZ * 2) size = (size_t)SIGSTKSZ * 2;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = p;
  ss.ss_size = size;
  if (sigaltstack(&ss, NULL) != 0) {
    munmap(p, size);
    return;
  }
  t_altstack = p;
  t_altstack_size = size;
  pthread_setspecific(g_stack_key, p);
}

void wplat_thread_destroy(void) {
  if (!t_altstack) return;
  stack_t ss, cur;
  memset(&ss, 0, sizeof ss);
  ss.ss_flags = SS_DISABLE;
  /* Only disable it if it is still ours (an embedder may have installed another). */
  if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == t_altstack) sigaltstack(&ss, NULL);
  munmap(t_altstack, t_altstack_size);
  t_altstack = NULL;
  t_altstack_size = 0;
  pthread_setspecific(g_stack_key, NULL);
}

int wplat_cpu_count(void) {
  static _Atomic int cached;
  int n = atomic_load_explicit(&cached, memory_order_relaxed);
  if (n > 0) return n;
  cpu_set_t set;
  CPU_ZERO(&set);
  n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
  if (n <= 0) {
    long sc = sysconf(_SC_NPROCESSORS_ONLN);
    n = sc > 0 ? (int)sc : 1;
  }
  atomic_store_explicit(&cached, n, memory_order_relaxed);
  return n;
}
