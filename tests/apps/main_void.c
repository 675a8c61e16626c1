/* main_void.c — int main(void) (exported as main, not __main_argc_argv); its result is the
 * exit status. */
#include <stdio.h>

int main(void) {
  puts("main(void)");
  return 3;
}
