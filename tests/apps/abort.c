/* abort.c — abort() ends the program abnormally: weft reports it on stderr, exits with 1. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  puts("about to abort");
  abort();
}
