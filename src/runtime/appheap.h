/* appheap.h — the app heap: a thread-safe allocator for a region of linear memory whose
 * bookkeeping lives entirely on the host (a wasm program that scribbles over its memory
 * cannot corrupt it). Serves weft_heap_* and libc-builtin's malloc family.
 *
 * Placement (wheap_attach): the heap is the pages appended to memory 0 at instantiation,
 * [initial end, initial end + heap pages), after data segments and before the start
 * function, so it cannot overlap the module's data or aux stack (both lie below the
 * initial end). See docs/architecture.md, "The app heap". */
#ifndef WEFT_APPHEAP_H
#define WEFT_APPHEAP_H
#include <stdbool.h>
#include <stdint.h>
#include "rt.h"

typedef struct wappheap wappheap;

/* Largest single request (bytes); larger ones return 0. */
#define WHEAP_MAX_ALLOC 0x7FFFFFFFu

/* Creates a heap managing [start, start+size) of the memory at `base` (base is used only to
 * copy contents in realloc; it may be any host buffer in tests). start is rounded up to 8
 * (and past offset 0, which is the null pointer). NULL when out of host memory or the
 * region is empty. */
wappheap *wheap_new(uint8_t *base, uint32_t start, uint32_t size);
/* Frees the heap's host-side bookkeeping (not the memory region). */
void wheap_delete(wappheap *h);

/* Allocates size bytes (8-byte aligned offset); 0 when size is 0 or > WHEAP_MAX_ALLOC or
 * no free block is large enough. O(1) block search (two-level segregated fit). */
uint32_t wheap_malloc(wappheap *h, uint32_t size);
/* Largest alignment wheap_memalign accepts (bytes). */
#define WHEAP_MAX_ALIGN 0x10000000u
/* Allocates size bytes at an offset that is a multiple of align, a power of two up to
 * WHEAP_MAX_ALIGN (alignments up to 8 are wheap_malloc's); 0 when align is 0, not a power
 * of two or above WHEAP_MAX_ALIGN, when size is 0 or > WHEAP_MAX_ALLOC, or when no free
 * block has room. The block is an ordinary one: wheap_free and wheap_realloc take it
 * (realloc may move it to an offset that is only 8-aligned, as C's realloc may). */
uint32_t wheap_memalign(wappheap *h, uint32_t align, uint32_t size);
/* Resizes ptr (contents preserved up to the smaller size); in place when possible.
 * ptr 0 = malloc; size 0 frees ptr and returns 0; an offset not handed out returns 0 and
 * changes nothing; on failure the old block stays allocated and 0 is returned. */
uint32_t wheap_realloc(wappheap *h, uint32_t ptr, uint32_t size);
/* Frees ptr; 0 and offsets not handed out (including double frees) are ignored. */
void wheap_free(wappheap *h, uint32_t ptr);
/* Usable size of the allocated block at ptr (>= the requested size), 0 if ptr is not an
 * allocated block. */
uint32_t wheap_usable_size(wappheap *h, uint32_t ptr);

/* Statistics for tests and diagnostics. */
typedef struct {
  uint32_t start, size;          /* the managed region */
  uint64_t used_bytes;           /* bytes in allocated blocks */
  uint64_t free_bytes;           /* bytes in free blocks */
  uint32_t allocated_blocks, free_blocks;
} wheap_stats;
void wheap_get_stats(wappheap *h, wheap_stats *out);
/* Walks the block structure and checks its invariants (blocks tile the region in order,
 * no two adjacent free blocks, free lists and the allocated-offset index agree). Returns
 * true if consistent. For tests. */
bool wheap_check(wappheap *h);

/* Pages memory 0 must grow by to hold a heap of heap_size bytes. */
uint32_t wheap_pages_for(uint32_t heap_size);
/* Instantiation hook: grows memory 0 by wheap_pages_for(heap_size) pages and puts a heap on
 * the new pages (inst's private heap). A module without memory gets no heap. Fails with
 * WERR_RESOURCE naming the pages needed when the memory cannot grow that far. */
wstatus wheap_attach(winstance *inst, uint32_t heap_size, werr *err) W_WUR;
/* The instance's heap, or NULL. */
wappheap *wheap_of(weft_instance *inst);

#endif
