/* test_waitq.c — memory.atomic.wait/notify wait queues (runtime/waitq.c), driven directly
 * from real pthreads: results, timeouts, FIFO order, exact counts, stop requests.
 *
 * Threads are synchronised by handshakes, not sleeps: a waiter is known to be queued once
 * its exec has published a bucket (e->wait_bucket is set under the bucket lock, in the same
 * critical section that enqueues it, and stays set while it blocks). Time bounds are
 * generous so a noisy 2-core machine does not fail them. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "runtime/waitq.h"
#include "wtest.h"

#define MS 1000000ll
#define MAX_WAITERS 8

static weft_runtime *g_rt;

/* One waiting thread and its outcome. */
typedef struct waiter {
  weft_exec *e;
  void *addr;
  uint64_t expected;
  bool is64;
  int64_t timeout_ns;
  int32_t result;
  wtrap trap;
  uint64_t elapsed_ns;
  _Atomic int started;           /* set just before wwait_wait is entered */
  _Atomic int done;
  pthread_t th;
} waiter;

static void *waiter_main(void *p) {
  waiter *w = p;
  uint64_t t0 = wplat_now_ns();
  atomic_store(&w->started, 1);
  w->result = wwait_wait(w->e, w->addr, w->expected, w->is64, w->timeout_ns, &w->trap);
  w->elapsed_ns = wplat_now_ns() - t0;
  atomic_store(&w->done, 1);
  return NULL;
}

static void nap_us(long us) {
  struct timespec ts = {0, us * 1000};
  nanosleep(&ts, NULL);
}

/* Waits until w's thread is about to call wwait_wait, then spins a varying short time, so
 * the caller's next action lands somewhere in the waiter's compare-and-enqueue window. */
static void into_the_window(waiter *w, int i) {
  while (!atomic_load(&w->started)) sched_yield();
  for (volatile int k = 0; k < (i % 64) * 8; k++) {}
}

/* Starts a waiter thread on addr (its own exec). */
static void start(waiter *w, void *addr, uint64_t expected, bool is64, int64_t timeout_ns) {
  memset(w, 0, sizeof *w);
  w->e = weft_exec_new(g_rt);
  w->addr = addr;
  w->expected = expected;
  w->is64 = is64;
  w->timeout_ns = timeout_ns;
  w->result = 99;
  atomic_init(&w->started, 0);
  atomic_init(&w->done, 0);
  pthread_create(&w->th, NULL, waiter_main, w);
}

/* Blocks until w is queued (published its bucket) or has returned; true if queued. */
static bool until_queued(waiter *w) {
  uint64_t give_up = wplat_now_ns() + 10000 * MS;
  while (!atomic_load(&w->e->wait_bucket)) {
    if (atomic_load(&w->done) || wplat_now_ns() > give_up) return false;
    nap_us(50);
  }
  return true;
}

/* Joins w's thread and frees its exec. */
static void finish(waiter *w) {
  pthread_join(w->th, NULL);
  weft_exec_delete(w->e);
  w->e = NULL;
}

/* Runs wwait_wait on the calling thread with a fresh exec. */
static int32_t wait_here(void *addr, uint64_t expected, bool is64, int64_t timeout_ns,
                         wtrap *trap) {
  weft_exec *e = weft_exec_new(g_rt);
  *trap = WEFT_TRAP_NONE;
  int32_t r = wwait_wait(e, addr, expected, is64, timeout_ns, trap);
  weft_exec_delete(e);
  return r;
}

static void wait_on_a_different_value_returns_not_equal_at_once(void) {
  static uint32_t cell = 5;
  wtrap trap;
  uint64_t t0 = wplat_now_ns();
  CHECK_EQ(wait_here(&cell, 6, false, -1, &trap), 1);
  CHECK(wplat_now_ns() - t0 < 1000 * MS);
  CHECK_EQ(trap, WEFT_TRAP_NONE);
}

