/* typecanon.h — canonical function type ids: a process-wide intern table mapping a function
 * type's structure (params and results) to a small integer, so that two function types are
 * structurally equal iff their ids are equal (wfuncinst.canon, winstance.type_canon: the
 * AOT call_indirect check is one compare). Thread-safe; entries live for the process. */
#ifndef WEFT_TYPECANON_H
#define WEFT_TYPECANON_H
#include <stdbool.h>
#include <stdint.h>
#include "../module/module.h"

/* The id of ft's structure (ids start at 1; 0 is never an id). False when out of memory. */
bool wcanon_intern(const wfunctype *ft, uint32_t *id);

/* A new array of m->ntypes ids (at least one element, malloc'd; the caller frees it), or
 * NULL when out of memory. */
uint32_t *wcanon_module_types(const wmodule *m);

#endif
