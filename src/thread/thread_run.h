/* thread_run.h — the thread operations behind env.pthread_* (thread_run.c), called by the
 * host functions in pthread_threads.c. Return values are POSIX error numbers (WPT_*). */
#ifndef WEFT_THREAD_RUN_H
#define WEFT_THREAD_RUN_H
#include "cluster.h"

/* Starts a thread running table-0 function start_idx of self's instance with arg; writes
 * its pthread_t to id_dst (host pointer, 4 bytes) before it runs. 0, WPT_EAGAIN (limit,
 * no free slice, program ending, out of resources), or -1 when start_idx is not a usable
 * (i32)->i32 function: why[] then says why and how to fix it. */
int wthread_create(wthread *self, uint32_t start_idx, uint32_t arg, uint8_t *id_dst,
                   char *why, size_t whylen);
/* Waits for thread id to finish, reaps it, stores its value in *retval. 0, WPT_EDEADLK,
 * WPT_ESRCH, WPT_EINVAL (detached, already joined by someone, the main thread), or -1 when
 * the wait was stopped (*trap then says why). */
int wthread_join(wthread *self, uint32_t id, uint32_t *retval, wtrap *trap);
/* Detaches thread id (reaps it at once when it already finished). 0, WPT_ESRCH, WPT_EINVAL. */
int wthread_detach(wthread *self, uint32_t id);
/* Asks thread id to stop at its next checkpoint; join then gives WPT_CANCELED. 0/WPT_ESRCH. */
int wthread_cancel(wthread *self, uint32_t id);
/* pthread_exit: the trap the host function returns (THREAD_EXIT in a created thread; in the
 * main thread, EXIT with status 0 once the other threads have finished). */
wtrap wthread_exit(wthread *self, uint32_t value);

#endif
