/* table.c — tables (see table.h). Elements live in a heap array with spare capacity;
 * tables are not shared between threads, so growth may reallocate. */
#include "table.h"
#include <stdlib.h>

wtable *wtable_new(uint8_t elem_type, uint64_t min, uint64_t max, bool has_max, uint32_t cap,
                   werr *err) {
  uint64_t eff_max = has_max && max < cap ? max : cap;
  if (min > eff_max) {
    werr_set(err, WERR_RESOURCE, "table size %llu exceeds the limit of %llu elements",
             (unsigned long long)min, (unsigned long long)eff_max);
    return NULL;
  }
  wtable *t = calloc(1, sizeof *t);
  uintptr_t *elems = calloc(min ? (size_t)min : 1, sizeof *elems);
  if (!t || !elems) {
    free(t);
    free(elems);
    werr_set(err, WERR_RESOURCE, "out of memory allocating a table of %llu elements",
             (unsigned long long)min);
    return NULL;
  }
  t->elem_type = elem_type;
  t->size = (uint32_t)min;
  t->capacity = min ? (uint32_t)min : 1;
  t->max = eff_max;
  t->has_max = has_max;
  t->elems = elems;
  atomic_init(&t->refs, 1);
  return t;
}

int32_t wtable_grow(wtable *t, uint32_t delta, uintptr_t init) {
  uint64_t old = t->size, want = old + delta;
  if (want > t->max || want > INT32_MAX) return -1;
  if (want > t->capacity) {
    uint64_t cap = (uint64_t)t->capacity * 2;
    if (cap < want) cap = want;
    if (cap > t->max) cap = t->max;
    uintptr_t *e = realloc(t->elems, (size_t)cap * sizeof *e);
    if (!e) return -1;
    t->elems = e;
    t->capacity = (uint32_t)cap;
  }
  for (uint64_t i = old; i < want; i++) t->elems[i] = init;
  t->size = (uint32_t)want;
  return (int32_t)old;
}

void wtable_ref(wtable *t) { atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed); }

void wtable_unref(wtable *t) {
  if (!t || atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1) return;
  free(t->elems);
  free(t);
}
