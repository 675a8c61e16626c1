/* tests.h — the test groups of weft-threads-test; main.c runs them in this order. */
#ifndef WT_TESTS_H
#define WT_TESTS_H
#include "harness.h"

void test_rmw(void);      /* test_rmw.c: contended rmw atomics, exact totals */
void test_lock(void);     /* test_lock.c: cmpxchg spinlock around a plain counter */
void test_wait(void);     /* test_wait.c: wait/notify ping-pong and notify counts */
void test_timeout(void);  /* test_timeout.c: wait timeouts and value mismatches */
void test_stop(void);     /* test_stop.c: weft_exec_request_stop from another thread */
void test_grow(void);     /* test_grow.c: memory.grow racing loads/stores, both modes */
void test_traps(void);    /* test_traps.c: unshared wait, unaligned atomics */
void test_setup(void);    /* test_setup.c: runtimes and instances created concurrently */
void test_heap(void);     /* test_heap.c: libc-builtin malloc/realloc/free from many threads */
void test_sync(void);     /* test_sync.c: pthread mutexes, condition variables and keys */

void test_cluster(void);  /* test_cluster.c: the thread manager (pthread_create & co) */

#endif
