/* detach_thread_runs_to_completion.c — a detached thread keeps running and finishes its
 * work; detaching it again or joining it is an error (EINVAL while it runs); after it has
 * ended its slot is free for a new thread. */
#include "pt.h"

static int go; /* shared: atomic accesses only */
static int done;

static void *worker(void *arg) {
  while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST)) sleep_ms(1);
  int sum = 0;
  for (int i = 1; i <= VI(arg); i++) sum += i;
  __atomic_store_n(&done, sum, __ATOMIC_SEQ_CST);
  return NULL;
}

int main(void) {
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, worker, IV(100)), 0);
  CHECK_RC(pthread_detach(t), 0);
  printf("second detach while running: %s\n", rcname(pthread_detach(t)));
  printf("join while running: %s\n", rcname(pthread_join(t, NULL)));
  __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
  long long t0 = now_ms();
  while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) == 0 && now_ms() - t0 < 10000) sleep_ms(1);
  printf("detached thread computed %d\n", __atomic_load_n(&done, __ATOMIC_SEQ_CST));
  /* Its slot comes back: four more threads fit under the default limit of 4 (a detached
   * thread's teardown may lag its last store a little: EAGAIN is retried for 5 s). */
  pthread_t u[4];
  for (int i = 0; i < 4; i++) {
    int rc;
    t0 = now_ms();
    while ((rc = pthread_create(&u[i], NULL, worker, IV(i))) == EAGAIN && now_ms() - t0 < 5000)
      sleep_ms(5);
    CHECK_RC(rc, 0);
  }
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_join(u[i], NULL), 0);
  puts("four more threads after the detached one ended: ok");
  return 0;
}
