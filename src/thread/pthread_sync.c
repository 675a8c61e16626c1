/* pthread_sync.c — env.pthread_mutex_* and env.pthread_cond_*: mutexes and condition
 * variables that ARE their 32-bit word in linear memory (no table, no process-wide lock).
 *
 * Mutex word: 0 = unlocked; otherwise the owner's pthread_t in bits 0..30 plus WAITERS
 * (bit 31) when a thread may be blocked on it. Semantics are POSIX's error-checking mutex:
 * relock by the owner -> EDEADLK, unlock by a non-owner (or of an unlocked mutex) -> EPERM,
 * destroy of a locked mutex -> EBUSY. A zero word (static `= 0`, PTHREAD_MUTEX_INITIALIZER)
 * is a valid unlocked mutex. Lock: one CAS when free; else (no spinning, as glibc's default
 * mutex) set WAITERS and block in the wait queues on the word (memory.atomic.wait's queues),
 * so a stop request (cancel, terminate-all) wakes the thread and the host function returns
 * the "terminated" trap. Unlock never hands the mutex to the woken thread: the unlocker may
 * take it again at once, and the woken thread goes back to sleep if it finds it held.
 * Invariant that prevents lost wakeups: a thread that has slept re-acquires with WAITERS
 * set, so whoever unlocks after it notifies the next sleeper.
 *
 * Cond word: a sequence counter. wait = read seq, unlock the mutex, wait on the word while
 * it still equals seq, relock. signal/broadcast = increment, then notify one/all. The wait
 * queues compare the word and enqueue under one lock, so a signal after the waiter read
 * seq either changes the word first (the wait returns at once) or finds the waiter queued.
 * A waiter stopped by cancel/terminate leaves the mutex unlocked (there are no cleanup
 * handlers to release it). pthread_cond_timedwait takes a relative timeout in
 * microseconds, imported as (**i)i (the reference document) or (**I)i (later headers).
 *
 * Pointers are guest offsets into the caller's memory 0: outside it -> trap "out of bounds
 * memory access"; not 4-byte aligned -> EINVAL. Attribute arguments are ignored.
 */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf (exec.h) under -std=c11 */
#include <stdint.h>
#include "../runtime/runtime.h"
#include "../runtime/waitq.h"
#include "pthread_sync_mem.h"

#define WAITERS 0x80000000u
#define OWNER_MASK 0x7fffffffu

/* Polls of a held mutex before sleeping, for a thread relocking after a cond wait only:
 * the signaller usually releases the mutex within a few instructions of its signal (it
 * unlocks or waits next), so the poll spares a sleep/wake round trip per turn (pt_condpp).
 * pthread_mutex_lock does not poll: a thread in a loop of lock; short work; unlock
 * re-takes the mutex within nanoseconds, and a poller on another core catches it in that
 * window; the two then trade ownership (and the protected data's cache lines) on every
 * iteration, each catching it in its own spin, and rarely fall asleep. pt_counter (2
 * threads x 5M locked increments) measured 1.2-1.4 s that way against 0.16-0.25 s when a
 * contended lock sleeps at once and the running thread keeps the mutex for long stretches
 * (glibc: 0.13-0.85 s, depending on the VM's wake-up latency). */
#define COND_RELOCK_SPIN 64

/* Polls of a cond word before sleeping on it: a signal that comes within them (a partner
 * thread handing the turn back, as in ping-pong, on another core) spares the sleep/wake
 * round trip through the wait queue and the OS on both sides. Adaptive per thread: a
 * fruitless spin halves the next one's polls (down to COND_SPIN_MIN: when the partner
 * cannot run meanwhile, e.g. both on one core, spinning only delays it), a fruitful one
 * restores COND_SPIN_MAX, and every COND_SPIN_PROBE-th wait tries COND_SPIN_MAX again. Not
 * "twice the polls that sufficed" as glibc's adaptive mutexes: on a VM, waking a sleeping
 * partner takes longer than such a spin, and once both sleep they stay asleep (pt_condpp
 * measured 2.5-3.3x native that way, 0.3-0.9x with this rule). */
#define COND_SPIN_MAX 2000u
#define COND_SPIN_MIN 16u
#define COND_SPIN_PROBE 256u
static _Thread_local uint32_t t_cond_spin = COND_SPIN_MAX;
static _Thread_local uint32_t t_cond_waits;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* The owner id stored in a mutex word for thread t (pthread_t ids are small: below 2^31). */
static inline uint32_t owner_id(const wthread *t) { return t->id & OWNER_MASK; }