static void wait_times_out_after_its_timeout_and_not_much_later(void) {
  static uint32_t cell = 7;
  waiter w;
  start(&w, &cell, 7, false, 10 * MS);
  finish(&w);
  CHECK_EQ(w.result, 2);
  WT_RECORD(w.elapsed_ns >= 10 * MS && w.elapsed_ns < 200 * MS,
            "10 ms wait took %.3f ms (want 10..200)", w.elapsed_ns / 1e6);
  wtrap trap;
  CHECK_EQ(wait_here(&cell, 7, false, 0, &trap), 2);  /* timeout 0: equal value times out */
}

static void timed_out_waiter_leaves_the_queue(void) {
  static uint32_t cell;
  wtrap trap;
  CHECK_EQ(wait_here(&cell, 0, false, 1 * MS, &trap), 2);
  CHECK_EQ(wwait_notify(&cell, UINT32_MAX), 0);
}

static void notify_without_waiters_wakes_nobody(void) {
  static uint32_t cell;
  CHECK_EQ(wwait_notify(&cell, 1), 0);
  CHECK_EQ(wwait_notify(&cell, UINT32_MAX), 0);
}

/* Queues n forever-waiters on cell one after another, so w[0] is the oldest. */
static bool queue_in_order(waiter *w, int n, uint32_t *cell) {
  bool ok = true;
  for (int i = 0; i < n; i++) {
    start(&w[i], cell, 0, false, -1);
    ok &= until_queued(&w[i]);
  }
  return ok;
}

/* Waits until `want` of the n waiters have returned (or 10 s pass); returns how many did. */
static int until_done(waiter *w, int n, int want) {
  uint64_t give_up = wplat_now_ns() + 10000 * MS;
  for (;;) {
    int done = 0;
    for (int i = 0; i < n; i++) done += atomic_load(&w[i].done);
    if (done >= want || wplat_now_ns() > give_up) return done;
    nap_us(50);
  }
}

static void notify_wakes_exactly_count_waiters_oldest_first(void) {
  static uint32_t cell;
  waiter w[4];
  CHECK(queue_in_order(w, 4, &cell));
  CHECK_EQ(wwait_notify(&cell, 2), 2);
  CHECK_EQ(until_done(w, 4, 2), 2);
  nap_us(20000);  /* give a wrongly woken extra waiter time to show up */
  CHECK_EQ(atomic_load(&w[0].done), 1);
  CHECK_EQ(atomic_load(&w[1].done), 1);
  CHECK_EQ(atomic_load(&w[2].done), 0);
  CHECK_EQ(atomic_load(&w[3].done), 0);
  CHECK_EQ(wwait_notify(&cell, UINT32_MAX), 2);
  for (int i = 0; i < 4; i++) {
    finish(&w[i]);
    CHECK_EQ(w[i].result, 0);
  }
}

static void notify_with_count_all_wakes_every_waiter(void) {
  static uint32_t cell;
  waiter w[MAX_WAITERS];
  CHECK(queue_in_order(w, MAX_WAITERS, &cell));
  CHECK_EQ(wwait_notify(&cell, UINT32_MAX), MAX_WAITERS);
  for (int i = 0; i < MAX_WAITERS; i++) {
    finish(&w[i]);
    CHECK_EQ(w[i].result, 0);
  }
}

static void notify_wakes_only_waiters_on_that_address(void) {
  static uint32_t cells[2];
  waiter a, b;
  start(&a, &cells[0], 0, false, -1);
  CHECK(until_queued(&a));
  start(&b, &cells[1], 0, false, -1);
  CHECK(until_queued(&b));
  CHECK_EQ(wwait_notify(&cells[1], UINT32_MAX), 1);
  finish(&b);
  CHECK_EQ(b.result, 0);
  CHECK_EQ(atomic_load(&a.done), 0);
  CHECK_EQ(wwait_notify(&cells[0], UINT32_MAX), 1);
  finish(&a);
  CHECK_EQ(a.result, 0);
}

