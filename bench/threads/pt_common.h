/* pt_common.h — the timer and report line of the pthread benchmark programs (pt_*.c), for
 * both builds of the same source: wasm with sdk/bin/weft-cc -pthread (the libc-builtin
 * sysroot's pthread.h and time.h) and native with gcc -O2 -pthread. Each program takes N
 * and prints "SECONDS CHECKSUM", timing only its measured part. */
#ifndef BENCH_PT_COMMON_H
#define BENCH_PT_COMMON_H
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Monotonic seconds. */
static double pt_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* N from argv[1] (at least 1); exits with a usage message otherwise. */
static int pt_arg(int argc, char **argv) {
  if (argc != 2 || atoi(argv[1]) < 1) {
    printf("usage: %s N\n", argv[0]);
    exit(2);
  }
  return atoi(argv[1]);
}

/* Prints the report line. */
static void pt_report(double secs, long long checksum) { printf("%.6f %lld\n", secs, checksum); }

#endif
