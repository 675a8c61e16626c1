/* qsort.c — recursive quicksort (median of three, insertion sort for small ranges) of
 * 2^18 pseudo-random 32-bit integers, n times: compares, swaps, recursion. */
#include "kernel.h"

#define COUNT (1 << 18)
static uint32_t data[COUNT];

static void insertion(uint32_t *a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static void swap(uint32_t *a, int i, int j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; }

static void quicksort(uint32_t *a, int lo, int hi) {
  while (hi - lo > 16) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    uint32_t pivot = a[mid];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    /* Recurse into the smaller side, loop on the larger. */
    if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
    else { quicksort(a, i, hi); hi = j; }
  }
  insertion(a, lo, hi);
}

long long bench(int n) {
  uint32_t x = 2463534242u;
  long long acc = 0;
  for (int rep = 0; rep < n; rep++) {
    for (int i = 0; i < COUNT; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; data[i] = x; }
    quicksort(data, 0, COUNT - 1);
    for (int i = 1; i < COUNT; i++)
      if (data[i - 1] > data[i]) return -1;  /* not sorted: a bug */
    acc += data[COUNT / 2] ^ data[rep % COUNT];
  }
  return acc;
}

KERNEL_CHECK(1)