/* The notify dequeues the old waiter before returning, so a waiter that queues after it
 * (even before the woken thread has run) cannot take that wakeup. */
static void waiter_arriving_after_a_notify_is_not_woken_by_it(void) {
  static uint32_t cell;
  waiter old, late;
  start(&old, &cell, 0, false, -1);
  CHECK(until_queued(&old));
  CHECK_EQ(wwait_notify(&cell, 1), 1);
  start(&late, &cell, 0, false, 30 * MS);
  finish(&late);
  finish(&old);
  CHECK_EQ(old.result, 0);
  CHECK_EQ(late.result, 2);
}

/* Races a value change + notify against a waiter that may or may not have compared yet:
 * the waiter must see either the new value or the notify, never sleep through both. */
static void notify_after_a_value_change_is_never_missed(void) {
  static uint32_t cell;
  int missed = 0;
  for (int i = 0; i < 300; i++) {
    __atomic_store_n(&cell, 0, __ATOMIC_SEQ_CST);
    waiter w;
    start(&w, &cell, 0, false, 1000 * MS);
    into_the_window(&w, i);
    __atomic_store_n(&cell, 1, __ATOMIC_SEQ_CST);
    wwait_notify(&cell, UINT32_MAX);
    finish(&w);
    if (w.result != 0 && w.result != 1) missed++;
  }
  CHECK_EQ(missed, 0);
}

static void stop_request_wakes_a_forever_waiter_with_terminated(void) {
  static uint32_t cell;
  waiter w;
  start(&w, &cell, 0, false, -1);
  CHECK(until_queued(&w));
  uint64_t t0 = wplat_now_ns();
  weft_exec_request_stop(w.e);
  bool returned = until_done(&w, 1, 1) == 1;
  uint64_t took = wplat_now_ns() - t0;
  CHECK(returned);
  if (!returned) wwait_notify(&cell, UINT32_MAX);  /* unstick it so the test can go on */
  pthread_join(w.th, NULL);
  CHECK_EQ(w.result, -1);
  CHECK_EQ(w.trap, WEFT_TRAP_TERMINATED);
  WT_RECORD(took < 1000 * MS, "stopped waiter took %.3f ms to return", took / 1e6);
  CHECK_EQ(wwait_notify(&cell, UINT32_MAX), 0);  /* it left the queue */
  weft_exec_delete(w.e);
}

static void stop_requested_before_the_wait_traps_at_once(void) {
  static uint32_t cell;
  weft_exec *e = weft_exec_new(g_rt);
  weft_exec_request_stop(e);
  wtrap trap = WEFT_TRAP_NONE;
  CHECK_EQ(wwait_wait(e, &cell, 0, false, -1, &trap), -1);
  CHECK_EQ(trap, WEFT_TRAP_TERMINATED);
  atomic_store(&e->suspend, 0);  /* weft_call would consume it; no call here */
  CHECK_EQ(wwait_wait(e, &cell, 0, false, 0, &trap), 2);
  weft_exec_delete(e);
}

/* Races the stop request against the waiter publishing its bucket. A lost interrupt
 * shows up as a waiter that only returned when its 2 s timeout expired. */
static void stop_request_racing_the_start_of_a_wait_is_never_lost(void) {
  static uint32_t cell;
  int lost = 0, wrong = 0;
  for (int i = 0; i < 300; i++) {
    waiter w;
    start(&w, &cell, 0, false, 2000 * MS);
    into_the_window(&w, i);
    weft_exec_request_stop(w.e);
    finish(&w);
    if (w.result != -1) wrong++;
    if (w.elapsed_ns >= 2000 * MS) lost++;
  }
  CHECK_EQ(wrong, 0);
  CHECK_EQ(lost, 0);
}

/* A waiter that a notify dequeued (and counted) reports "ok" even if a stop request
 * reaches it before it runs again. */
