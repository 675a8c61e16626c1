/* key_destructor_index_out_of_table.c — a key destructor "pointer" that is no index in
 * the function table gets a clear error naming the table (at pthread_key_create, or when
 * the thread's destructor would run), status 1, no hang. */
#include "pt.h"

static pthread_key_t key;

static void *worker(void *arg) {
  pthread_setspecific(key, arg);
  return NULL;
}

int main(void) {
  puts("key with destructor index 7777");
  int rc = pthread_key_create(&key, (void (*)(void *))(uintptr_t)7777u);
  if (rc == 0) {
    pthread_t t;
    CHECK_RC(pthread_create(&t, NULL, worker, IV(1)), 0);
    pthread_join(t, NULL);
  }
  printf("not reached: rc %s\n", rcname(rc));
  return 0;
}