/* Resolves the guest word of argument `off` for a host function: on failure returns the
 * trap to raise (OOB) or stores EINVAL in slot 0 and returns NONE with *w NULL. */
static inline wtrap word_arg(winstance *inst, uint32_t off, uint32_t **w, weft_slot *slots) {
  *w = NULL;
  switch (wpt_word(inst, off, w)) {
  case WPT_WORD_OK: return WEFT_TRAP_NONE;
  case WPT_WORD_MISALIGNED: wpt_ret(slots, WPT_EINVAL); return WEFT_TRAP_NONE;
  default: *w = NULL; return WEFT_TRAP_OOB_MEMORY;
  }
}

/* Blocks until the mutex at w is ours, polling it up to `polls` times (while nobody sleeps
 * on it) before sleeping. `slept` starts true when the caller was woken from a wait on
 * something else (cond wait), which also obliges it to keep WAITERS set. Returns NONE, or
 * TERMINATED when a stop request ended the wait. */
static wtrap lock_slow(wexec *e, uint32_t *w, uint32_t me, bool slept, uint32_t polls) {
  uint32_t mark = slept ? WAITERS : 0;
  for (uint32_t spin = 0;; spin++) {
    uint32_t v = __atomic_load_n(w, __ATOMIC_RELAXED);
    if (v == 0) {
      if (__atomic_compare_exchange_n(w, &v, me | mark, false, __ATOMIC_ACQUIRE,
                                      __ATOMIC_RELAXED))
        return WEFT_TRAP_NONE;
      continue;
    }
    if (spin < polls && !(v & WAITERS)) {
      cpu_relax();
      continue;
    }
    if (!(v & WAITERS)) {
      if (!__atomic_compare_exchange_n(w, &v, v | WAITERS, false, __ATOMIC_RELAXED,
                                       __ATOMIC_RELAXED))
        continue;
      v |= WAITERS;
    }
    wtrap trap = WEFT_TRAP_NONE;
    if (wwait_wait(e, w, v, false, -1, &trap) < 0) return trap;
    mark = WAITERS;
  }
}

/* Releases a mutex the caller owns; wakes one sleeper if WAITERS was set. */
static inline void unlock_word(uint32_t *w) {
  if (__atomic_exchange_n(w, 0, __ATOMIC_RELEASE) & WAITERS) wwait_notify(w, 1);
}

/* pthread_mutex_init(mutex, attr) -> 0: stores an unlocked word; attr is ignored. */
static wtrap h_mutex_init(wexec *e, void *att, weft_slot *s) {
  (void)att;
  winstance *inst = wpt_caller(e);
  uint32_t *w;
  wtrap t = word_arg(inst, s[0].i32, &w, s);
  if (!w) return t;
  __atomic_store_n(w, 0, __ATOMIC_RELEASE);
  wpt_ret(s, 0);
  return WEFT_TRAP_NONE;
}

/* pthread_mutex_lock(mutex) -> 0 | EDEADLK (caller owns it) | EINVAL (misaligned). */
static wtrap h_mutex_lock(wexec *e, void *att, weft_slot *s) {
  (void)att;
  winstance *inst = wpt_caller(e);
  uint32_t *w;
  wtrap t = word_arg(inst, s[0].i32, &w, s);
  if (W_UNLIKELY(!w)) return t;
  wthread *self = wpt_self(e, inst);
  if (W_UNLIKELY(!self)) return WEFT_TRAP_HOST;
  uint32_t me = owner_id(self), v = 0;
  if (W_LIKELY(__atomic_compare_exchange_n(w, &v, me, false, __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED))) {
    wpt_ret(s, 0);
    return WEFT_TRAP_NONE;
  }
  if ((v & OWNER_MASK) == me) {
    wpt_ret(s, WPT_EDEADLK);
    return WEFT_TRAP_NONE;
  }
  t = lock_slow(e, w, me, false, 0);
  if (t == WEFT_TRAP_NONE) wpt_ret(s, 0);
  return t;
}

