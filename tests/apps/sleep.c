/* sleep.c — sleep, usleep, nanosleep: each blocks at least the time asked and not much
 * longer (< 500 ms for 20 ms; < 2 s for sleep(1)); nanosleep rejects an invalid timespec
 * with -1 and errno = EINVAL; zero-length sleeps return at once. */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void report(const char *what, int rc, long long us, long long min_us, long long max_us) {
  printf("%s: returns %d, at least %lld ms: %s, under %lld ms: %s\n", what, rc, min_us / 1000,
         us >= min_us ? "yes" : "no", max_us / 1000, us < max_us ? "yes" : "no");
}

int main(void) {
  long long t0 = now_us();
  int rc = usleep(20000);
  report("usleep(20000)", rc, now_us() - t0, 20000, 500000);

  struct timespec req = {0, 20000000}, rem = {7, 7};
  t0 = now_us();
  rc = nanosleep(&req, &rem);
  report("nanosleep(0 s 20000000 ns)", rc, now_us() - t0, 20000, 500000);
  printf("rem untouched after a full sleep: %s\n", rem.tv_sec == 7 && rem.tv_nsec == 7 ? "yes" : "no");

  t0 = now_us();
  rc = nanosleep(&req, NULL);
  report("nanosleep(20 ms, NULL)", rc, now_us() - t0, 20000, 500000);

  t0 = now_us();
  rc = (int)sleep(1);
  report("sleep(1)", rc, now_us() - t0, 1000000, 2000000);

  t0 = now_us();
  rc = (int)sleep(0) + usleep(0);
  struct timespec zero = {0, 0};
  rc += nanosleep(&zero, NULL);
  report("sleep(0) + usleep(0) + nanosleep(0)", rc, now_us() - t0, 0, 500000);

  struct timespec bad[] = {{0, 1000000000}, {0, -1}, {-1, 0}};
  for (int i = 0; i < 3; i++) {
    errno = 0;
    rc = nanosleep(&bad[i], NULL);
    printf("nanosleep({%lld, %ld}): %d, errno EINVAL: %s\n", bad[i].tv_sec, bad[i].tv_nsec, rc,
           errno == EINVAL ? "yes" : "no");
  }
  errno = 0;
  rc = nanosleep(&(struct timespec){0, 999999999}, NULL);
  printf("nanosleep({0, 999999999}): %d, errno %d\n", rc, errno);
  return 0;
}
