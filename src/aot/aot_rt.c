/* aot_rt.c — the helpers generated code calls (aot_abi.h's waot_helpers), each doing
 * exactly what the interpreter does for its instruction, and the trap path.
 *
 * Every helper that can trap takes its own frame address first (HFP: this also makes the
 * compiler give it a frame-pointer frame), so the backtrace walk starts at the AOT code
 * that called it. Traps never return: waot_raise siglongjmps to weft_call's recovery
 * point, which is always set while AOT code runs (AOT code is only entered through
 * weft_call → winterp_call, the interpreter's calls, or call_slots below). */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aot_internal.h"
#include "../interp/interp.h"
#include "../runtime/memory.h"
#include "../runtime/table.h"
#include "../runtime/waitq.h"

#define HFP() ((uintptr_t)__builtin_frame_address(0))

WAOT_NORETURN void waot_raise(wexec *e, const winstance *inst, wtrap t, uintptr_t fp) {
  wexec_set_trap(e, t, NULL);
  if (fp) {
    const uintptr_t *f = (const uintptr_t *)fp;
    waot_trace_fixup(e, inst, f[1], true, f[0]);
  } else {
    waot_trace_fixup(e, inst, 0, false, 0);
  }
  if (!e->jmp) {   /* cannot happen: AOT code runs only under weft_call */
    fprintf(stderr, "weft: AOT trap outside weft_call\n");
    abort();
  }
  siglongjmp(*e->jmp, 1);
}

/* noinline: the frame address must be this helper's (called by the AOT code) */
static __attribute__((noinline)) WAOT_NORETURN void h_trap(wexec *e, winstance *inst,
                                                            uint32_t code) {
  waot_raise(e, inst, (wtrap)code, HFP());
}

static __attribute__((noinline)) void h_enter_slow(wexec *e, winstance *inst) {
  uintptr_t fp = HFP();
  /* a pending stop, as the interpreter's check at every call */
  if (atomic_load_explicit(&e->suspend, memory_order_seq_cst))
    waot_raise(e, inst, WEFT_TRAP_TERMINATED, fp);
  if (fp < e->native_limit) waot_raise(e, inst, WEFT_TRAP_CALL_STACK_EXHAUSTED, fp);
  /* A stop consumed between its two stores (wexec_clear_stop) can leave stack_limit at
   * UINTPTR_MAX with nothing pending: re-arm so later calls take the fast path again. */
  if (atomic_load_explicit(&e->stack_limit, memory_order_relaxed) == UINTPTR_MAX)
    wexec_arm_limit(e);
}

static __attribute__((noinline)) WAOT_NORETURN void h_suspended(wexec *e, winstance *inst) {
  waot_raise(e, inst, WEFT_TRAP_TERMINATED, HFP());
}

/* A call to a function the AOT code cannot call directly: a host function, interpreted
 * wasm, or AOT wasm known only by its slot entry. The caller's record lets host functions
 * find their calling instance (weft_exec_caller_instance) and marks where the backtrace
 * walk of the caller's frames starts (its ip is this helper's frame address). */
/* Everything but a host callee with room for its records and no stop pending: fp is
 * h_call_slots' frame (still live: that call is not a tail call). */
static __attribute__((noinline)) void call_slots_other(wexec *e, winstance *inst,
                                                       uint32_t caller_idx, const wfuncinst *f,
                                                       weft_slot *s, uintptr_t fp) {
  /* a pending stop, as the interpreter's do_call */
  if (atomic_load_explicit(&e->suspend, memory_order_relaxed))
    waot_raise(e, inst, WEFT_TRAP_TERMINATED, fp);
  wframe *ft = e->frame_top + 1;
  if (ft + 1 >= e->frames_end) waot_raise(e, inst, WEFT_TRAP_CALL_STACK_EXHAUSTED, fp);
  ft->fn = inst->funcs[caller_idx];
  ft->fp = NULL;
  ft->ip = (const void *)fp;
  e->frame_top = ft;
  if (waot_is_aot_func(f)) {
    f->aot_slots(e, f->inst, s);   /* its traps do not come back here */
    e->frame_top = ft - 1;
    return;
  }
  /* Host functions and the interpreter use the value stack above every live frame. */
  wslot *osp = e->sp;
  e->sp = wexec_free_slot(e);
  wtrap t;
  if (f->host) {
    ft[1] = (wframe){f, NULL, NULL};   /* fp NULL: the slots are the AOT code's */
    e->frame_top = ft + 1;
    t = f->host(e, f->attachment, s);
  } else {
    t = winterp_call(e, f, s);         /* copies s into the value stack and back */
  }
  e->sp = osp;
  /* records stay as the callee left them (host frame, trapping frame) for the backtrace */
  if (t != WEFT_TRAP_NONE) waot_raise(e, inst, t, 0);
  e->frame_top = ft - 1;
}

