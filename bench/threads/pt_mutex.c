/* pt_mutex.c — uncontended pthread_mutex_lock/unlock pairs on one thread (a static mutex),
 * with a counter bumped inside. Checksum: n (pairs completed).
 * A thread is created and joined first, as in any threaded program: glibc takes a
 * non-atomic shortcut while a process has never had a second thread, which would make the
 * native side measure something no threaded program gets. */
#include "pt_common.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long long count;

static void *idle(void *arg) { return arg; }

int main(int argc, char **argv) {
  int n = pt_arg(argc, argv);
  pthread_t t;
  if (pthread_create(&t, NULL, idle, NULL) != 0 || pthread_join(t, NULL) != 0) return 1;
  double t0 = pt_now();
  for (int i = 0; i < n; i++) {
    if (pthread_mutex_lock(&lock) != 0) return 1;
    count = count + 1;
    if (pthread_mutex_unlock(&lock) != 0) return 1;
  }
  pt_report(pt_now() - t0, count);
  return 0;
}