/* pthread_mutex_unlock(mutex) -> 0 | EPERM (not locked by the caller) | EINVAL. */
static wtrap h_mutex_unlock(wexec *e, void *att, weft_slot *s) {
  (void)att;
  winstance *inst = wpt_caller(e);
  uint32_t *w;
  wtrap t = word_arg(inst, s[0].i32, &w, s);
  if (W_UNLIKELY(!w)) return t;
  wthread *self = wpt_self(e, inst);
  if (W_UNLIKELY(!self)) return WEFT_TRAP_HOST;
  /* Only the owner changes an owned word's owner bits (others may only add WAITERS), so
   * this check cannot be invalidated before the exchange. */
  if (W_UNLIKELY((__atomic_load_n(w, __ATOMIC_RELAXED) & OWNER_MASK) != owner_id(self))) {
    wpt_ret(s, WPT_EPERM);
    return WEFT_TRAP_NONE;
  }
  unlock_word(w);
  wpt_ret(s, 0);
  return WEFT_TRAP_NONE;
}

/* pthread_mutex_destroy(mutex) -> 0 | EBUSY (locked) | EINVAL. Nothing to free. */
static wtrap h_mutex_destroy(wexec *e, void *att, weft_slot *s) {
  (void)att;
  winstance *inst = wpt_caller(e);
  uint32_t *w;
  wtrap t = word_arg(inst, s[0].i32, &w, s);
  if (!w) return t;
  wpt_ret(s, __atomic_load_n(w, __ATOMIC_ACQUIRE) ? WPT_EBUSY : 0);
  return WEFT_TRAP_NONE;
}

/* pthread_cond_init(cond, attr) -> 0: the sequence starts at 0; attr is ignored. */
static wtrap h_cond_init(wexec *e, void *att, weft_slot *s) {
  return h_mutex_init(e, att, s);
}

/* pthread_cond_destroy(cond) -> 0 | EINVAL. Waiters are not tracked, so never EBUSY. */
static wtrap h_cond_destroy(wexec *e, void *att, weft_slot *s) {
  (void)att;
  winstance *inst = wpt_caller(e);
  uint32_t *w;
  wtrap t = word_arg(inst, s[0].i32, &w, s);
  if (!w) return t;
  wpt_ret(s, 0);
  return WEFT_TRAP_NONE;
}

/* The waits behind pthread_cond_wait/timedwait: timeout_ns < 0 waits forever. Returns the
 * trap to raise, with the errno in slot 0 when there is none. */
static wtrap cond_wait(wexec *e, weft_slot *s, int64_t timeout_ns) {
  winstance *inst = wpt_caller(e);
  uint32_t *c, *m;
  wtrap t = word_arg(inst, s[0].i32, &c, s);
  if (!c) return t;
  t = word_arg(inst, s[1].i32, &m, s);
  if (!m) return t;
  wthread *self = wpt_self(e, inst);
  if (W_UNLIKELY(!self)) return WEFT_TRAP_HOST;
  uint32_t me = owner_id(self);
  if ((__atomic_load_n(m, __ATOMIC_RELAXED) & OWNER_MASK) != me) {
    wpt_ret(s, WPT_EPERM);  /* POSIX: the mutex must be locked by the caller */
    return WEFT_TRAP_NONE;
  }
  uint32_t seq = __atomic_load_n(c, __ATOMIC_ACQUIRE);
  unlock_word(m);
  /* Spin briefly first (not for a zero timeout, nor with one CPU, where the partner cannot
   * run while we spin): a change of the word is a wakeup as the
   * queue's would be (a signal may then also wake a queued waiter: a spurious wakeup,
   * which POSIX allows); a stop request ends the wait as the queue's check does. */
  int32_t r = -1;
  if (timeout_ns != 0 && wplat_cpu_count() > 1) {
    uint32_t polls = ++t_cond_waits % COND_SPIN_PROBE == 0 ? COND_SPIN_MAX : t_cond_spin;
    for (uint32_t spin = 0; spin < polls; spin++) {
      if (W_UNLIKELY(atomic_load_explicit(&e->suspend, memory_order_relaxed)))
        return WEFT_TRAP_TERMINATED;   /* stopped: the mutex stays unlocked, as below */
      if (__atomic_load_n(c, __ATOMIC_ACQUIRE) != seq) {
        r = 0;
        break;
      }
      cpu_relax();
    }
    t_cond_spin = r == 0 ? COND_SPIN_MAX : polls / 2 > COND_SPIN_MIN ? polls / 2 : COND_SPIN_MIN;
  }
  bool slept = false;
  if (r < 0) {
    t = WEFT_TRAP_NONE;
    r = wwait_wait(e, c, seq, false, timeout_ns, &t);
    if (r < 0) return t;   /* stopped: leave the mutex unlocked (see the file comment) */
    slept = true;
  }
  /* Only a thread that slept in a queue owes the mutex's other sleepers WAITERS. */
  t = lock_slow(e, m, me, slept, COND_RELOCK_SPIN);
  if (t == WEFT_TRAP_NONE) wpt_ret(s, r == 2 ? WPT_ETIMEDOUT : 0);
  return t;
}

