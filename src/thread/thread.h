/* thread.h — the thread manager's internal interface (src/thread/).
 *
 * A *cluster* is the thread manager of one program: the main instance (the one the embedder
 * instantiated, whose module imports env.pthread_create) and the threads it creates. Each
 * created thread runs on its own OS thread with its own exec and its own *thread instance*
 * (same module, same linear memory, own globals and function instances) and owns one slice
 * of the aux stack. The embedder's thread that runs the main instance is registered as the
 * cluster's main thread the first time it makes a pthread call.
 *
 * Files: cluster.c (threads, slices, limit, join/detach/exit/cancel, termination),
 * pthread_threads.c (the env.pthread_* thread functions), pthread_sync.c (mutexes and
 * condition variables), pthread_keys.c (thread-specific data).
 *
 * Blocking pthread calls block through the wait queues (runtime/waitq.h), so a stop
 * request (cancel, terminate-all) wakes them: wwait_wait returns -1 and the host function
 * returns the trap it was given, unwinding the thread.
 */
#ifndef WEFT_THREAD_H
#define WEFT_THREAD_H
#include "../runtime/exec.h"
#include "../util/werr.h"

typedef struct wthread wthread;
typedef struct wcluster wcluster;

/* Per-thread state. Fields marked (keys) belong to pthread_keys.c. */
struct wthread {
  wcluster *cluster;
  uint32_t id;                   /* the pthread_t value: never 0, unique per cluster */
  wexec *exec;                   /* the exec this thread runs wasm on */
  winstance *inst;               /* the main instance (main thread) or its thread instance */
  void *keyvals;                 /* (keys) per-thread values, owned by pthread_keys.c */
  /* Further fields are private to cluster.c (see cluster.c's struct wthread_priv). */
};

/* The public part of a cluster (cluster.c extends it privately). */
struct wcluster {
  winstance *main;               /* the main instance (the cluster lives and dies with it) */
  uint32_t max_threads;          /* N: threads besides main that may be alive at once */
  void *keys;                    /* (keys) the key table, owned by pthread_keys.c; NULL until
                                    pthread_keys.c sets it; freed by wkeys_cluster_free */
  wplat_mutex keys_lock;         /* (keys) free for pthread_keys.c to guard `keys` with */
};

/* POSIX error numbers as the sysroot's errno.h defines them (Linux values), returned to
 * wasm by the pthread functions. */
#define WPT_EPERM 1
#define WPT_ESRCH 3
#define WPT_EAGAIN 11
#define WPT_EBUSY 16
#define WPT_EINVAL 22
#define WPT_EDEADLK 35
#define WPT_ETIMEDOUT 110
/* pthread_join's value for a cancelled thread: PTHREAD_CANCELED, (void *)-1 on wasm32. */
#define WPT_CANCELED 0xFFFFFFFFu

/* The calling thread's record for a pthread host function running on exec e, registering
 * the embedder's thread as the main thread on first use. NULL (with a trap message set on
 * e) when the caller's instance has no cluster or allocation failed. */
wthread *wthread_current(wexec *e);

/* The function at `idx` in table 0 of inst, checked to have type (params)->(results) given
 * as value-type bytes. NULL with a message in why[0..whylen) naming the cause and the fix
 * (e.g. the table was stripped by wasm-opt: export it or link without -O). */
const wfuncinst *wthread_table_func(winstance *inst, uint32_t idx, const uint8_t *params,
                                    uint32_t nparams, const uint8_t *results, uint32_t nresults,
                                    char *why, size_t whylen);

/* pthread_keys.c: runs t's key destructors (for non-NULL values, up to
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds) on t's exec, then frees t->keyvals. Called by the
 * cluster when a thread ends (return, pthread_exit, cancel). Returns the trap of a destructor
 * that trapped (the cluster then treats it like any trap in that thread), or WEFT_TRAP_NONE. */
wtrap wkeys_thread_exit(wthread *t);
/* pthread_keys.c: frees the key table of a cluster (cluster teardown). */
void wkeys_cluster_free(wcluster *c);

/* Registers the env.pthread_* host functions of each file (called by weft_pthread_register). */
wstatus wpthread_threads_register(struct weft_runtime *rt, werr *err) W_WUR;
wstatus wpthread_sync_register(struct weft_runtime *rt, werr *err) W_WUR;
wstatus wpthread_keys_register(struct weft_runtime *rt, werr *err) W_WUR;

/* ---- hooks called by src/runtime (cluster.c, thread_run.c) ---- */

/* Instantiation: gives `inst` a cluster when its module imports any env.pthread_* function,
 * and sets the main thread's aux stack slice. W_ERR (out of memory) fails instantiation. */
wstatus wcluster_attach(winstance *inst, werr *err) W_WUR;
/* Instantiation, after the start function: gives the main thread its TLS block at the top
 * of its slice (wasm-ld's start function does not) by calling __wasm_init_tls on exec (a
 * temporary exec when NULL). No-op without a cluster, slices or TLS. A trap fails it. */
weft_status wcluster_init_main_tls(winstance *inst, wexec *exec, weft_error *err);
/* Instance teardown: stops and joins every created thread, frees the records and the
 * cluster. Idempotent; no-op for instances without a cluster or thread instances. */
void wcluster_detach(winstance *inst);
/* weft_exec_delete: forgets an embedder exec registered as a (main) thread. */
void wthread_exec_deleted(wexec *e);
/* weft_call, end of an outermost call on an exec with a thread record, *t its trap (NONE
 * when it returned). For an embedder (main) thread: once the program has ended (a child's
 * exit or trap, first event wins), a call that was stopped or returned reports that event
 * in *t and err instead (the program is over: every later call does too); a call that
 * exits or traps by itself records that as the event, stopping every other thread. */
void wthread_call_end(wexec *e, wtrap *t, weft_error *err);
/* True when e's stop request must stay set after the outermost call consumed it (the thread
 * is being stopped for good: program end, or after its routine finished). */
bool wthread_keep_stopped(const wexec *e);

#endif
