/* harness.h — weft-threads-test's scaffolding: one instance of a test module, jobs that
 * run one export each on their own host thread (one weft_exec per thread), a watchdog
 * that stops jobs that overrun, and the pass/fail tally. Uses only weft.h and pthreads. */
#ifndef WT_HARNESS_H
#define WT_HARNESS_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "weft.h"

/* A loaded module and its single instance. */
typedef struct {
  weft_runtime *rt;
  weft_module *mod;
  weft_instance *inst;
  uint8_t *mem;          /* the instance's memory 0 */
  bool leaked;           /* a thread ignored a stop request: never free this instance */
} wt_env;

/* One export call on its own thread. */
typedef struct {
  wt_env *env;
  weft_func *fn;
  const char *name;
  weft_slot args[4];
  uint32_t nargs;
  weft_exec *exec;
  pthread_t tid;
  bool started;
  _Atomic int done;      /* set by the thread when weft_call returned */
  weft_status st;        /* the call's status, error and first result */
  weft_error err;
  weft_slot res;
  double secs;           /* wall time of the call */
  _Atomic int *gate;     /* if set, the thread waits for *gate != 0 before calling */
} wt_job;

/* Options from the command line. */
extern const char *wt_wasm_dir;  /* where the test modules' .wasm files are */
extern int wt_div;               /* iteration counts are divided by this (--quick: 10) */
extern const char *wt_weftc;     /* --aot WEFTC: run every module AOT-compiled by it */

/* The bytes of test module `name` (malloc'd, *len its size): DIR/name.wasm, or with --aot
 * that module compiled once per run by weftc --enable-multi-thread (and --bounds-checks=1
 * when bounds_checks) into a .aot. NULL if it cannot be read or compiled (a message on
 * stderr). */
uint8_t *wt_read_module(const char *name, bool bounds_checks, size_t *len);

/* Loads DIR/name.wasm into a fresh runtime and instantiates it; on failure records a
 * failed test `name` with the reason and returns false. */
bool wt_open(wt_env *e, const char *name, bool bounds_checks);
/* As wt_open, with libc-builtin registered under "env" and an app heap of heap_size
 * bytes (0: neither). */
bool wt_open_heap(wt_env *e, const char *name, bool bounds_checks, uint32_t heap_size);
/* Frees the instance, module and runtime. */
void wt_close(wt_env *e);

/* Prepares a job calling export `func` with nargs integer args (i32 or i64 per the
 * function's parameter types). Returns false (and reports under `func`) if it is missing. */
bool wt_job_init(wt_job *j, wt_env *e, const char *func, uint32_t nargs, const int64_t *args);
/* Starts the job's thread. */
bool wt_start(wt_job *j);
/* Waits up to timeout_s for the job; on overrun asks it to stop (weft_exec_request_stop)
 * and waits again. Returns false if it overran. Frees the job's exec. A thread that is
 * still running 10 s after the stop request is recorded as a failed test, detached and
 * leaked together with its instance (wt_close then frees nothing). */
bool wt_join(wt_job *j, double timeout_s);
/* Starts n jobs behind a gate, opens it once all threads exist (so they overlap), then
 * joins them all within timeout_s; true if none overran. */
bool wt_run(wt_job *jobs, int n, double timeout_s);
/* True if the job returned normally; otherwise writes why into why[len]. */
bool wt_job_ok(const wt_job *j, char *why, size_t len);

/* Calls export func on the calling thread with a fresh exec; returns the status and puts
 * the first result in *res and the error in *err. */
weft_status wt_call(wt_env *e, const char *func, uint32_t nargs, const int64_t *args,
                    weft_slot *res, weft_error *err);

/* Monotonic seconds. */
double wt_now(void);
/* Sleeps ms milliseconds. */
void wt_sleep_ms(int ms);
/* Records one test result and prints "ok   name  detail" or "FAIL name  detail". */
void wt_result(const char *name, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints "N passed, M failed"; returns the exit status (0 if none failed). */
int wt_summary(void);

#endif
