/* harness.c — see harness.h. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *wt_wasm_dir = ".";
int wt_div = 1;
const char *wt_weftc;
static int g_passed, g_failed;

double wt_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void wt_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

void wt_result(const char *name, bool ok, const char *fmt, ...) {
  char detail[512] = "";
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
  }
  printf("%s %-52s %s\n", ok ? "ok  " : "FAIL", name, detail);
  fflush(stdout);
  if (ok) g_passed++; else g_failed++;
}

int wt_summary(void) {
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed ? 1 : 0;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL &&
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      buf = NULL;
    }
    *len = (size_t)n;
  }
  fclose(f);
  return buf;
}

/* --aot: the .aot files of this run, removed at exit */
static char g_aot_dir[900];
static char g_aot_files[64][1024];
static int g_naot;
static pthread_mutex_t g_aot_lock = PTHREAD_MUTEX_INITIALIZER;

static void aot_cleanup(void) {
  for (int i = 0; i < g_naot; i++) unlink(g_aot_files[i]);
  if (g_aot_dir[0]) rmdir(g_aot_dir);
}

uint8_t *wt_read_module(const char *name, bool bounds_checks, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wasm", wt_wasm_dir, name);
  if (!wt_weftc) {
    uint8_t *b = read_file(path, len);
    if (!b) fprintf(stderr, "cannot read %s\n", path);
    return b;
  }
  pthread_mutex_lock(&g_aot_lock);
  if (!g_aot_dir[0]) {
    const char *tmp = getenv("TMPDIR");
    snprintf(g_aot_dir, sizeof g_aot_dir, "%s/weft-threads-aot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_aot_dir)) g_aot_dir[0] = 0;
    else atexit(aot_cleanup);
  }
  char out[1024];
  snprintf(out, sizeof out, "%s/%s%s.aot", g_aot_dir, name, bounds_checks ? "-bc" : "");
  bool ok = g_aot_dir[0] != 0;
  if (ok && access(out, R_OK) != 0) {
    char *argv[] = {(char *)wt_weftc, "--enable-multi-thread",
                    bounds_checks ? "--bounds-checks=1" : "--bounds-checks=0", "-o", out, path,
                    NULL};
    pid_t pid;
    int status = 0;
    ok = posix_spawn(&pid, wt_weftc, NULL, NULL, argv, environ) == 0 &&
         waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok && g_naot < 64) snprintf(g_aot_files[g_naot++], sizeof g_aot_files[0], "%s", out);
    if (!ok) fprintf(stderr, "%s failed to compile %s\n", wt_weftc, path);
  }
  pthread_mutex_unlock(&g_aot_lock);
  uint8_t *b = ok ? read_file(out, len) : NULL;
  if (ok && !b) fprintf(stderr, "cannot read %s\n", out);
  return b;
}

bool wt_open(wt_env *e, const char *name, bool bounds_checks) {
  return wt_open_heap(e, name, bounds_checks, 0);
}

bool wt_open_heap(wt_env *e, const char *name, bool bounds_checks, uint32_t heap_size) {
  memset(e, 0, sizeof *e);
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.%s", wt_wasm_dir, name, wt_weftc ? "aot" : "wasm");
  size_t len = 0;
  uint8_t *bytes = wt_read_module(name, bounds_checks, &len);
  if (!bytes) {
    wt_result(name, false, "cannot read or compile %s", path);
    return false;
  }
  weft_config cfg = {0};
  cfg.bounds_checks = bounds_checks;
  weft_error err;
  weft_instance_options io = {0};
  io.heap_size = heap_size;
  e->rt = weft_runtime_new(&cfg);
  if (e->rt && heap_size && weft_libc_builtin_register(e->rt, &err) != WEFT_OK) {
    weft_runtime_delete(e->rt);
    e->rt = NULL;
  }
  if (e->rt) e->mod = weft_module_new(e->rt, bytes, len, &err);
  if (e->mod) e->inst = weft_instantiate_opts(e->rt, e->mod, NULL, &io, &err);
  free(bytes);
  if (!e->inst) {
    wt_result(name, false, "%s: %s", path, e->rt ? err.message : "weft_runtime_new failed");
    wt_close(e);
    return false;
  }
  weft_memory *m = weft_instance_default_memory(e->inst);
  e->mem = m ? weft_memory_data(m) : NULL;
  return true;
}

void wt_close(wt_env *e) {
  if (e->leaked) return;
  if (e->inst) weft_instance_delete(e->inst);
  if (e->mod) weft_module_delete(e->mod);
  if (e->rt) weft_runtime_delete(e->rt);
  memset(e, 0, sizeof *e);
}

