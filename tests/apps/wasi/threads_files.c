/* threads_files (WASI route, -pthread) — 4 threads each write 500 lines to their own
 * file through stdio (fopen/fprintf/fclose: malloc'd buffers from weft's heap) and 10
 * lines to stdout with write(2) (one fd_write each: wasi-libc's FILEs have no locks in
 * this route, so threads must not share one); main then reads every file back. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define LINES 500

static void *worker(void *arg) {
  int id = (int)(long)arg;
  char name[32];
  snprintf(name, sizeof name, "out_%d.txt", id);
  FILE *f = fopen(name, "w");
  if (!f) { perror(name); return (void *)1; }
  for (int i = 0; i < LINES; i++) {
    fprintf(f, "thread %d line %d\n", id, i);
    if (i % 50 == 0) {
      char msg[64];
      int n = snprintf(msg, sizeof msg, "thread %d wrote %d lines\n", id, i);
      write(1, msg, n);
    }
  }
  if (fclose(f) != 0) return (void *)2;
  return (void *)0;
}

int main(void) {
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++)
    if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) { printf("create failed\n"); return 1; }
  int bad = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    bad |= r != NULL;
  }
  for (int id = 0; id < THREADS; id++) {
    char name[32], line[64], want[64];
    snprintf(name, sizeof name, "out_%d.txt", id);
    FILE *f = fopen(name, "r");
    int n = 0, ok = f != NULL;
    while (ok && fgets(line, sizeof line, f)) {
      snprintf(want, sizeof want, "thread %d line %d\n", id, n);
      ok = strcmp(line, want) == 0;
      n++;
    }
    if (f) fclose(f);
    char msg[64];
    int len = snprintf(msg, sizeof msg, "zz %s: %d lines %s\n", name, n, ok && n == LINES ? "ok" : "WRONG");
    write(1, msg, len);
    remove(name);
  }
  return bad;
}
