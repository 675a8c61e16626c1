/* bad_nanosleep.c — a timespec pointer outside linear memory traps (status 1) instead of
 * sleeping or reading host memory. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int main(void) {
  puts("before");
  struct timespec *req = (struct timespec *)(uintptr_t)0xfffffff8u;
  nanosleep(req, NULL);
  puts("not reached");
  return 0;
}
