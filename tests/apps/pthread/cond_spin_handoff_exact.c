/* cond_spin_handoff_exact.c — condition waits that end while the waiter still spins (the
 * adaptive spin before sleeping): two threads ping-pong through one mutex and a cond each
 * while a third hammers the same mutex, so waiters that were handed the turn during their
 * spin relock a mutex others sleep on (no lost wakeup: the run finishes, counts exact);
 * then a thread kept busy in cond_wait by a signalling partner is cancelled, which ends
 * its wait whether it is spinning or sleeping (join gets PTHREAD_CANCELED). */
#include "pt.h"

#define ROUNDS 20000
#define HAMMER 20000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv[2] = {PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};
static int turn, stop_signalling;
static long long turns, hammered;

static void *player(void *arg) {
  int me = (int)(long)arg;
  CHECK_RC(pthread_mutex_lock(&m), 0);
  for (int i = 0; i < ROUNDS; i++) {
    while (turn != me) CHECK_RC(pthread_cond_wait(&turn_cv[me], &m), 0);
    turns++;
    turn = 1 - me;
    CHECK_RC(pthread_cond_signal(&turn_cv[1 - me]), 0);
  }
  CHECK_RC(pthread_mutex_unlock(&m), 0);
  return NULL;
}

static void *hammer(void *arg) {
  (void)arg;
  for (int i = 0; i < HAMMER; i++) {
    CHECK_RC(pthread_mutex_lock(&m), 0);
    hammered++;
    CHECK_RC(pthread_mutex_unlock(&m), 0);
  }
  return NULL;
}

static void *wait_forever(void *arg) {
  (void)arg;
  CHECK_RC(pthread_mutex_lock(&m), 0);
  for (;;) pthread_cond_wait(&turn_cv[0], &m);
  return NULL;
}

static void *signaller(void *arg) {
  (void)arg;
  while (!__atomic_load_n(&stop_signalling, __ATOMIC_SEQ_CST))
    pthread_cond_signal(&turn_cv[0]);
  return NULL;
}

int main(void) {
  pthread_t t[3];
  for (long i = 0; i < 2; i++) CHECK_RC(pthread_create(&t[i], NULL, player, (void *)i), 0);
  CHECK_RC(pthread_create(&t[2], NULL, hammer, NULL), 0);
  for (int i = 0; i < 3; i++) CHECK_RC(pthread_join(t[i], NULL), 0);
  printf("ping-pong: %lld turns (want %d), hammer: %lld (want %d)\n", turns, 2 * ROUNDS,
         hammered, HAMMER);

  /* a fresh mutex: the cancelled waiter may leave it locked or not */
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_create(&t[0], NULL, wait_forever, NULL), 0);
  CHECK_RC(pthread_create(&t[1], NULL, signaller, NULL), 0);
  sleep_ms(50);
  long long t0 = now_ms();
  CHECK_RC(pthread_cancel(t[0]), 0);
  void *ret = NULL;
  CHECK_RC(pthread_join(t[0], &ret), 0);
  __atomic_store_n(&stop_signalling, 1, __ATOMIC_SEQ_CST);
  CHECK_RC(pthread_join(t[1], NULL), 0);
  printf("busy cond_wait: cancelled, join got PTHREAD_CANCELED: %s, within 5 s: %s\n",
         ret == PTHREAD_CANCELED ? "yes" : "no", now_ms() - t0 < 5000 ? "yes" : "no");
  return 0;
}
