/* basics — args, environment, clocks, random bytes, stdio (stdout, stderr, stdin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char *v = getenv("WEFT_TEST_VAR");
  printf("WEFT_TEST_VAR=%s\n", v ? v : "(unset)");
  printf("EMPTY_VAR=%s\n", getenv("EMPTY_VAR") ? "(set)" : "(unset)");
  printf("HOME=%s\n", getenv("HOME") ? "(leaked from the host)" : "(unset)");

  struct timespec a, b, r, rt;
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec nap = {0, 20 * 1000 * 1000};
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long ms = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000;
  printf("slept 20 ms: %s\n", ms >= 19 && ms < 2000 ? "ok" : "WRONG");
  printf("clock_getres monotonic: %s\n",
         clock_getres(CLOCK_MONOTONIC, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0) ? "ok" : "WRONG");
  clock_gettime(CLOCK_REALTIME, &rt);
  printf("realtime after 2020: %s\n", rt.tv_sec > 1577836800 ? "yes" : "no");
  __wasi_timestamp_t res = 0;
  printf("clock_res_get(bad id) = %d\n", __wasi_clock_res_get(99, &res));

  unsigned char buf[64] = {0};
  printf("random_get = %d\n", __wasi_random_get(buf, sizeof buf));
  int nonzero = 0;
  for (size_t i = 0; i < sizeof buf; i++) nonzero += buf[i] != 0;
  printf("random bytes nonzero: %s\n", nonzero > 32 ? "yes" : "no");

  char line[128];
  if (fgets(line, sizeof line, stdin)) printf("stdin: %s", line);
  else printf("stdin: EOF\n");
  fprintf(stderr, "to stderr\n");
  fflush(stdout);
  write(1, "raw write\n", 10);
  printf("sched_yield = %d\n", __wasi_sched_yield());
  return 3;
}
