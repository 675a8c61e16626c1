/* time.c — clock, clock_gettime, time, gettimeofday: values are plausible and monotonic. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
  struct timespec a, b, r;
  int ra = clock_gettime(CLOCK_MONOTONIC, &a);
  clock_t c0 = clock();
  volatile unsigned long long spin = 0;
  for (int i = 0; i < 2000000; i++) spin += (unsigned)i;
  (void)spin;
  clock_t c1 = clock();
  int rb = clock_gettime(CLOCK_MONOTONIC, &b);
  int rr = clock_gettime(CLOCK_REALTIME, &r);
  printf("clock_gettime returns: %d %d %d\n", ra, rb, rr);
  int mono = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
  printf("monotonic: %d, nsec in range: %d\n", mono,
         a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
  printf("realtime after 2020: %d\n", r.tv_sec > 1577836800LL);
  printf("clock: non-negative %d, non-decreasing %d\n", c0 >= 0, c1 >= c0);
  time_t t1, t0 = time(&t1);
  printf("time: after 2020 %d, stored %d\n", t0 > 1577836800LL, t0 == t1);
  struct timeval tv;
  int rt = gettimeofday(&tv, NULL);
  printf("gettimeofday: %d, close to time() %d, usec in range %d\n", rt,
         tv.tv_sec - t0 >= 0 && tv.tv_sec - t0 < 5, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  return 0;
}
