/* proc_exit_thread (WASI route, -pthread) — three threads sleep for 30 s (nanosleep:
 * poll_oneoff), main waits in pthread_join, and a fourth thread calls exit(7)
 * (proc_exit) after 100 ms: the program must end at once with status 7. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void *sleeper(void *arg) {
  (void)arg;
  struct timespec ts = {30, 0};
  nanosleep(&ts, NULL);
  write(1, "sleeper woke up: WRONG\n", 23);
  return NULL;
}

static void *exiter(void *arg) {
  (void)arg;
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
  write(1, "exiting with 7\n", 15);
  exit(7);
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, sleeper, NULL);
  pthread_create(&t[3], NULL, exiter, NULL);
  write(1, "started\n", 8);
  pthread_join(t[0], NULL);
  write(1, "main joined: WRONG\n", 19);
  return 0;
}
