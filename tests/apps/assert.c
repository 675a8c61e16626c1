/* assert.c — a passing assert does nothing; a failing one prints its message and aborts
 * (weft reports a trap and exits with 1). */
#include <assert.h>
#include <stdio.h>

static int check(int v) {
  assert(v > 0);
  return v;
}

int main(void) {
  printf("check(1) = %d\n", check(1));
  printf("check(0) = %d\n", check(0));
  return 0;
}
