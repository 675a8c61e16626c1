/* interp.c — the interpreter's entry from the host (winterp_call) and its slow-path
 * services: structural type comparison, atomic wait/notify. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include "code.h"
#include "../runtime/runtime.h"

int winterp_type_eq(const wfunctype *a, const wfunctype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

/* Number of waiters woken. Waiters are not tracked yet (the threads issue adds a wait
 * queue), so nothing is ever woken; the access itself was already checked. */
uint32_t winterp_notify(wexec *exec, wmemory *m, void *p, uint32_t count) {
  (void)exec; (void)m; (void)p; (void)count;
  return 0;
}

/* memory.atomic.wait32/64: 1 "not-equal" if *p != expected, else sleeps until the timeout
 * (2 "timed-out"); an infinite wait polls the suspend flag. Unshared memory traps. Returns
 * -1 with *trap set on a trap. */
int32_t winterp_wait(wexec *exec, wmemory *m, void *p, uint64_t expected, int64_t timeout,
                     bool is64, wtrap *trap) {
  if (!m->shared) { *trap = WEFT_TRAP_EXPECTED_SHARED; return -1; }
  uint64_t cur = is64 ? __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST)
                      : __atomic_load_n((uint32_t *)p, __ATOMIC_SEQ_CST);
  if (cur != (is64 ? expected : (uint32_t)expected)) return 1;
  uint64_t start = wplat_now_ns();
  for (;;) {
    if (atomic_load_explicit(&exec->suspend, memory_order_relaxed)) {
      *trap = WEFT_TRAP_TERMINATED;
      return -1;
    }
    uint64_t now = wplat_now_ns();
    if (timeout >= 0 && now - start >= (uint64_t)timeout) return 2;
    uint64_t left = timeout >= 0 ? (uint64_t)timeout - (now - start) : 1000000;
    if (left > 1000000) left = 1000000;
    struct timespec ts = {0, (long)left};
    nanosleep(&ts, NULL);
  }
}

/* Host entry: builds the outermost frame at args (in place when args lie in the exec's
 * value stack, as weft_call arranges; otherwise at exec->sp) and runs the loop picked by
 * the runtime's bounds-check configuration. */
wtrap winterp_call(wexec *exec, const wfuncinst *f, wslot *args) {
  if (f->host) return f->host(exec, f->attachment, args);
  const struct wcode *cc = f->code;
  bool in_stack = args >= exec->stack && args < exec->stack_end;
  wslot *base = in_stack ? args : (exec->sp ? exec->sp : exec->stack);
  wframe *ft = exec->frame_top + 1;
  if (ft >= exec->frames_end || base + cc->frame_slots > exec->stack_end)
    return WEFT_TRAP_CALL_STACK_EXHAUSTED;
  if (!in_stack) memcpy(base, args, cc->nparams * sizeof(wslot));
  memset(base + cc->nparams, 0, cc->nlocals * sizeof(wslot));
  ft->fn = f;
  ft->fp = base;
  ft->ip = NULL;
  exec->frame_top = ft;
  const winstance *inst = f->inst;
  bool checked = wrt_bounds_checks(exec->rt) || (inst->mem0 && !inst->mem0->guarded);
  wtrap t = checked ? winterp_loop_checked(exec, ft) : winterp_loop_fast(exec, ft);
  if (t == WEFT_TRAP_NONE && !in_stack) memcpy(args, base, cc->nresults * sizeof(wslot));
  return t;
}
