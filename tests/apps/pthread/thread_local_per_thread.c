/* thread_local_per_thread.c — _Thread_local variables (weft-cc -pthread: local-exec TLS,
 * __wasm_init_tls exported) are per thread: each thread starts from the initial image
 * (not from main's modified copy) and its writes are invisible to the others. */
#include "pt.h"

static _Thread_local int counter = 1000;
static _Thread_local char name[8] = "init";

static void *worker(void *arg) {
  int i = VI(arg);
  int start = counter;
  int name_ok = name[0] == 'i' && name[3] == 't';
  for (int k = 0; k < 1000 + i; k++) counter++;
  sleep_ms(10);
  name[0] = (char)('a' + i);
  return IV((start == 1000 && name_ok) ? counter : -1);
}

int main(void) {
  counter = 5;
  name[0] = 'M';
  pthread_t t[4];
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&t[i], NULL, worker, IV(i)), 0);
  for (int i = 0; i < 4; i++) {
    void *r;
    CHECK_RC(pthread_join(t[i], &r), 0);
    printf("thread %d: counter %d\n", i, VI(r));
  }
  printf("main: counter %d, name[0] %c\n", counter, name[0]);
  return 0;
}
