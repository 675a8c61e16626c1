/* pthread_sync_mem.h — what the pthread host functions of pthread_sync.c and pthread_keys.c
 * share: the calling instance, checked guest words in its memory 0, the caller's thread
 * record. Inline: these run on the uncontended mutex path, which must stay a handful of
 * loads and one atomic RMW. Error numbers are thread.h's WPT_* (the sysroot's errno.h). */
#ifndef WEFT_PTHREAD_SYNC_MEM_H
#define WEFT_PTHREAD_SYNC_MEM_H
#include "../runtime/exec.h"
#include "../util/werr.h"
#include "thread.h"

/* ENOMEM as the sysroot's errno.h has it (the others are WPT_* in thread.h). */
#define WPT_ENOMEM_ 12

/* The instance whose wasm code called the running host function: the frame just below the
 * host frame in the common case, else the general search of hostcall.c. */
static inline winstance *wpt_caller(wexec *e) {
  const wframe *f = e->frame_top;
  if (W_LIKELY(f > e->frames && f[-1].fn && !f[-1].fn->host)) return f[-1].fn->inst;
  return weft_exec_caller_instance(e);
}

/* Outcome of wpt_word: a host pointer, or the trap / errno to report instead. */
typedef enum { WPT_WORD_OK, WPT_WORD_OOB, WPT_WORD_MISALIGNED } wpt_word_status;

/* The host address of the 32-bit word at guest offset `off` of memory 0 of inst. The word
 * must lie inside the memory (else OOB: the caller traps "out of bounds memory access")
 * and be 4-byte aligned (else MISALIGNED: the caller returns EINVAL). A memory's base never
 * moves and its size only grows, so the pointer stays valid for the whole call. */
static inline wpt_word_status wpt_word(winstance *inst, uint32_t off, uint32_t **out) {
  const wmemory *m = inst ? inst->mem0 : NULL;
  if (W_UNLIKELY(!m)) return WPT_WORD_OOB;
  uint64_t size = atomic_load_explicit(&m->size, memory_order_acquire);
  if (W_UNLIKELY((uint64_t)off + 4 > size)) return WPT_WORD_OOB;
  if (W_UNLIKELY(off & 3)) return WPT_WORD_MISALIGNED;
  *out = (uint32_t *)(m->base + off);
  return WPT_WORD_OK;
}

/* The caller's thread record (inst: the calling instance): cached on the exec after the
 * first pthread call. NULL (with the trap message set on e by wthread_current) when the
 * program has no thread manager or the exec belongs to another program's cluster. */
static inline wthread *wpt_self(wexec *e, const winstance *inst) {
  wthread *t = e->thread;
  if (W_LIKELY(t != NULL && inst && t->cluster == inst->cluster)) return t;
  return wthread_current(e);
}

/* Stores an i32 result in slot 0 as the natives do (upper half cleared). */
static inline void wpt_ret(weft_slot *slots, int32_t v) { slots[0].i64 = (uint32_t)v; }

#endif
