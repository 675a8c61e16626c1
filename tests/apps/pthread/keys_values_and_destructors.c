/* keys_values_and_destructors.c — thread-specific data: each thread sees only its own
 * value (NULL before it sets one); at thread exit (return, pthread_exit or cancel) the
 * destructor runs once for each non-NULL value with that value, not for NULL values, and
 * not for main's value when main returns. */
#include "pt.h"

static pthread_key_t key, plain;
static pthread_mutex_t m;
static int calls;
static int seen_sum;
static int seen_mask;

static void dtor(void *v) {
  pthread_mutex_lock(&m);
  calls++;
  seen_sum += VI(v);
  seen_mask |= 1 << (VI(v) % 100);
  pthread_mutex_unlock(&m);
}

static int own_ok[4];

static void *worker(void *arg) {
  int i = VI(arg);
  int initially_null = pthread_getspecific(key) == NULL;
  CHECK_RC(pthread_setspecific(key, IV(100 + i)), 0);
  CHECK_RC(pthread_setspecific(plain, IV(7)), 0); /* no destructor */
  for (int k = 0; k < 1000; k++) /* others set theirs meanwhile */
    if (pthread_getspecific(key) != IV(100 + i)) return NULL;
  __atomic_store_n(&own_ok[i], initially_null, __ATOMIC_SEQ_CST);
  if (i == 1) pthread_exit(NULL);
  if (i == 2) CHECK_RC(pthread_setspecific(key, NULL), 0); /* NULL: no destructor call */
  if (i == 3) {
    for (;;) sleep_ms(1000); /* cancelled by main */
  }
  return NULL;
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_key_create(&key, dtor), 0);
  CHECK_RC(pthread_key_create(&plain, NULL), 0);
  CHECK(key != plain);
  CHECK_RC(pthread_setspecific(key, IV(199)), 0);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&t[i], NULL, worker, IV(i)), 0);
  for (int i = 0; i < 3; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  long long t0 = now_ms();
  while (!__atomic_load_n(&own_ok[3], __ATOMIC_SEQ_CST) && now_ms() - t0 < 10000) sleep_ms(1);
  sleep_ms(20);
  CHECK_RC(pthread_cancel(t[3]), 0);
  void *ret = NULL;
  CHECK_RC(pthread_join(t[3], &ret), 0);
  printf("each thread saw NULL first, then only its own value: %s\n",
         own_ok[0] && own_ok[1] && own_ok[2] && own_ok[3] ? "yes" : "no");
  printf("main's value unchanged: %d\n", VI(pthread_getspecific(key)));
  printf("destructor calls: %d (values 100 return, 101 pthread_exit, 103 cancel)\n", calls);
  printf("destructor values: sum %d, mask 0x%x\n", seen_sum, seen_mask);
  printf("cancelled thread: PTHREAD_CANCELED: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no");
  return 0;
}
