/* waitq.c — per-address FIFO wait queues for memory.atomic.wait/notify (see waitq.h).
 *
 * Layout: a fixed table of buckets, each a lock plus a doubly linked FIFO of waiters
 * whose addresses hash there (different addresses may share a bucket; notify filters by
 * address). The table is static and never freed, so a bucket pointer stays valid forever
 * — which lets wwait_interrupt dereference a bucket it read without further handshakes.
 *
 * Invariants (all under the bucket lock):
 *   - a waiter node lives on its waiting thread's stack and is in its bucket's list iff
 *     it is waiting and nobody has woken it yet;
 *   - whoever takes a node out of the list does so under the lock: the notifier (which
 *     sets `woken` and signals) or the waiter itself (timeout or stop request), so each
 *     node leaves exactly once and a woken node is counted by exactly one notify;
 *   - e->wait_bucket is non-NULL exactly while e's thread is inside wwait_wait holding
 *     or blocked on that bucket's lock; it is written only under that lock.
 */
#include "waitq.h"
#include <stdatomic.h>

#define WWAIT_BUCKET_BITS 8
#define WWAIT_BUCKETS (1u << WWAIT_BUCKET_BITS)

/* One thread waiting on one address. */
typedef struct wwaiter {
  struct wwaiter *prev, *next;  /* neighbours in the bucket's FIFO */
  void *addr;                   /* the host address waited on */
  wexec *exec;                  /* the waiting thread: its wait_cond wakes it */
  bool woken;                   /* set by wwait_notify when it dequeued this node */
} wwaiter;

/* A hash bucket. Aligned to a cache line so neighbouring buckets do not share one. */
struct wwait_bucket {
  _Alignas(64) wplat_mutex lock;
  wwaiter *head, *tail;         /* oldest first */
};

static struct wwait_bucket g_buckets[WWAIT_BUCKETS];
static wplat_once g_init_once = WPLAT_ONCE_INIT;

static void init_buckets(void) {
  for (unsigned i = 0; i < WWAIT_BUCKETS; i++) {
    wplat_mutex_init(&g_buckets[i].lock);
    g_buckets[i].head = g_buckets[i].tail = NULL;
  }
}

/* The bucket of a host address (Fibonacci hashing of the 4-byte-aligned address). */
static struct wwait_bucket *bucket_of(const void *addr) {
  wplat_call_once(&g_init_once, init_buckets);
  uint64_t h = ((uint64_t)(uintptr_t)addr >> 2) * UINT64_C(0x9E3779B97F4A7C15);
  return &g_buckets[h >> (64 - WWAIT_BUCKET_BITS)];
}

static void enqueue(struct wwait_bucket *b, wwaiter *w) {
  w->next = NULL;
  w->prev = b->tail;
  if (b->tail) b->tail->next = w;
  else b->head = w;
  b->tail = w;
}

static void dequeue(struct wwait_bucket *b, wwaiter *w) {
  if (w->prev) w->prev->next = w->next;
  else b->head = w->next;
  if (w->next) w->next->prev = w->prev;
  else b->tail = w->prev;
  w->prev = w->next = NULL;
}

/* The stop-request handshake with wwait_interrupt is a Dekker pattern on two seq_cst
 * variables: the waiter stores e->wait_bucket then loads e->suspend; the interrupter
 * stores e->suspend then loads e->wait_bucket. At least one sees the other's store: either
 * the waiter sees the stop request, or the interrupter finds the bucket, takes its lock
 * (which the waiter holds until it blocks on wait_cond or leaves) and signals. */
int32_t wwait_wait(wexec *e, void *addr, uint64_t expected, bool is64, int64_t timeout_ns,
                   wtrap *trap) {
  bool forever = timeout_ns < 0;
  uint64_t deadline = 0;
  if (!forever) {
    uint64_t now = wplat_now_ns();
    deadline = now + (uint64_t)timeout_ns;
    if (deadline < now) forever = true;  /* past the clock's range: never times out */
  }
  struct wwait_bucket *b = bucket_of(addr);
  wwaiter w = {.addr = addr, .exec = e};
  int32_t r;
  wplat_mutex_lock(&b->lock);
  atomic_store_explicit(&e->wait_bucket, b, memory_order_seq_cst);
  if (atomic_load_explicit(&e->suspend, memory_order_seq_cst)) {
    r = -1;
  } else {
    uint64_t cur = is64 ? __atomic_load_n((uint64_t *)addr, __ATOMIC_SEQ_CST)
                        : __atomic_load_n((uint32_t *)addr, __ATOMIC_SEQ_CST);
    if (cur != (is64 ? expected : (uint32_t)expected)) {
      r = 1;
    } else {
      enqueue(b, &w);
      for (;;) {
        /* A notify wins over a timeout or stop request that raced with it: it counted us. */
        if (w.woken) { r = 0; break; }
        if (atomic_load_explicit(&e->suspend, memory_order_seq_cst)) {
          dequeue(b, &w);
          r = -1;
          break;
        }
        if (forever) {
          wplat_cond_wait(&e->wait_cond, &b->lock);
        } else if (wplat_now_ns() >= deadline) {
          dequeue(b, &w);
          r = 2;
          break;
        } else {
          wplat_cond_timedwait(&e->wait_cond, &b->lock, deadline);
        }
      }
    }
  }
  atomic_store_explicit(&e->wait_bucket, NULL, memory_order_seq_cst);
  wplat_mutex_unlock(&b->lock);
  if (r < 0) *trap = WEFT_TRAP_TERMINATED;
  return r;
}

uint32_t wwait_notify(void *addr, uint32_t count) {
  if (count == 0) return 0;
  struct wwait_bucket *b = bucket_of(addr);
  uint32_t n = 0;
  wplat_mutex_lock(&b->lock);
  for (wwaiter *w = b->head, *next; w && n < count; w = next) {
    next = w->next;
    if (w->addr != addr) continue;
    dequeue(b, w);
    w->woken = true;
    /* Signalled under the lock: the waiter cannot leave (and free its node) before we
     * unlock, and its exec cannot be deleted while it waits. */
    wplat_cond_signal(&w->exec->wait_cond);
    n++;
  }
  wplat_mutex_unlock(&b->lock);
  return n;
}

void wwait_interrupt(wexec *e) {
  struct wwait_bucket *b = atomic_load_explicit(&e->wait_bucket, memory_order_seq_cst);
  if (!b) return;  /* not waiting, or not yet published: the waiter will see suspend */
  wplat_mutex_lock(&b->lock);
  /* Still in b? Then it is blocked on wait_cond (it holds the lock otherwise) and will
   * re-check suspend when woken. If it moved on, a later wait re-checks suspend itself. */
  if (atomic_load_explicit(&e->wait_bucket, memory_order_relaxed) == b)
    wplat_cond_signal(&e->wait_cond);
  wplat_mutex_unlock(&b->lock);
}
