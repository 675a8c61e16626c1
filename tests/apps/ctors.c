/* ctors.c — constructors run (through __wasm_call_ctors) before main. */
#include <stdio.h>

static int order[4], n;

__attribute__((constructor(101))) static void first(void) { order[n++] = 1; }
__attribute__((constructor(102))) static void second(void) { order[n++] = 2; }

int main(void) {
  order[n++] = 3;
  printf("ran %d:", n);
  for (int i = 0; i < n; i++) printf(" %d", order[i]);
  printf("\n");
  return 0;
}
