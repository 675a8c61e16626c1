/* start_routine_index_out_of_table.c — a start routine "pointer" that is no index in the
 * function table (here 9999; the table holds a handful of entries) gets a clear error on
 * stderr naming the table, and the program ends with status 1 instead of hanging or
 * crashing. */
#include "pt.h"

int main(void) {
  pthread_t t;
  puts("creating a thread with start routine index 9999");
  int rc = pthread_create(&t, NULL, (void *(*)(void *))(uintptr_t)9999u, NULL);
  if (rc == 0) rc = pthread_join(t, NULL);
  printf("not reached: rc %s\n", rcname(rc));
  return 0;
}
