/* check.c — see check.h. */
#include "check.h"
#include <stdarg.h>
#include <stdio.h>

static int passed, failed;

bool check_report(bool ok, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf(ok ? "ok   " : "FAIL ");
  vprintf(fmt, ap);
  va_end(ap);
  if (!ok) printf(" (%s:%d)", file, line);
  printf("\n");
  fflush(stdout);
  if (ok) passed++;
  else failed++;
  return ok;
}

int check_summary(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
