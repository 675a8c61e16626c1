/* stdlib.c — malloc, calloc, realloc, free (single thread), atoi, atol, atoll, strtol,
 * strtoul, strtoll, strtoull, bsearch, qsort, getenv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int main(void) {
  /* malloc: distinct, aligned, writable blocks. */
  char *blocks[16];
  int aligned = 1;
  for (int i = 0; i < 16; i++) {
    blocks[i] = malloc(1 + i * 37);
    if (!blocks[i]) { puts("malloc failed"); return 1; }
    aligned &= ((unsigned long)blocks[i] & 7) == 0;
    memset(blocks[i], 'a' + i, 1 + i * 37);
  }
  int intact = 1;
  for (int i = 0; i < 16; i++)
    for (int k = 0; k < 1 + i * 37; k++) intact &= blocks[i][k] == 'a' + i;
  printf("malloc: aligned %d intact %d\n", aligned, intact);
  for (int i = 0; i < 16; i += 2) free(blocks[i]);
  for (int i = 1; i < 16; i += 2) free(blocks[i]);
  free(NULL);

  /* calloc: zeroed. */
  int *z = calloc(100, sizeof *z);
  int zero = 1;
  for (int i = 0; i < 100; i++) zero &= z[i] == 0;
  printf("calloc: zeroed %d\n", zero);
  free(z);

  /* realloc: grows and shrinks keeping the contents; NULL acts as malloc. */
  int *v = realloc(NULL, 4 * sizeof *v);
  for (int i = 0; i < 4; i++) v[i] = i * i;
  int ok = 1;
  for (int size = 8; size <= 4096; size *= 2) {
    int *nv = realloc(v, size * sizeof *v);
    if (!nv) { puts("realloc failed"); return 1; }
    v = nv;
    for (int i = 0; i < size / 2; i++) ok &= v[i] == i * i;
    for (int i = size / 2; i < size; i++) v[i] = i * i;
  }
  v = realloc(v, 3 * sizeof *v);
  ok &= v[0] == 0 && v[1] == 1 && v[2] == 4;
  printf("realloc: contents kept %d\n", ok);
  free(v);

  /* Conversions. */
  printf("atoi: %d %d %d %d\n", atoi("42"), atoi("  -17xyz"), atoi("+8"), atoi("abc"));
  char *end;
  long l = strtol("  -0x1F rest", &end, 16);
  printf("strtol: %ld rest \"%s\"\n", l, end);
  printf("strtol base 0: %ld %ld %ld\n", strtol("0x10", NULL, 0), strtol("010", NULL, 0),
         strtol("10", NULL, 0));
  printf("strtol base 36: %ld\n", strtol("zz", NULL, 36));
  unsigned long u = strtoul("4294967295", &end, 10);
  printf("strtoul: %lu rest \"%s\"\n", u, end);
  printf("strtoul binary: %lu\n", strtoul("1011", NULL, 2));

  /* bsearch over a sorted array, the comparison called through the table. */
  int sorted[] = {1, 3, 5, 7, 9, 11, 13};
  int key = 9, missing = 4;
  int *hit = bsearch(&key, sorted, 7, sizeof(int), cmp_int);
  printf("bsearch: index %d, missing %s\n", hit ? (int)(hit - sorted) : -1,
         bsearch(&missing, sorted, 7, sizeof(int), cmp_int) ? "found" : "NULL");

  printf("atol: %ld atoll: %lld\n", atol("-123456"), atoll("9000000000"));
  long long ll = strtoll("-9223372036854775807x", &end, 10);
  printf("strtoll: %lld rest \"%s\"\n", ll, end);
  printf("strtoull: %llu %llx\n", strtoull("18446744073709551615", NULL, 10),
         strtoull("0xFEDCBA9876543210", NULL, 16));

  int arr[] = {5, -3, 9, 0, 9, -100, 42, 7};
  qsort(arr, 8, sizeof arr[0], cmp_int);
  printf("qsort:");
  for (int i = 0; i < 8; i++) printf(" %d", arr[i]);
  printf("\n");

  printf("getenv(\"WEFT_APPS_NO_SUCH_VAR\"): %s\n", getenv("WEFT_APPS_NO_SUCH_VAR") ? "set" : "NULL");
  return 0;
}
