/* memory.h — linear memories: reservation, growth, refcounting, and the registry of
 * guarded reservations consulted by the fault handler. */
#ifndef WEFT_MEMORY_H
#define WEFT_MEMORY_H
#include "rt.h"

#define WMEM_PAGE 65536u
/* Guard-mode reservation: any base + u32 address + u32 offset (+ access size) lands in it. */
#define WMEM_GUARD_RESERVE ((size_t)8 << 30)
#define WMEM_GUARD_EXTRA ((size_t)64 << 10)

/* Creates a memory of `min` pages. `cap` caps the maximum (config max_memory_pages);
 * `guarded` selects guard-page mode. Fails with WERR_RESOURCE (NULL) if min exceeds the
 * cap or the reservation/commit fails. The result has one reference. */
wmemory *wmem_new(uint64_t min, uint64_t max, bool has_max, bool shared, bool guarded,
                  uint32_t cap, werr *err);
/* Grows by delta pages; returns the old page count, or -1 (beyond max or out of memory).
 * Atomic with respect to other growers; publishes the new size with a release store. */
int32_t wmem_grow(wmemory *m, uint32_t delta_pages);
/* Current size in pages (acquire load). */
uint64_t wmem_pages(const wmemory *m);
void wmem_ref(wmemory *m);
/* Drops a reference; frees the memory (and unregisters its reservation) at zero. */
void wmem_unref(wmemory *m);

/* Fault-handler hook: if addr lies in a live guarded reservation and the current thread
 * is running wasm with a recovery point, records OOB_MEMORY and siglongjmps (no return).
 * Otherwise returns false. Async-signal-safe. */
bool wmem_on_fault(void *addr, const void *ctx);

#endif
