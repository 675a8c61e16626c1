/* pt_counter.c — a contended counter: two threads each do n increments of one plain
 * counter under one mutex. Checksum: 2n. */
#include "pt_common.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long long count;
static int g_n;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < g_n; i++) {
    pthread_mutex_lock(&lock);
    count++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(int argc, char **argv) {
  g_n = pt_arg(argc, argv);
  pthread_t t[2];
  double t0 = pt_now();
  for (int i = 0; i < 2; i++)
    if (pthread_create(&t[i], NULL, worker, NULL) != 0) return 1;
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  pt_report(pt_now() - t0, count);
  return 0;
}
