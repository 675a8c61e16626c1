/* keys_destructor_rounds_and_delete.c — a destructor that stores a new value makes the
 * destructors run again (POSIX's repeated rounds), at most PTHREAD_DESTRUCTOR_ITERATIONS
 * rounds (4) for one that always re-sets it; a destructor sees its key already NULL;
 * pthread_key_delete frees the key (later calls on it are EINVAL) and runs no destructor;
 * a key created afterwards (it may reuse the slot) starts NULL, also in main, which had a
 * value for the deleted key. */
#include "pt.h"

#ifndef PTHREAD_DESTRUCTOR_ITERATIONS
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#endif

static pthread_key_t once_more, forever, deleted;
static int once_more_calls, forever_calls, deleted_calls, saw_null_inside = 1;

static void dtor_once_more(void *v) {
  if (pthread_getspecific(once_more) != NULL) saw_null_inside = 0;
  once_more_calls++;
  if (VI(v) == 1) pthread_setspecific(once_more, IV(2)); /* one more round */
}

static void dtor_forever(void *v) {
  forever_calls++;
  pthread_setspecific(forever, v); /* never settles */
}

static void dtor_deleted(void *v) {
  (void)v;
  deleted_calls++;
}

static int ready, go_on;

static void *worker(void *arg) {
  (void)arg;
  pthread_setspecific(once_more, IV(1));
  pthread_setspecific(forever, IV(5));
  pthread_setspecific(deleted, IV(9));
  __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
  while (!__atomic_load_n(&go_on, __ATOMIC_SEQ_CST)) sleep_ms(1);
  return NULL;
}

int main(void) {
  CHECK_RC(pthread_key_create(&once_more, dtor_once_more), 0);
  CHECK_RC(pthread_key_create(&forever, dtor_forever), 0);
  CHECK_RC(pthread_key_create(&deleted, dtor_deleted), 0);
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, worker, NULL), 0);
  CHECK_RC(pthread_setspecific(deleted, IV(8)), 0);
  while (!__atomic_load_n(&ready, __ATOMIC_SEQ_CST)) sleep_ms(1);
  /* The worker has set its values; delete one key under it, then let it end. */
  CHECK_RC(pthread_key_delete(deleted), 0);
  __atomic_store_n(&go_on, 1, __ATOMIC_SEQ_CST);
  CHECK_RC(pthread_join(t, NULL), 0);
  printf("re-set once: %d destructor calls, key NULL inside: %s\n", once_more_calls,
         saw_null_inside ? "yes" : "no");
  printf("re-set always: %d calls (PTHREAD_DESTRUCTOR_ITERATIONS %d)\n", forever_calls,
         PTHREAD_DESTRUCTOR_ITERATIONS);
  printf("deleted key: %d destructor calls\n", deleted_calls);
  printf("setspecific on deleted key: %s\n", rcname(pthread_setspecific(deleted, IV(1))));
  printf("delete twice: %s\n", rcname(pthread_key_delete(deleted)));
  pthread_key_t again;
  CHECK_RC(pthread_key_create(&again, NULL), 0);
  printf("new key starts NULL: %s\n", pthread_getspecific(again) == NULL ? "yes" : "no");
  CHECK_RC(pthread_key_delete(again), 0);
  return 0;
}
