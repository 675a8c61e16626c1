/* malloc_free_concurrent.c — four threads and main malloc, fill, check and free blocks of
 * varied sizes at once (and realloc/calloc some), each keeping up to 64 live blocks: no
 * block is ever handed out twice or overwritten by another thread, and at the end the heap
 * gives back a large block again (nothing leaked into fragmentation). */
#include <string.h>
#include "pt.h"

#define ROUNDS 20000
#define LIVE 64

static int start_gate;

static void *churn(void *arg) {
  unsigned tag = (unsigned)VI(arg);
  unsigned char *blk[LIVE] = {0};
  unsigned len[LIVE] = {0};
  unsigned seed = tag * 2654435761u + 1;
  int bad = 0;
  while (!__atomic_load_n(&start_gate, __ATOMIC_SEQ_CST)) sleep_ms(1);
  for (int r = 0; r < ROUNDS; r++) {
    seed = seed * 1103515245u + 12345u;
    int s = (int)((seed >> 8) % LIVE);
    if (blk[s]) {
      for (unsigned i = 0; i < len[s]; i++)
        if (blk[s][i] != (unsigned char)(tag + s + i)) { bad++; break; }
      free(blk[s]);
      blk[s] = NULL;
    } else {
      unsigned n = 1 + (seed >> 16) % 2000;
      int kind = (int)((seed >> 4) & 3);
      unsigned char *p;
      if (kind == 0) {
        p = calloc(n, 1);
        for (unsigned i = 0; p && i < n; i++)
          if (p[i] != 0) { bad++; break; }
      } else if (kind == 1) {
        p = malloc(n / 2 + 1);
        if (p) p = realloc(p, n);
      } else {
        p = malloc(n);
      }
      if (!p) { bad++; continue; }
      for (unsigned i = 0; i < n; i++) p[i] = (unsigned char)(tag + s + i);
      blk[s] = p;
      len[s] = n;
    }
  }
  for (int s = 0; s < LIVE; s++) {
    if (!blk[s]) continue;
    for (unsigned i = 0; i < len[s]; i++)
      if (blk[s][i] != (unsigned char)(tag + s + i)) { bad++; break; }
    free(blk[s]);
  }
  return IV(bad);
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) CHECK_RC(pthread_create(&t[i], NULL, churn, IV(i + 1)), 0);
  __atomic_store_n(&start_gate, 1, __ATOMIC_SEQ_CST);
  int bad = VI(churn(IV(77)));
  for (int i = 0; i < 4; i++) {
    void *r;
    CHECK_RC(pthread_join(t[i], &r), 0);
    bad += VI(r);
  }
  printf("5 threads x %d malloc/free rounds, bad blocks: %d\n", ROUNDS, bad);
  void *big = malloc(12 * 1024 * 1024); /* most of the default 16 MiB heap */
  printf("12 MiB block after the churn: %s\n", big ? "ok" : "NULL");
  free(big);
  return 0;
}
