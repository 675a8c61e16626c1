/* main.c — weft-threads-test: concurrency tests for shared memories, atomics and
 * wait/notify. Each group loads one test module (.wat converted by the build), creates one
 * instance and runs its exports from several host threads at once, one weft_exec each.
 * Prints one line per test and ends with "N passed, M failed".
 * Usage: weft-threads-test [--quick] [--aot WEFTC] [--only GROUP] [WASM_DIR]
 *   --quick  divide iteration counts by 10 (for sanitizer builds)
 *   --aot    compile every module with WEFTC and run the .aot (AOT code under threads)
 *   --only   run one group: rmw lock wait timeout stop grow traps setup heap sync cluster */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"

#ifndef WT_WASM_DIR
#define WT_WASM_DIR "."
#endif

static const struct { const char *name; void (*run)(void); } groups[] = {
  {"rmw", test_rmw},   {"lock", test_lock}, {"wait", test_wait}, {"timeout", test_timeout},
  {"stop", test_stop}, {"grow", test_grow}, {"traps", test_traps}, {"setup", test_setup},
  {"heap", test_heap},
  {"sync", test_sync},
  {"cluster", test_cluster},
};

int main(int argc, char **argv) {
  const char *only = NULL;
  wt_wasm_dir = WT_WASM_DIR;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) {
      wt_div = 10;
    } else if (strcmp(argv[i], "--aot") == 0 && i + 1 < argc) {
      wt_weftc = argv[++i];
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: %s [--quick] [--aot WEFTC] [--only GROUP] [WASM_DIR]\n", argv[0]);
      return 2;
    } else {
      wt_wasm_dir = argv[i];
    }
  }
  double t0 = wt_now();
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
    if (!only || strcmp(only, groups[g].name) == 0) groups[g].run();
  printf("(%.1f s)\n", wt_now() - t0);
  return wt_summary();
}