static void waiter_counted_by_a_notify_reports_ok_despite_a_later_stop(void) {
  static uint32_t cell;
  waiter w;
  start(&w, &cell, 0, false, -1);
  CHECK(until_queued(&w));
  CHECK_EQ(wwait_notify(&cell, 1), 1);
  weft_exec_request_stop(w.e);
  finish(&w);
  CHECK_EQ(w.result, 0);
}

static void wait64_compares_all_64_bits(void) {
  static uint64_t cell = UINT64_C(0x100000005);
  wtrap trap;
  CHECK_EQ(wait_here(&cell, 5, true, -1, &trap), 1);        /* high half differs */
  CHECK_EQ(wait_here(&cell, UINT64_C(0x200000005), true, -1, &trap), 1);
  CHECK_EQ(wait_here(&cell, UINT64_C(0x100000005), true, 0, &trap), 2);
  waiter w;
  start(&w, &cell, UINT64_C(0x100000005), true, -1);
  CHECK(until_queued(&w));
  CHECK_EQ(wwait_notify(&cell, 1), 1);
  finish(&w);
  CHECK_EQ(w.result, 0);
}

static void wait32_compares_only_the_low_32_bits_of_expected(void) {
  static uint32_t cell = 5;
  wtrap trap;
  CHECK_EQ(wait_here(&cell, UINT64_C(0xFFFFFFFF00000005), false, 0, &trap), 2);
  CHECK_EQ(wait_here(&cell, UINT64_C(0xFFFFFFFF00000006), false, 0, &trap), 1);
}

/* (module (memory 1 1 shared)
 *   (func (export "wait") (param i32 i64) (result i32)    ;; wait32 addr, expected 0, timeout
 *     local.get 0 i32.const 0 local.get 1 memory.atomic.wait32)
 *   (func (export "notify") (param i32 i32) (result i32)  ;; notify addr, count
 *     local.get 0 local.get 1 memory.atomic.notify)) */
static const uint8_t wait_notify_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x02, 0x60, 0x02, 0x7f,
    0x7e, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01,
    0x05, 0x04, 0x01, 0x03, 0x01, 0x01, 0x07, 0x11, 0x02, 0x04, 0x77, 0x61, 0x69, 0x74,
    0x00, 0x00, 0x06, 0x6e, 0x6f, 0x74, 0x69, 0x66, 0x79, 0x00, 0x01, 0x0a, 0x19, 0x02,
    0x0c, 0x00, 0x20, 0x00, 0x41, 0x00, 0x20, 0x01, 0xfe, 0x01, 0x02, 0x00, 0x0b, 0x0a,
    0x00, 0x20, 0x00, 0x20, 0x01, 0xfe, 0x00, 0x02, 0x00, 0x0b};

/* A thread running the exported "wait" through weft_call. */
typedef struct wasm_waiter {
  weft_exec *e;
  weft_func *wait;
  int64_t timeout_ns;
  weft_status st;
  weft_slot result;
  weft_error err;
  _Atomic int done;
  pthread_t th;
} wasm_waiter;

static void *wasm_waiter_main(void *p) {
  wasm_waiter *w = p;
  weft_slot args[2] = {{.i32 = 0}, {.i64 = (uint64_t)w->timeout_ns}};
  w->st = weft_call(w->e, w->wait, args, 2, &w->result, 1, &w->err);
  atomic_store(&w->done, 1);
  return NULL;
}

static void wasm_start(wasm_waiter *w, weft_exec *e, weft_func *wait, int64_t timeout_ns) {
  memset(w, 0, sizeof *w);
  w->e = e;
  w->wait = wait;
  w->timeout_ns = timeout_ns;
  w->result.i32 = 99;
  atomic_init(&w->done, 0);
  pthread_create(&w->th, NULL, wasm_waiter_main, w);
}

