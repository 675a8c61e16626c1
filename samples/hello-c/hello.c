/* hello.c — a C program for weft's libc-builtin route.
 *
 *   sdk/bin/weft-cc -O2 samples/hello-c/hello.c -o build/samples/hello-c.wasm
 *   build/weft build/samples/hello-c.wasm world
 *
 * prints a greeting per argument, and a small computation with a heap buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("Hello from C on weft!\n");
  }
  for (int i = 1; i < argc; i++) printf("Hello, %s!\n", argv[i]);

  /* The sum of the first 100 squares, in a malloc'd array. */
  int n = 100;
  long long *sq = malloc(n * sizeof *sq);
  if (!sq) {
    puts("malloc failed");
    return 1;
  }
  long long sum = 0;
  for (int i = 0; i < n; i++) sum += sq[i] = (long long)(i + 1) * (i + 1);
  char line[64];
  snprintf(line, sizeof line, "sum of the first %d squares = %lld", n, sum);
  printf("%s (%zu characters)\n", line, strlen(line));
  free(sq);
  return 0;
}
