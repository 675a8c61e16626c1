/* mutex_hot_loop_stop_wakes_sleepers.c — threads hammer one mutex forever (lock; count++;
 * unlock), so at any moment the others are asleep on it (a contended lock sleeps at once)
 * or about to be; main takes it too, to read the count. exit(3) from main then ends the
 * program promptly with status 3 (the runner's maxsecs): the stop request wakes the
 * threads asleep on the mutex. (No cancel here: a thread cancelled between its lock and
 * unlock would leave the mutex locked for good, as there are no cleanup handlers.) */
#include "pt.h"

#define THREADS 3

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned count;

static void *hammer(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&lock);
    count = count + 1;
    pthread_mutex_unlock(&lock);
  }
  return IV(1);
}

static unsigned read_count(void) {
  pthread_mutex_lock(&lock);
  unsigned c = count;
  pthread_mutex_unlock(&lock);
  return c;
}

static void wait_for(unsigned target) {
  long long t0 = now_ms();
  while (read_count() < target) {
    CHECK(now_ms() - t0 < 20000);
    sleep_ms(1);
  }
}

int main(void) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) CHECK_RC(pthread_create(&t[i], NULL, hammer, NULL), 0);
  wait_for(100000);
  unsigned c = read_count();
  wait_for(c + 100000);
  puts("the threads went on counting");
  puts("main calls exit(3)");
  exit(3);
}
