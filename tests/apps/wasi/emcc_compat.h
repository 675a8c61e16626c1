/* emcc_compat.h — force-included (-include) when run-wasi.sh --routes builds the pthread
 * programs through the emcc route. Those programs call weft's microsecond form,
 * pthread_cond_timedwait(&c, &m, useconds); emscripten's <pthread.h> declares the POSIX
 * form (an absolute CLOCK_REALTIME deadline). This turns the first into the second. */
#ifndef WEFT_EMCC_COMPAT_H
#define WEFT_EMCC_COMPAT_H
#include <pthread.h>
#include <time.h>
static inline int weft_cond_timedwait_us(pthread_cond_t *c, pthread_mutex_t *m,
                                         unsigned long long us) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  unsigned long long ns = (unsigned long long)ts.tv_nsec + (us % 1000000ULL) * 1000ULL;
  ts.tv_sec += (time_t)(us / 1000000ULL + ns / 1000000000ULL);
  ts.tv_nsec = (long)(ns % 1000000000ULL);
  return pthread_cond_timedwait(c, m, &ts);
}
#define pthread_cond_timedwait(c, m, us) weft_cond_timedwait_us((c), (m), (us))
#endif
