/* table.h — tables of references (funcref: wfuncinst*, externref: opaque uintptr_t). */
#ifndef WEFT_TABLE_H
#define WEFT_TABLE_H
#include "rt.h"

/* Creates a table of `min` null elements; max is capped by `cap` (config
 * max_table_elems). NULL with WERR_RESOURCE if min exceeds the cap or allocation fails. */
wtable *wtable_new(uint8_t elem_type, uint64_t min, uint64_t max, bool has_max, uint32_t cap,
                   werr *err);
/* Grows by delta elements set to init; returns the old size or -1. */
int32_t wtable_grow(wtable *t, uint32_t delta, uintptr_t init);
void wtable_ref(wtable *t);
void wtable_unref(wtable *t);

#endif
