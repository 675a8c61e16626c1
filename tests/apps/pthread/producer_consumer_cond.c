/* producer_consumer_cond.c — 2 producers and 2 consumers pass 20,000 numbers through a
 * 4-slot ring guarded by a mutex with "not full" / "not empty" condition variables: every
 * number arrives exactly once (count and sum are exact). */
#include "pt.h"

#define ITEMS 10000 /* per producer */
#define SLOTS 4

static pthread_mutex_t m;
static pthread_cond_t not_full, not_empty;
static int ring[SLOTS], head, tail, count, producers_left = 2;
static long long consumed_sum[2];
static int consumed_n[2];

static void *producer(void *arg) {
  int base = VI(arg);
  for (int i = 1; i <= ITEMS; i++) {
    pthread_mutex_lock(&m);
    while (count == SLOTS) pthread_cond_wait(&not_full, &m);
    ring[tail] = base + i;
    tail = (tail + 1) % SLOTS;
    count++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&m);
  }
  pthread_mutex_lock(&m);
  producers_left--;
  pthread_cond_broadcast(&not_empty);
  pthread_mutex_unlock(&m);
  return NULL;
}

static void *consumer(void *arg) {
  int me = VI(arg);
  for (;;) {
    pthread_mutex_lock(&m);
    while (count == 0 && producers_left > 0) pthread_cond_wait(&not_empty, &m);
    if (count == 0) {
      pthread_mutex_unlock(&m);
      return NULL;
    }
    int v = ring[head];
    head = (head + 1) % SLOTS;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&m);
    consumed_sum[me] += v;
    consumed_n[me]++;
  }
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_cond_init(&not_full, NULL), 0);
  CHECK_RC(pthread_cond_init(&not_empty, NULL), 0);
  pthread_t p[2], c[2];
  for (int i = 0; i < 2; i++) CHECK_RC(pthread_create(&c[i], NULL, consumer, IV(i)), 0);
  for (int i = 0; i < 2; i++) CHECK_RC(pthread_create(&p[i], NULL, producer, IV(i * 1000000)), 0);
  for (int i = 0; i < 2; i++) CHECK_RC(pthread_join(p[i], NULL), 0);
  for (int i = 0; i < 2; i++) CHECK_RC(pthread_join(c[i], NULL), 0);
  long long want = 0;
  for (int b = 0; b < 2; b++)
    for (int i = 1; i <= ITEMS; i++) want += b * 1000000 + i;
  printf("items consumed: %d\n", consumed_n[0] + consumed_n[1]);
  printf("sum matches: %s\n", consumed_sum[0] + consumed_sum[1] == want ? "yes" : "no");
  CHECK_RC(pthread_cond_destroy(&not_full), 0);
  CHECK_RC(pthread_cond_destroy(&not_empty), 0);
  CHECK_RC(pthread_mutex_destroy(&m), 0);
  return 0;
}
