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

#endif
