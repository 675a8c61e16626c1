/* mutex_misuse_errors.c — the error numbers of misused mutexes and condition variables:
 * destroying a locked mutex is EBUSY, unlocking a mutex another thread holds is EPERM,
 * relocking one's own mutex is EDEADLK (no self-deadlock hang), unlocking an unlocked one
 * is EPERM (weft's mutexes are error-checking), so is cond_wait without holding the mutex,
 * and a mutex or cond that is not 4-byte
 * aligned is EINVAL. The mutex still works afterwards. */
#include "pt.h"

static pthread_mutex_t m;
static int unlock_rc = -1;

static void *try_unlock(void *arg) {
  (void)arg;
  unlock_rc = pthread_mutex_unlock(&m);
  return NULL;
}

int main(void) {
  CHECK_RC(pthread_mutex_init(&m, NULL), 0);
  CHECK_RC(pthread_mutex_lock(&m), 0);
  printf("destroy while locked: %s\n", rcname(pthread_mutex_destroy(&m)));
  pthread_t t;
  CHECK_RC(pthread_create(&t, NULL, try_unlock, NULL), 0);
  CHECK_RC(pthread_join(t, NULL), 0);
  printf("unlock by another thread: %s\n", rcname(unlock_rc));
  printf("lock again by the owner: %s\n", rcname(pthread_mutex_lock(&m)));
  CHECK_RC(pthread_mutex_unlock(&m), 0);
  printf("unlock when unlocked: %s\n", rcname(pthread_mutex_unlock(&m)));
  static unsigned words[4];
  pthread_mutex_t *odd = (pthread_mutex_t *)((char *)words + 2);
  pthread_cond_t *oddc = (pthread_cond_t *)((char *)words + 6);
  printf("lock misaligned: %s\n", rcname(pthread_mutex_lock(odd)));
  printf("cond_signal misaligned: %s\n", rcname(pthread_cond_signal(oddc)));
  static pthread_cond_t c;
  printf("cond_wait without holding the mutex: %s\n", rcname(pthread_cond_wait(&c, &m)));
  CHECK_RC(pthread_mutex_lock(&m), 0);
  CHECK_RC(pthread_mutex_unlock(&m), 0);
  CHECK_RC(pthread_mutex_destroy(&m), 0);
  puts("mutex usable after the errors: ok");
  return 0;
}
