/* pt_create.c — thread create+join latency: n times, create a thread that returns its
 * argument plus one, and join it. Checksum: n (each join's value checked). */
#include "pt_common.h"

static void *child(void *arg) { return (void *)((long)arg + 1); }

int main(int argc, char **argv) {
  int n = pt_arg(argc, argv);
  long long ok = 0;
  double t0 = pt_now();
  for (int i = 0; i < n; i++) {
    pthread_t t;
    void *ret = NULL;
    if (pthread_create(&t, NULL, child, (void *)(long)i) != 0) return 1;
    if (pthread_join(t, &ret) != 0) return 1;
    ok += (long)ret == i + 1;
  }
  pt_report(pt_now() - t0, ok);
  return 0;
}