static bool wasm_until_queued(wasm_waiter *w) {
  uint64_t give_up = wplat_now_ns() + 10000 * MS;
  while (!atomic_load(&w->e->wait_bucket)) {
    if (atomic_load(&w->done) || wplat_now_ns() > give_up) return false;
    nap_us(50);
  }
  return true;
}

/* End to end through the interpreter: memory.atomic.wait32 in one thread is woken by
 * memory.atomic.notify in another; a stop request ends a forever wait with "terminated"
 * and is consumed by that call, so the exec can run the next call normally. */
static void wasm_wait_is_woken_by_wasm_notify_and_ended_by_a_stop_request(void) {
  weft_error err;
  weft_module *m = weft_module_new(g_rt, wait_notify_wasm, sizeof wait_notify_wasm, &err);
  CHECK(m != NULL);
  weft_instance *inst = m ? weft_instantiate(g_rt, m, NULL, &err) : NULL;
  CHECK(inst != NULL);
  if (!inst) {
    weft_module_delete(m);
    return;
  }
  weft_func *wait = weft_instance_func(inst, "wait"), *notify = weft_instance_func(inst, "notify");
  weft_exec *waiter_exec = weft_exec_new(g_rt), *main_exec = weft_exec_new(g_rt);
  weft_slot args[2] = {{.i32 = 0}, {.i32 = UINT32_MAX}}, r = {.i32 = 99};

  CHECK_EQ(weft_call(main_exec, notify, args, 2, &r, 1, &err), WEFT_OK);
  CHECK_EQ(r.i32, 0);  /* nobody waits yet */

  wasm_waiter w;
  wasm_start(&w, waiter_exec, wait, -1);
  CHECK(wasm_until_queued(&w));
  CHECK_EQ(weft_call(main_exec, notify, args, 2, &r, 1, &err), WEFT_OK);
  CHECK_EQ(r.i32, 1);
  pthread_join(w.th, NULL);
  CHECK_EQ(w.st, WEFT_OK);
  CHECK_EQ(w.result.i32, 0);  /* "ok" */

  wasm_start(&w, waiter_exec, wait, -1);
  CHECK(wasm_until_queued(&w));
  weft_exec_request_stop(waiter_exec);
  pthread_join(w.th, NULL);
  CHECK_EQ(w.st, WEFT_FAIL);
  CHECK_EQ(w.err.trap, WEFT_TRAP_TERMINATED);
  CHECK_EQ(atomic_load(&waiter_exec->suspend), 0);  /* consumed by the call it ended */

  wasm_start(&w, waiter_exec, wait, 1 * MS);
  pthread_join(w.th, NULL);
  CHECK_EQ(w.st, WEFT_OK);
  CHECK_EQ(w.result.i32, 2);  /* "timed-out" */

  weft_exec_delete(waiter_exec);
  weft_exec_delete(main_exec);
  weft_instance_delete(inst);
  weft_module_delete(m);
}

void test_waitq(void) {
  g_rt = weft_runtime_new(NULL);
  wait_on_a_different_value_returns_not_equal_at_once();
  wait_times_out_after_its_timeout_and_not_much_later();
  timed_out_waiter_leaves_the_queue();
  notify_without_waiters_wakes_nobody();
  notify_wakes_exactly_count_waiters_oldest_first();
  notify_with_count_all_wakes_every_waiter();
  notify_wakes_only_waiters_on_that_address();
  waiter_arriving_after_a_notify_is_not_woken_by_it();
  notify_after_a_value_change_is_never_missed();
  stop_request_wakes_a_forever_waiter_with_terminated();
  stop_requested_before_the_wait_traps_at_once();
  stop_request_racing_the_start_of_a_wait_is_never_lost();
  waiter_counted_by_a_notify_reports_ok_despite_a_later_stop();
  wait64_compares_all_64_bits();
  wait32_compares_only_the_low_32_bits_of_expected();
  wasm_wait_is_woken_by_wasm_notify_and_ended_by_a_stop_request();
  weft_runtime_delete(g_rt);
}
