/* weft_main.c — weft-bench-threads: runs a thread kernel's wasm under weft. Loads the
 * module, instantiates it once, calls setup(n), then worker(0, n) and worker(1, n) on two
 * host threads (one weft_exec each) released together; prints "SECONDS CHECKSUM" where
 * SECONDS covers only the workers, as bench/threads/native_main.c does.
 * Usage: weft-bench-threads [--bounds-checks] FILE.wasm N */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weft.h"

typedef struct {
  weft_exec *exec;
  weft_func *fn;
  weft_slot args[2];
  weft_status st;
  weft_error err;
} job;

static int g_go;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *run(void *arg) {
  job *j = arg;
  while (!__atomic_load_n(&g_go, __ATOMIC_ACQUIRE)) sched_yield();
  weft_slot res;
  j->st = weft_call(j->exec, j->fn, j->args, 2, &res, 1, &j->err);
  return NULL;
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = NULL;
  long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL &&
      fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static int fail(const char *what, const weft_error *err) {
  fprintf(stderr, "weft-bench-threads: %s: %s\n", what, err ? err->message : "failed");
  return 1;
}

int main(int argc, char **argv) {
  weft_config cfg = {0};
  int a = 1;
  if (a < argc && strcmp(argv[a], "--bounds-checks") == 0) {
    cfg.bounds_checks = true;
    a++;
  }
  if (argc - a != 2) {
    fprintf(stderr, "usage: %s [--bounds-checks] FILE.wasm N\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[a + 1]);
  size_t len = 0;
  unsigned char *bytes = slurp(argv[a], &len);
  if (!bytes) return fail(argv[a], NULL);
  weft_error err;
  weft_runtime *rt = weft_runtime_new(&cfg);
  if (!rt) return fail("weft_runtime_new", NULL);
  weft_module *m = weft_module_new(rt, bytes, len, &err);
  free(bytes);
  if (!m) return fail("load", &err);
  weft_instance *inst = weft_instantiate(rt, m, NULL, &err);
  if (!inst) return fail("instantiate", &err);
  weft_func *setup = weft_instance_func(inst, "setup");
  weft_func *worker = weft_instance_func(inst, "worker");
  weft_func *result = weft_instance_func(inst, "result");
  if (!setup || !worker || !result) return fail("exports setup/worker/result", NULL);

  weft_exec *main_exec = weft_exec_new(rt);
  weft_slot arg = {.i32 = (uint32_t)n}, res;
  if (weft_call(main_exec, setup, &arg, 1, NULL, 0, &err) != WEFT_OK) return fail("setup", &err);
  job jobs[2];
  pthread_t t[2];
  for (int i = 0; i < 2; i++) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].exec = weft_exec_new(rt);
    jobs[i].fn = worker;
    jobs[i].args[0].i32 = (uint32_t)i;
    jobs[i].args[1].i32 = (uint32_t)n;
    if (!jobs[i].exec || pthread_create(&t[i], NULL, run, &jobs[i]) != 0) return fail("thread", NULL);
  }
  double t0 = now();
  __atomic_store_n(&g_go, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  double dt = now() - t0;
  for (int i = 0; i < 2; i++)
    if (jobs[i].st != WEFT_OK) return fail("worker", &jobs[i].err);
  if (weft_call(main_exec, result, NULL, 0, &res, 1, &err) != WEFT_OK) return fail("result", &err);
  printf("%.6f %lld\n", dt, (long long)res.i64);

  for (int i = 0; i < 2; i++) weft_exec_delete(jobs[i].exec);
  weft_exec_delete(main_exec);
  weft_instance_delete(inst);
  weft_module_delete(m);
  weft_runtime_delete(rt);
  return 0;
}
