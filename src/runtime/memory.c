/* memory.c — linear memories (see memory.h). The base never moves: guard mode reserves
 * 8 GiB + 64 KiB up front, bounds-check mode reserves the effective maximum; grow only
 * commits more of the reservation. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include "memory.h"
#include <stdlib.h>
#include "exec.h"
#include "../interp/interp.h"
#include "../aot/aot_internal.h"

/* Registry of live guarded reservations. Writers hold g_reg_lock; the fault handler reads
 * slots without locking: a slot is published by storing `len` before `base` (release),
 * and retired by zeroing `base`. A memory a thread is executing cannot be freed under it
 * (it holds a reference), so a racing retire never concerns the faulting thread. */
#define WMEM_REG_SLOTS 4096
static struct {
  _Atomic uintptr_t base;
  _Atomic size_t len;
} g_reg[WMEM_REG_SLOTS];
static pthread_mutex_t g_reg_lock = PTHREAD_MUTEX_INITIALIZER;

static bool reg_add(uintptr_t base, size_t len) {
  bool ok = false;
  pthread_mutex_lock(&g_reg_lock);
  for (int i = 0; i < WMEM_REG_SLOTS; i++) {
    if (atomic_load_explicit(&g_reg[i].base, memory_order_relaxed) == 0) {
      atomic_store_explicit(&g_reg[i].len, len, memory_order_relaxed);
      atomic_store_explicit(&g_reg[i].base, base, memory_order_release);
      ok = true;
      break;
    }
  }
  pthread_mutex_unlock(&g_reg_lock);
  return ok;
}

static void reg_remove(uintptr_t base) {
  pthread_mutex_lock(&g_reg_lock);
  for (int i = 0; i < WMEM_REG_SLOTS; i++)
    if (atomic_load_explicit(&g_reg[i].base, memory_order_relaxed) == base) {
      atomic_store_explicit(&g_reg[i].base, 0, memory_order_release);
      break;
    }
  pthread_mutex_unlock(&g_reg_lock);
}

bool wmem_on_fault(void *addr, const void *ctx) {
  uintptr_t a = (uintptr_t)addr;
  bool hit = false;
  for (int i = 0; i < WMEM_REG_SLOTS && !hit; i++) {
    uintptr_t b = atomic_load_explicit(&g_reg[i].base, memory_order_acquire);
    if (b && a >= b && a - b < atomic_load_explicit(&g_reg[i].len, memory_order_relaxed))
      hit = true;
  }
  if (!hit) return false;
  wexec *e = wexec_current();
  if (!e || !e->in_wasm || !e->jmp) return false;
  e->trap = WEFT_TRAP_OOB_MEMORY;
  /* The interpreter saves ip only at calls; recover the faulting instruction from the
   * register that points into the running function's code. Handlers advance ip before
   * their memory access (the next dispatch is fetched early), so the register is already
   * "just past the instruction start", the form saved ips have. */
  wframe *ft = e->frame_top;
  uintptr_t lo, hi, ip, pc = 0, fp = 0;
  if (wplat_ctx_pc_fp(ctx, &pc, &fp) && waot_trace_pc_known(pc)) {
    /* a guard-page hit in AOT code: its frames from the faulting pc up */
    waot_trace_fixup(e, NULL, pc, false, fp);
  } else {
    if (ft >= e->frames && ft->fn && ft->fn->code &&
        winterp_code_range(ft->fn->code, &lo, &hi) && wplat_ctx_find_reg(ctx, lo, hi, &ip))
      ft->ip = (const uint32_t *)ip;
    /* AOT frames further out (below interpreted ones) still need their records rewritten */
    waot_trace_fixup(e, NULL, 0, false, 0);
  }
  siglongjmp(*e->jmp, 1);
}

wmemory *wmem_new(uint64_t min, uint64_t max, bool has_max, bool shared, bool guarded,
                  uint32_t cap, werr *err) {
  uint64_t eff_max = has_max && max < cap ? max : cap;
  if (min > eff_max) {
    werr_set(err, WERR_RESOURCE, "memory size %llu pages exceeds the limit of %llu pages",
             (unsigned long long)min, (unsigned long long)eff_max);
    return NULL;
  }
  if (sizeof(void *) < 8) guarded = false;
  /* the grow lock lives right behind the public layout (rt_layout.h keeps it opaque) */
  struct wmem_box { wmemory pub; wplat_mutex lock; } *box = calloc(1, sizeof *box);
  wmemory *m = box ? &box->pub : NULL;
  if (!m) {
    werr_set(err, WERR_RESOURCE, "out of memory");
    return NULL;
  }
  size_t ps = wplat_page_size();
  size_t reserve = guarded ? WMEM_GUARD_RESERVE + WMEM_GUARD_EXTRA
                           : (size_t)(eff_max * WMEM_PAGE);
  if (reserve < ps) reserve = ps;
  m->base = wplat_reserve(reserve);
  if (!m->base) {
    free(m);
    werr_set(err, WERR_RESOURCE, "cannot reserve address space for memory");
    return NULL;
  }
  m->reserved = reserve;
  if (wplat_commit(m->base, (size_t)(min * WMEM_PAGE)) != 0) {
    wplat_release(m->base, reserve);
    free(m);
    werr_set(err, WERR_RESOURCE, "cannot commit %llu pages of memory", (unsigned long long)min);
    return NULL;
  }
  if (guarded && !reg_add((uintptr_t)m->base, reserve)) {
    wplat_release(m->base, reserve);
    free(m);
    werr_set(err, WERR_RESOURCE, "too many live guarded memories");
    return NULL;
  }
  m->guarded = guarded;
  m->max_pages = eff_max;
  m->has_max = has_max;
  m->shared = shared;
  atomic_init(&m->size, min * WMEM_PAGE);
  atomic_init(&m->refs, 1);
  m->grow_lock = (struct wmem_lock *)&box->lock;
  wplat_mutex_init((wplat_mutex *)m->grow_lock);
  return m;
}

uint64_t wmem_pages(const wmemory *m) {
  return atomic_load_explicit(&((wmemory *)m)->size, memory_order_acquire) / WMEM_PAGE;
}

int32_t wmem_grow(wmemory *m, uint32_t delta_pages) {
  wplat_mutex_lock((wplat_mutex *)m->grow_lock);
  uint64_t old_bytes = atomic_load_explicit(&m->size, memory_order_relaxed);
  uint64_t old = old_bytes / WMEM_PAGE;
  int32_t r = -1;
  if (old + delta_pages <= m->max_pages) {
    uint64_t new_bytes = (old + delta_pages) * WMEM_PAGE;
    if (new_bytes <= m->reserved &&
        wplat_commit(m->base + old_bytes, (size_t)(new_bytes - old_bytes)) == 0) {
      atomic_store_explicit(&m->size, new_bytes, memory_order_release);
      r = (int32_t)old;
    }
  }
  wplat_mutex_unlock((wplat_mutex *)m->grow_lock);
  return r;
}

void wmem_ref(wmemory *m) { atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed); }

void wmem_unref(wmemory *m) {
  if (!m || atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) != 1) return;
  if (m->guarded) reg_remove((uintptr_t)m->base);
  wplat_release(m->base, m->reserved);
  wplat_mutex_destroy((wplat_mutex *)m->grow_lock);
  free(m);
}