static void set_args(weft_func *fn, weft_slot *slots, uint32_t nargs, const int64_t *args) {
  for (uint32_t i = 0; i < nargs; i++) {
    memset(&slots[i], 0, sizeof slots[i]);
    if (weft_func_param_type(fn, i) == WEFT_I32)
      slots[i].i32 = (uint32_t)args[i];
    else
      slots[i].i64 = (uint64_t)args[i];
  }
}

bool wt_job_init(wt_job *j, wt_env *e, const char *func, uint32_t nargs, const int64_t *args) {
  memset(j, 0, sizeof *j);
  j->env = e;
  j->name = func;
  j->fn = weft_instance_func(e->inst, func);
  if (!j->fn || nargs > 4 || weft_func_param_count(j->fn) != nargs) {
    wt_result(func, false, "export missing or has another arity");
    return false;
  }
  j->nargs = nargs;
  set_args(j->fn, j->args, nargs, args);
  atomic_init(&j->done, 0);
  return true;
}

static void *job_main(void *arg) {
  wt_job *j = arg;
  if (j->gate)
    while (!atomic_load_explicit(j->gate, memory_order_acquire)) sched_yield();
  double t0 = wt_now();
  uint32_t nres = weft_func_result_count(j->fn);
  weft_slot res[4] = {{0}};
  j->st = weft_call(j->exec, j->fn, j->args, j->nargs, nres ? res : NULL, nres > 4 ? 4 : nres,
                    &j->err);
  j->res = res[0];
  j->secs = wt_now() - t0;
  atomic_store_explicit(&j->done, 1, memory_order_release);
  return NULL;
}

bool wt_start(wt_job *j) {
  j->exec = weft_exec_new(j->env->rt);
  if (!j->exec) return false;
  if (pthread_create(&j->tid, NULL, job_main, j) != 0) {
    weft_exec_delete(j->exec);
    j->exec = NULL;
    return false;
  }
  j->started = true;
  return true;
}

/* Polls the done flag until the deadline; true if the job finished. */
static bool wait_done(wt_job *j, double deadline) {
  while (!atomic_load_explicit(&j->done, memory_order_acquire)) {
    if (wt_now() >= deadline) return false;
    wt_sleep_ms(1);
  }
  return true;
}

bool wt_join(wt_job *j, double timeout_s) {
  if (!j->started) return false;
  bool in_time = wait_done(j, wt_now() + timeout_s);
  if (!in_time) {
    weft_exec_request_stop(j->exec);
    if (!wait_done(j, wt_now() + 10.0)) {
      wt_result("thread_stops_on_request", false, "%s still running 10 s after "
                "weft_exec_request_stop; leaking it", j->name);
      pthread_detach(j->tid);
      j->env->leaked = true;
      j->exec = NULL;
      j->started = false;
      return false;
    }
  }
  pthread_join(j->tid, NULL);
  weft_exec_delete(j->exec);
  j->exec = NULL;
  j->started = false;
  return in_time;
}

bool wt_run(wt_job *jobs, int n, double timeout_s) {
  bool ok = true;
  _Atomic int gate;
  atomic_init(&gate, 0);
  for (int i = 0; i < n; i++) {
    jobs[i].gate = &gate;
    ok &= wt_start(&jobs[i]);
  }
  atomic_store_explicit(&gate, 1, memory_order_release);
  double deadline = wt_now() + timeout_s;
  for (int i = 0; i < n; i++) {
    double left = deadline - wt_now();
    ok &= wt_join(&jobs[i], left > 0 ? left : 0);
  }
  return ok;
}

bool wt_job_ok(const wt_job *j, char *why, size_t len) {
  if (j->st == WEFT_OK) return true;
  snprintf(why, len, "%s trapped: %.200s", j->name, j->err.message);
  return false;
}

weft_status wt_call(wt_env *e, const char *func, uint32_t nargs, const int64_t *args,
                    weft_slot *res, weft_error *err) {
  weft_func *fn = weft_instance_func(e->inst, func);
  if (!fn || nargs > 4 || weft_func_param_count(fn) != nargs) {
    memset(err, 0, sizeof *err);
    err->kind = WEFT_ERR_ARG;
    snprintf(err->message, sizeof err->message, "no export %s/%u", func, nargs);
    return WEFT_FAIL;
  }
  weft_exec *x = weft_exec_new(e->rt);
  if (!x) {
    memset(err, 0, sizeof *err);
    snprintf(err->message, sizeof err->message, "weft_exec_new failed");
    return WEFT_FAIL;
  }
  weft_slot slots[4], out[4] = {{0}};
  set_args(fn, slots, nargs, args);
  uint32_t nres = weft_func_result_count(fn);
  weft_status st = weft_call(x, fn, slots, nargs, nres ? out : NULL, nres > 4 ? 4 : nres, err);
  if (res) *res = out[0];
  weft_exec_delete(x);
  return st;
}
