/* exit.c — exit(7) ends the program from inside a call chain; output before it is kept. */
#include <stdio.h>
#include <stdlib.h>

static void finish(int code) {
  printf("leaving with %d\n", code);
  exit(code);
}

int main(void) {
  puts("start");
  finish(7);
  puts("not reached");
  return 0;
}
