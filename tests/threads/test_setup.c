/* test_setup.c — embedder setup from several threads at once: each thread creates its own
 * runtime, loads and instantiates a module and takes a guard-page trap; and several
 * threads instantiate one module on one shared runtime. Under ThreadSanitizer this pins
 * down races in runtime creation (fault-handler install, page-size cache). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"

#define NT 4
#define ROUNDS 10

static uint8_t *g_bytes;
static size_t g_len;
static weft_runtime *g_rt;      /* the shared runtime of the second test */
static weft_module *g_mod;

/* Instantiates g_mod (or loads g_bytes into a fresh runtime when rt is NULL), calls
 * load_at_end (must trap "out of bounds memory access"), frees. 0 on success. */
static int one_round(weft_runtime *shared) {
  weft_error err;
  weft_runtime *rt = shared ? shared : weft_runtime_new(NULL);
  weft_module *m = shared ? g_mod : (rt ? weft_module_new(rt, g_bytes, g_len, &err) : NULL);
  weft_instance *inst = m ? weft_instantiate(rt, m, NULL, &err) : NULL;
  weft_exec *x = inst ? weft_exec_new(rt) : NULL;
  int bad = 1;
  if (x) {
    weft_slot r;
    weft_status st = weft_call(x, weft_instance_func(inst, "load_at_end"), NULL, 0, &r, 1, &err);
    bad = !(st == WEFT_FAIL && err.trap == WEFT_TRAP_OOB_MEMORY);
  }
  weft_exec_delete(x);
  if (inst) weft_instance_delete(inst);
  if (!shared) {
    if (m) weft_module_delete(m);
    if (rt) weft_runtime_delete(rt);
  }
  return bad;
}

static void *rounds_main(void *arg) {
  int bad = 0;
  for (int i = 0; i < ROUNDS; i++) bad += one_round(arg);
  return (void *)(intptr_t)bad;
}

/* Runs rounds_main(shared) on NT threads; returns the number of failed rounds. */
static int run_threads(weft_runtime *shared) {
  pthread_t t[NT];
  int started = 0, bad = 0;
  for (; started < NT; started++)
    if (pthread_create(&t[started], NULL, rounds_main, shared) != 0) break;
  for (int i = 0; i < started; i++) {
    void *r;
    pthread_join(t[i], &r);
    bad += (int)(intptr_t)r;
  }
  return bad + (NT - started) * ROUNDS;
}

void test_setup(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/grow.wasm", wt_wasm_dir);
  g_bytes = wt_read_module("grow", false, &g_len);
  if (!g_bytes) g_len = 0;
  if (!g_len) {
    wt_result("runtimes_created_concurrently_each_trap", false, "cannot read %s", path);
    free(g_bytes);
    return;
  }
  int bad = run_threads(NULL);
  wt_result("runtimes_created_concurrently_each_trap", bad == 0,
            "%d threads x %d runtimes, %d rounds failed", NT, ROUNDS, bad);

  weft_error err;
  g_rt = weft_runtime_new(NULL);
  g_mod = g_rt ? weft_module_new(g_rt, g_bytes, g_len, &err) : NULL;
  bad = g_mod ? run_threads(g_rt) : NT * ROUNDS;
  wt_result("one_module_instantiated_concurrently_on_one_runtime", bad == 0,
            "%d threads x %d instances, %d rounds failed", NT, ROUNDS, bad);
  if (g_mod) weft_module_delete(g_mod);
  if (g_rt) weft_runtime_delete(g_rt);
  free(g_bytes);
  g_bytes = NULL;
  g_len = 0;
}