static __attribute__((noinline)) WAOT_NORETURN void host_trapped(wexec *e, winstance *inst,
                                                                  wtrap t) {
  /* records stay as the callee left them (host frame, trapping frame) for the backtrace */
  waot_raise(e, inst, t, 0);
}

static __attribute__((noinline)) void h_call_slots(wexec *e, winstance *inst,
                                                   uint32_t caller_idx, const wfuncinst *f,
                                                   weft_slot *s) {
  uintptr_t fp = HFP();
  wframe *ft = e->frame_top + 1;
  weft_host_fn host = f->host;
  if (W_UNLIKELY(!host || atomic_load_explicit(&e->suspend, memory_order_relaxed) ||
                 ft + 1 >= e->frames_end)) {
    call_slots_other(e, inst, caller_idx, f, s, fp);
    __asm__ volatile("");   /* not a tail call: fp must stay this live frame */
    return;
  }
  /* The common case (pthread, libc-builtin, WASI): the caller's record and the host
   * frame's (fp NULL: the slots are the AOT code's), so weft_exec_caller_instance finds
   * the caller right below. e->sp is left alone: no host function reads it, and a
   * re-entrant weft_call computes the same free slot itself (wexec_free_slot skips records
   * with fp NULL, so these two add nothing to it). The stop check above is the
   * interpreter's do_call's. */
  ft[0] = (wframe){inst->funcs[caller_idx], (const void *)fp, NULL};
  ft[1] = (wframe){f, NULL, NULL};
  e->frame_top = ft + 1;
  wtrap t = host(e, f->attachment, s);
  if (W_UNLIKELY(t != WEFT_TRAP_NONE)) host_trapped(e, inst, t);
  e->frame_top = ft - 1;
}

static inline uint64_t mem0_size(const winstance *inst) {
  return atomic_load_explicit(&inst->mem0->size, memory_order_acquire);
}

static uint32_t h_memory_grow(wexec *e, winstance *inst, uint32_t delta) {
  (void)e;
  return (uint32_t)wmem_grow(inst->mem0, delta);
}

static __attribute__((noinline)) void h_memory_fill(wexec *e, winstance *inst, uint32_t d,
                                                    uint32_t val, uint32_t n) {
  uintptr_t fp = HFP();
  if ((uint64_t)d + n > mem0_size(inst)) waot_raise(e, inst, WEFT_TRAP_OOB_MEMORY, fp);
  if (n) memset(inst->mem0->base + d, (int)(uint8_t)val, n);
}

static __attribute__((noinline)) void h_memory_copy(wexec *e, winstance *inst, uint32_t d,
                                                    uint32_t s, uint32_t n) {
  uintptr_t fp = HFP();
  uint64_t sz = mem0_size(inst);
  if ((uint64_t)d + n > sz || (uint64_t)s + n > sz)
    waot_raise(e, inst, WEFT_TRAP_OOB_MEMORY, fp);
  if (n) memmove(inst->mem0->base + d, inst->mem0->base + s, n);
}

static __attribute__((noinline)) void h_memory_init(wexec *e, winstance *inst, uint32_t seg,
                                                    uint32_t d, uint32_t s, uint32_t n) {
  uintptr_t fp = HFP();
  const wdata *ds = &inst->module->datas[seg];
  uint64_t len = inst->data_dropped[seg] ? 0 : ds->len;
  if ((uint64_t)s + n > len || (uint64_t)d + n > mem0_size(inst))
    waot_raise(e, inst, WEFT_TRAP_OOB_MEMORY, fp);
  if (n) memcpy(inst->mem0->base + d, ds->bytes + s, n);
}

static void h_data_drop(wexec *e, winstance *inst, uint32_t seg) {
  (void)e;
  inst->data_dropped[seg] = 1;
}

static __attribute__((noinline)) uintptr_t h_table_get(wexec *e, winstance *inst, uint32_t t,
                                                       uint32_t i) {
  uintptr_t fp = HFP();
  const wtable *tb = inst->tables[t];
  if (i >= tb->size) waot_raise(e, inst, WEFT_TRAP_OOB_TABLE, fp);
  return tb->elems[i];
}

static __attribute__((noinline)) void h_table_set(wexec *e, winstance *inst, uint32_t t,
                                                  uint32_t i, uintptr_t v) {
  uintptr_t fp = HFP();
  wtable *tb = inst->tables[t];
  if (i >= tb->size) waot_raise(e, inst, WEFT_TRAP_OOB_TABLE, fp);
  tb->elems[i] = v;
}

