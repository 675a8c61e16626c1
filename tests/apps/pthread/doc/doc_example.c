/* doc_example.c — the reference document's example program (one thread prints a line,
 * main creates and joins it; main takes argc/argv, which clang 14 emits as
 * __main_argc_argv), built by run-pthread.sh with the document's libc-builtin command:
 * -O3, -z stack-size=32768 (5 slices of 6.4 KiB), 2 pages of shared memory, no exported
 * table. weft must print the line and exit 0 with its default heap. */
#include <pthread.h>
#include <stdio.h>

static void *say_hello(void *arg) {
  (void)arg;
  printf("Enter thread\n");
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t tid;
  (void)argc;
  (void)argv;
  if (pthread_create(&tid, NULL, say_hello, NULL) != 0) {
    printf("Failed to create thread\n");
    return 1;
  }
  if (pthread_join(tid, NULL) != 0) {
    printf("Failed to join thread %u.\n", tid);
    return 1;
  }
  return 0;
}
