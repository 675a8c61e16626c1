/* pt_condpp.c — condition-variable ping-pong: two threads take turns through one mutex
 * and one cond per side (wait until it is my turn, pass the turn, signal the other);
 * n round trips. Checksum: 2n (turns taken). */
#include "pt_common.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv[2] = {PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};
static int turn;
static long long turns;
static int g_n;

static void *player(void *arg) {
  int me = (int)(long)arg;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < g_n; i++) {
    while (turn != me) pthread_cond_wait(&turn_cv[me], &lock);
    turns++;
    turn = 1 - me;
    pthread_cond_signal(&turn_cv[1 - me]);
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(int argc, char **argv) {
  g_n = pt_arg(argc, argv);
  pthread_t t[2];
  double t0 = pt_now();
  for (long i = 0; i < 2; i++)
    if (pthread_create(&t[i], NULL, player, (void *)i) != 0) return 1;
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  pt_report(pt_now() - t0, turns);
  return 0;
}
