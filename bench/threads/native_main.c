/* native_main.c — runs a thread kernel natively: setup(n), then worker(0, n) and
 * worker(1, n) on two pthreads released together; prints "SECONDS CHECKSUM" where
 * SECONDS covers only the workers (from release to both joined). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void setup(int n);
long long worker(int id, int n);
long long result(void);

static int g_n;
static int g_go;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *run(void *arg) {
  while (!__atomic_load_n(&g_go, __ATOMIC_ACQUIRE)) sched_yield();
  worker((int)(long)arg, g_n);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s N\n", argv[0]);
    return 2;
  }
  g_n = atoi(argv[1]);
  setup(g_n);
  pthread_t t[2];
  for (long i = 0; i < 2; i++)
    if (pthread_create(&t[i], NULL, run, (void *)i) != 0) return 1;
  double t0 = now();
  __atomic_store_n(&g_go, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  printf("%.6f %lld\n", now() - t0, result());
  return 0;
}
