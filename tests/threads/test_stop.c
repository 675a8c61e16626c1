/* test_stop.c — weft_exec_request_stop from another thread ends a call blocked in an
 * infinite memory.atomic.wait32 and ones spinning in a loop (an empty one, and one over
 * memory that weftc compiles without per-iteration checks, stopped by the interrupt
 * signal under --aot): all weft_calls return a "terminated" trap, promptly, and the execs
 * can run again afterwards. */
#include <stdio.h>
#include <string.h>
#include "tests.h"

enum { A_CELL = 64 };

/* Starts func on a thread, waits `ms`, asks it to stop; checks the trap and latency. */
static void stop_one(wt_env *e, const char *name, const char *func, uint32_t nargs,
                     const int64_t *args) {
  wt_job j;
  if (!wt_job_init(&j, e, func, nargs, args) || !wt_start(&j)) return;
  wt_sleep_ms(50);
  bool early = atomic_load_explicit(&j.done, memory_order_acquire);
  double t0 = wt_now();
  weft_exec_request_stop(j.exec);
  /* wt_join itself stops overrunning jobs; give it 2 s, then it would stop again. */
  bool in_time = wt_join(&j, 2.0);
  double dt = wt_now() - t0;
  bool ok = !early && in_time && j.st == WEFT_FAIL && j.err.kind == WEFT_ERR_TRAP &&
            j.err.trap == WEFT_TRAP_TERMINATED && strcmp(j.err.message, "terminated") == 0 &&
            dt < 1.0;
  wt_result(name, ok, "%s; trap \"%s\" %.1f ms after the request",
            early ? "returned before the request" : "was running", j.err.message, dt * 1e3);
}

void test_stop(void) {
  wt_env e;
  if (!wt_open(&e, "waitnotify", false)) return;
  memset(e.mem + A_CELL, 0, 4);
  stop_one(&e, "request_stop_ends_infinite_wait", "wait32", 3, (int64_t[]){A_CELL, 0, -1});
  stop_one(&e, "request_stop_ends_spin_loop", "spin", 0, NULL);
  stop_one(&e, "request_stop_ends_pure_memory_loop", "spin_mem", 0, NULL);

  /* One exec: stopped while spinning, then used again for a normal call. */
  weft_exec *x = weft_exec_new(e.rt);
  weft_func *spin = weft_instance_func(e.inst, "spin");
  weft_func *notify = weft_instance_func(e.inst, "notify");
  weft_exec_request_stop(x);   /* a request made while idle ends the next call */
  weft_error err;
  weft_status st1 = weft_call(x, spin, NULL, 0, NULL, 0, &err);
  weft_slot args[2] = {{.i32 = A_CELL}, {.i32 = 0}}, r;
  weft_status st2 = weft_call(x, notify, args, 2, &r, 1, &err);
  wt_result("exec_runs_again_after_stop", st1 == WEFT_FAIL && st2 == WEFT_OK,
            "stopped call %s, next call %s", st1 == WEFT_FAIL ? "trapped" : "returned",
            st2 == WEFT_OK ? "ok" : err.message);
  weft_exec_delete(x);
  wt_close(&e);
}