/* pthread_cond_wait(cond, mutex) -> 0 | EPERM (mutex not held) | EINVAL. */
static wtrap h_cond_wait(wexec *e, void *att, weft_slot *s) {
  (void)att;
  return cond_wait(e, s, -1);
}

/* Nanoseconds for a microsecond timeout; past int64's range means forever (-1). */
static int64_t us_to_ns(uint64_t us) {
  return us > (uint64_t)INT64_MAX / 1000 ? -1 : (int64_t)(us * 1000);
}

/* pthread_cond_timedwait(cond, mutex, useconds: u32) -> 0 | ETIMEDOUT | EPERM | EINVAL. */
static wtrap h_cond_timedwait32(wexec *e, void *att, weft_slot *s) {
  (void)att;
  return cond_wait(e, s, us_to_ns(s[2].i32));
}

/* The (**I)i form: useconds as an unsigned 64-bit count. */
static wtrap h_cond_timedwait64(wexec *e, void *att, weft_slot *s) {
  (void)att;
  return cond_wait(e, s, us_to_ns(s[2].i64));
}

/* Advances the sequence and wakes up to `n` waiters. */
static wtrap cond_wake(wexec *e, weft_slot *s, uint32_t n) {
  uint32_t *c;
  wtrap t = word_arg(wpt_caller(e), s[0].i32, &c, s);
  if (!c) return t;
  __atomic_fetch_add(c, 1, __ATOMIC_SEQ_CST);
  wwait_notify(c, n);
  wpt_ret(s, 0);
  return WEFT_TRAP_NONE;
}

/* pthread_cond_signal(cond) -> 0 | EINVAL: wakes one waiter. */
static wtrap h_cond_signal(wexec *e, void *att, weft_slot *s) {
  (void)att;
  return cond_wake(e, s, 1);
}

/* pthread_cond_broadcast(cond) -> 0 | EINVAL: wakes every waiter. */
static wtrap h_cond_broadcast(wexec *e, void *att, weft_slot *s) {
  (void)att;
  return cond_wake(e, s, UINT32_MAX);
}

/* One registration row: name, host function, parameter letters (i = i32, I = i64). */
static const struct {
  const char *name;
  weft_host_fn fn;
  const char *params;
} k_funcs[] = {
  {"pthread_mutex_init", h_mutex_init, "ii"},
  {"pthread_mutex_lock", h_mutex_lock, "i"},
  {"pthread_mutex_unlock", h_mutex_unlock, "i"},
  {"pthread_mutex_destroy", h_mutex_destroy, "i"},
  {"pthread_cond_init", h_cond_init, "ii"},
  {"pthread_cond_wait", h_cond_wait, "ii"},
  {"pthread_cond_timedwait", h_cond_timedwait32, "iii"},
  {"pthread_cond_timedwait", h_cond_timedwait64, "iiI"},  /* the linker picks by type */
  {"pthread_cond_signal", h_cond_signal, "i"},
  {"pthread_cond_broadcast", h_cond_broadcast, "i"},
  {"pthread_cond_destroy", h_cond_destroy, "i"},
};

wstatus wpthread_sync_register(struct weft_runtime *rt, werr *err) {
  for (size_t i = 0; i < sizeof k_funcs / sizeof k_funcs[0]; i++) {
    weft_valtype params[4], result = WEFT_I32;
    uint32_t n = 0;
    for (const char *p = k_funcs[i].params; *p; p++)
      params[n++] = *p == 'I' ? WEFT_I64 : WEFT_I32;
    weft_error e;
    if (weft_register_func(rt, "env", k_funcs[i].name, params, n, &result, 1, k_funcs[i].fn,
                           NULL, &e) != WEFT_OK)
      return werr_set(err, WERR_RESOURCE, "registering env.%s: %s", k_funcs[i].name,
                      e.message);
  }
  return W_OK;
}
