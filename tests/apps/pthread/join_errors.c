/* join_errors.c — pthread_join's errors: joining oneself is EDEADLK (main and a created
 * thread), a detached thread EINVAL, an id that was never handed out ESRCH, a thread
 * already joined ESRCH; detach/cancel of an unknown id ESRCH. None of them hangs. */
#include "pt.h"

static int self_rc = -1;
static int gate;

static void *join_self(void *arg) {
  (void)arg;
  self_rc = pthread_join(pthread_self(), NULL);
  return NULL;
}

static void *parked(void *arg) {
  (void)arg;
  while (!__atomic_load_n(&gate, __ATOMIC_SEQ_CST)) sleep_ms(1);
  return NULL;
}

int main(void) {
  printf("main joins itself: %s\n", rcname(pthread_join(pthread_self(), NULL)));
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, join_self, NULL), 0);
  CHECK_RC(pthread_join(t, NULL), 0);
  printf("thread joins itself: %s\n", rcname(self_rc));
  printf("join the same thread again: %s\n", rcname(pthread_join(t, NULL)));

  pthread_t d;
  CHECK_RC(pthread_create(&d, NULL, parked, NULL), 0);
  CHECK_RC(pthread_detach(d), 0);
  printf("join a detached thread: %s\n", rcname(pthread_join(d, NULL)));
  __atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);

  pthread_t unknown = 0x7ffffff0u;
  printf("join an unknown id: %s\n", rcname(pthread_join(unknown, NULL)));
  printf("join id 0: %s\n", rcname(pthread_join(0, NULL)));
  printf("detach an unknown id: %s\n", rcname(pthread_detach(unknown)));
  printf("cancel an unknown id: %s\n", rcname(pthread_cancel(unknown)));
  return 0;
}
