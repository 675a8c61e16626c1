/* stress_64_threads_alive.c — with --max-threads=64 (and a 1 MiB aux stack: 65 slices of
 * 16 KiB), 64 threads are alive at once: each checks in, then all wait on one condition
 * variable until main sees all 64 and broadcasts; the 65th create returns EAGAIN. Each
 * thread touches 8 KiB of its own stack slice while the others are alive. */
#include <string.h>
#include "pt.h"

#define N 64

static pthread_mutex_t m;
static pthread_cond_t c;
static int arrived, released;

__attribute__((noinline)) static int use_stack(int tag) {
  volatile unsigned char buf[8192];
  for (int i = 0; i < 8192; i++) buf[i] = (unsigned char)(tag + i);
  pthread_mutex_lock(&m);
  arrived++;
  if (arrived == N) pthread_cond_broadcast(&c);
  while (!released) pthread_cond_wait(&c, &m);
  pthread_mutex_unlock(&m);
  int bad = 0;
  for (int i = 0; i < 8192; i++)
    if (buf[i] != (unsigned char)(tag + i)) bad = 1;
  return bad;
}

static void *worker(void *arg) { return IV(use_stack(VI(arg))); }

int main(void) {
  pthread_t t[N], extra;
  for (int i = 0; i < N; i++) CHECK_RC(pthread_create(&t[i], NULL, worker, IV(i)), 0);
  printf("65th thread: %s\n", rcname(pthread_create(&extra, NULL, worker, IV(99))));
  pthread_mutex_lock(&m);
  while (arrived < N) pthread_cond_wait(&c, &m);
  printf("alive at once: %d\n", arrived);
  released = 1;
  pthread_cond_broadcast(&c);
  pthread_mutex_unlock(&m);
  int bad = 0;
  for (int i = 0; i < N; i++) {
    void *r;
    CHECK_RC(pthread_join(t[i], &r), 0);
    bad += VI(r);
  }
  printf("stacks clobbered: %d\n", bad);
  return 0;
}
