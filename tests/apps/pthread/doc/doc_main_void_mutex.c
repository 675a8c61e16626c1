/* doc_main_void_mutex.c — with `int main(void)` the document's command links as printed
 * (--export=main). Two threads add under a static mutex and malloc from the app heap that
 * weft appends to the document's 2-page memory. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void *add(void *arg) {
  int *box = malloc(sizeof *box);
  if (!box) return arg;
  *box = 1000;
  for (int i = 0; i < *box; i++) {
    pthread_mutex_lock(&lock);
    total++;
    pthread_mutex_unlock(&lock);
  }
  free(box);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  if (pthread_create(&a, NULL, add, NULL) || pthread_create(&b, NULL, add, NULL)) return 1;
  void *ra, *rb;
  pthread_join(a, &ra);
  pthread_join(b, &rb);
  printf("total %d, malloc in threads: %s\n", total, ra == NULL && rb == NULL ? "ok" : "failed");
  return 0;
}
