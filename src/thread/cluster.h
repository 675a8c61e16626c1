/* cluster.h — the thread manager's private state, shared by cluster.c (records, slices,
 * termination), thread_run.c (create/run/join/reap) and pthread_threads.c (host functions).
 *
 * Locking: one mutex per cluster (`lock`) guards the thread table, the slices, the counts
 * and the termination record. It is never held while wasm runs or while a thread blocks,
 * and it may be held while taking a wait-queue bucket lock (weft_exec_request_stop), never
 * the other way round.
 *
 * A created thread's life: STARTING (record, exec, thread instance and slice set up by
 * pthread_create) → RUNNING (its OS thread calls the start routine) → FINISHING (the
 * routine ended; key destructors run) → DONE (joinable: slice released, `done` = 1, waiting
 * for pthread_join) or ZOMBIE (detached: waiting to be reaped). Reaping — joining the OS
 * thread and freeing exec, thread instance and record — is done by pthread_join, by
 * pthread_detach of a DONE thread, by the next pthread_create (zombies), or by cluster
 * teardown. Embedder threads (the main thread, or any exec of the embedder that makes a
 * pthread call) have HOST records: no OS thread or slice of their own.
 */
#ifndef WEFT_CLUSTER_H
#define WEFT_CLUSTER_H
#include "thread.h"

typedef enum { WT_HOST, WT_STARTING, WT_RUNNING, WT_FINISHING, WT_DONE, WT_ZOMBIE } wthread_state;

/* What ended the program (first event wins). */
typedef enum { WEND_NONE, WEND_EXIT, WEND_TRAP } wend_kind;

typedef struct wthread_priv_ {
  wthread pub;                   /* first: a wthread* is a wthread_priv* */
  wthread_state state;
  bool detached, cancelled, joining;
  bool final;                    /* stop requests stay set (keep_stopped) */
  int32_t slice;                 /* slice index, -1 for none (HOST, or released) */
  uint32_t start_idx, arg;       /* start routine (table 0 index) and its argument */
  uint32_t retval;               /* return value / pthread_exit value / PTHREAD_CANCELED */
  uint32_t tls_ptr;              /* TLS block for __wasm_init_tls, 0 when none */
  _Atomic uint32_t done;         /* 1 when DONE/ZOMBIE (joiners wait on it in the waitq) */
  struct wthread_priv_ *waits_on;  /* the thread this one is joining (deadlock check) */
  wplat_thread os;
} wthread_priv;

typedef struct {
  struct wcluster pub;           /* first: a wcluster* is a wcluster_priv* */
  wplat_mutex lock;
  wplat_cond finished;           /* broadcast when a created thread leaves RUNNING/FINISHING */
  bool bounded;                  /* the module's aux stack is known: slices exist */
  uint32_t slice_lo, slice_size; /* child slice k is [slice_lo + k*size, +size) */
  uint8_t *slice_used;           /* max_threads flags */
  uint32_t nlive;                /* created threads not yet DONE/ZOMBIE */
  _Atomic uint32_t live_word;    /* nlive, published for waiters in the waitq */
  uint32_t next_id;
  wthread_priv **threads;        /* every record (HOST and created, until reaped) */
  uint32_t nthreads, cap;
  bool no_aux_reported;          /* the "cannot find the aux stack" line was printed */
  uint32_t stopping;             /* terminate_threads in progress (no new threads) */
  /* The program-ending event (first wins, under lock). */
  wend_kind end;
  int32_t end_code;
  wtrap end_trap;
  char end_msg[512];
  char end_bt[2048];
} wcluster_priv;

static inline wcluster_priv *wcl(wcluster *c) { return (wcluster_priv *)c; }
static inline wthread_priv *wth(wthread *t) { return (wthread_priv *)t; }

/* Adds a record to c's table (lock held); false when out of memory. */
bool wcluster_add_locked(wcluster_priv *c, wthread_priv *t);
/* Removes a record from c's table (lock held). */
void wcluster_remove_locked(wcluster_priv *c, wthread_priv *t);
/* The record with pthread_t value `id`, or NULL (lock held). */
wthread_priv *wcluster_find_locked(wcluster_priv *c, uint32_t id);
/* Records the program-ending event unless one is recorded (first wins) and asks every
 * thread of the cluster except `self` to stop. kind EXIT: code; TRAP: trap, msg, bt. */
void wcluster_end(wcluster_priv *c, wthread_priv *self, wend_kind kind, int32_t code, wtrap trap,
                  const char *msg, const char *bt);
/* True once the program is ending (event recorded) or threads are being terminated. */
bool wcluster_closing_locked(const wcluster_priv *c);

/* thread_run.c: where a thread whose slice ends at `top` keeps its TLS block (when the
 * module exports __wasm_init_tls and a non-zero __tls_size smaller than half a slice):
 * *tls_ptr (aligned to __tls_align) and the stack pointer below it (16-aligned). False,
 * with *tls_ptr 0 and *sp = top, when there is no TLS to set up. */
bool wthread_tls_layout(winstance *in, uint32_t top, uint32_t slice_size, uint32_t *tls_ptr,
                        uint32_t *sp);
/* thread_run.c: joins the OS thread of a DONE/ZOMBIE record already removed from the
 * table and frees its exec, thread instance and record. */
void wthread_reap(wthread_priv *t);
/* thread_run.c: reaps every ZOMBIE record of c. */
void wthread_reap_zombies(wcluster_priv *c);
/* thread_run.c: frees what a HOST record owns (key values, without running destructors)
 * and the record itself. Not in the table any more. */
void wthread_free_host(wthread_priv *t);

#endif
