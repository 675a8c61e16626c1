/* main.c — runs every unit test group of weft-unit. */
#include "wtest.h"

int wt_passed, wt_failed;

void test_aot_file(void);   /* test_aot_file.c */

void test_aot_emit(void);   /* test_aot_emit.c */

int main(void) {
  test_leb128();
  test_opcodes();
  test_decode();
  test_regressions();
  test_waitq();
  test_features();
  test_appheap();
  test_printf();
  test_libc();
  test_auxstack();
  test_auxfind();
  test_sandbox();
  test_sandbox_ops();
  test_sandbox_wasi();
  test_wasi_fdtab();
  test_wasi_core();
  test_aot_file();
  test_aot_emit();
  printf("%d passed, %d failed\n", wt_passed, wt_failed);
  return wt_failed ? 1 : 0;
}
