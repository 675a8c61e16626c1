/* waitq.h — wait queues for memory.atomic.wait32/wait64 and memory.atomic.notify.
 *
 * Waiters are kept in per-address FIFO queues inside a fixed, process-wide hash table of
 * buckets keyed by the host address of the waited-on cell (memory base + effective
 * address: a memory's base never moves, so the host address names the cell for every
 * thread and every instance sharing the memory). Each bucket has a lock; a waiter blocks
 * on its exec's condition variable, with no polling and no periodic wakeups.
 *
 * The callers (the interpreter) have already checked alignment, bounds and that the
 * memory is shared.
 */
#ifndef WEFT_WAITQ_H
#define WEFT_WAITQ_H
#include <stdbool.h>
#include <stdint.h>
#include "exec.h"

/* memory.atomic.wait on `addr` for thread `e`. Under the bucket lock, loads the 32-bit
 * (is64 false; `expected` is then truncated to 32 bits) or 64-bit value at addr and, if it
 * equals `expected`, enqueues e at the tail of addr's queue and blocks. A notify that runs
 * after the value was changed therefore always finds the waiter.
 * Returns 0 "ok" (woken by wwait_notify), 1 "not-equal", 2 "timed-out" (timeout_ns
 * nanoseconds passed; negative = wait forever), or -1 with *trap = WEFT_TRAP_TERMINATED
 * when e->suspend is set before or during the wait (see wwait_interrupt). A waiter woken by
 * a notify reports 0 even if its timeout or a stop request raced with that notify. */
int32_t wwait_wait(wexec *e, void *addr, uint64_t expected, bool is64, int64_t timeout_ns,
                   wtrap *trap);

/* memory.atomic.notify: wakes up to `count` threads waiting on exactly `addr`, oldest
 * first, and returns how many it woke. Woken waiters are removed from the queue here, so
 * the count is exact and a thread that starts waiting after this call is not woken by it. */
uint32_t wwait_notify(void *addr, uint32_t count);

/* Wakes e's thread if it is blocked in wwait_wait, so it returns -1/TERMINATED at once.
 * The caller must have set e->suspend (seq_cst store) first: weft_exec_request_stop
 * does. Safe to call from any thread, whether or not e is waiting. */
void wwait_interrupt(wexec *e);

#endif