static uint32_t h_table_grow(wexec *e, winstance *inst, uint32_t t, uintptr_t init,
                             uint32_t n) {
  (void)e;
  return (uint32_t)wtable_grow(inst->tables[t], n, init);
}

static __attribute__((noinline)) void h_table_fill(wexec *e, winstance *inst, uint32_t t,
                                                   uint32_t i, uintptr_t v, uint32_t n) {
  uintptr_t fp = HFP();
  wtable *tb = inst->tables[t];
  if ((uint64_t)i + n > tb->size) waot_raise(e, inst, WEFT_TRAP_OOB_TABLE, fp);
  for (uint64_t k = 0; k < n; k++) tb->elems[i + k] = v;
}

static __attribute__((noinline)) void h_table_copy(wexec *e, winstance *inst, uint32_t dt,
                                                   uint32_t st, uint32_t d, uint32_t s,
                                                   uint32_t n) {
  uintptr_t fp = HFP();
  wtable *dtb = inst->tables[dt];
  const wtable *stb = inst->tables[st];
  if ((uint64_t)d + n > dtb->size || (uint64_t)s + n > stb->size)
    waot_raise(e, inst, WEFT_TRAP_OOB_TABLE, fp);
  if (n) memmove(dtb->elems + d, stb->elems + s, (size_t)n * sizeof(uintptr_t));
}

static __attribute__((noinline)) void h_table_init(wexec *e, winstance *inst, uint32_t t,
                                                   uint32_t seg, uint32_t d, uint32_t s,
                                                   uint32_t n) {
  uintptr_t fp = HFP();
  wtable *tb = inst->tables[t];
  if ((uint64_t)s + n > inst->elem_len[seg] || (uint64_t)d + n > tb->size)
    waot_raise(e, inst, WEFT_TRAP_OOB_TABLE, fp);
  if (n) memcpy(tb->elems + d, inst->elem_refs[seg] + s, (size_t)n * sizeof(uintptr_t));
}

static void h_elem_drop(wexec *e, winstance *inst, uint32_t seg) {
  (void)e;
  inst->elem_len[seg] = 0;
}

/* memory.atomic.wait: as winterp_wait (unshared memory traps, a stop request ends it). */
static inline __attribute__((always_inline)) uint32_t wait_common(wexec *e, winstance *inst, uint64_t addr,
                                                      uint64_t expected, int64_t timeout,
                                                      bool is64, uintptr_t fp) {
  wmemory *m = inst->mem0;
  if (!m->shared) waot_raise(e, inst, WEFT_TRAP_EXPECTED_SHARED, fp);
  wtrap t = WEFT_TRAP_NONE;
  int32_t r = wwait_wait(e, m->base + addr, expected, is64, timeout, &t);
  if (r < 0) waot_raise(e, inst, t ? t : WEFT_TRAP_TERMINATED, fp);
  return (uint32_t)r;
}

static __attribute__((noinline)) uint32_t h_atomic_wait32(wexec *e, winstance *inst,
                                                          uint64_t addr, uint32_t expected,
                                                          int64_t timeout_ns) {
  return wait_common(e, inst, addr, expected, timeout_ns, false, HFP());
}

static __attribute__((noinline)) uint32_t h_atomic_wait64(wexec *e, winstance *inst,
                                                          uint64_t addr, uint64_t expected,
                                                          int64_t timeout_ns) {
  return wait_common(e, inst, addr, expected, timeout_ns, true, HFP());
}

static uint32_t h_atomic_notify(wexec *e, winstance *inst, uint64_t addr, uint32_t count) {
  (void)e;
  wmemory *m = inst->mem0;
  if (!m->shared) return 0;   /* nobody can wait on an unshared memory */
  return wwait_notify(m->base + addr, count);
}

const waot_helpers waot_rt_helpers = {
  .abi_version = WAOT_ABI_VERSION,
  .trap = h_trap,
  .enter_slow = h_enter_slow,
  .suspended = h_suspended,
  .call_slots = h_call_slots,
  .memory_grow = h_memory_grow,
  .memory_fill = h_memory_fill,
  .memory_copy = h_memory_copy,
  .memory_init = h_memory_init,
  .data_drop = h_data_drop,
  .table_get = h_table_get,
  .table_set = h_table_set,
  .table_grow = h_table_grow,
  .table_fill = h_table_fill,
  .table_copy = h_table_copy,
  .table_init = h_table_init,
  .elem_drop = h_elem_drop,
  .atomic_wait32 = h_atomic_wait32,
  .atomic_wait64 = h_atomic_wait64,
  .atomic_notify = h_atomic_notify,
};
