/* interp.c — the interpreter's entry from the host (winterp_call) and its slow-path
 * services: structural type comparison, atomic wait/notify. */
#include <string.h>
#include "code.h"
#include "../runtime/runtime.h"
#include "../runtime/waitq.h"

int winterp_type_eq(const wfunctype *a, const wfunctype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

/* memory.atomic.notify: number of waiters woken (runtime/waitq.c). No thread can wait on
 * an unshared memory (wait traps), so notify there wakes nobody. The access itself was
 * already checked. */
uint32_t winterp_notify(wexec *exec, wmemory *m, void *p, uint32_t count) {
  (void)exec;
  if (!m->shared) return 0;
  return wwait_notify(p, count);
}

/* memory.atomic.wait32/64: 0 "ok", 1 "not-equal", 2 "timed-out" (runtime/waitq.c);
 * unshared memory traps "expected shared memory". Returns -1 with *trap set on a trap
 * (also TERMINATED when the exec is asked to stop while waiting). */
int32_t winterp_wait(wexec *exec, wmemory *m, void *p, uint64_t expected, int64_t timeout,
                     bool is64, wtrap *trap) {
  if (!m->shared) { *trap = WEFT_TRAP_EXPECTED_SHARED; return -1; }
  return wwait_wait(exec, p, expected, is64, timeout, trap);
}

/* Host entry: builds the outermost frame at args (in place when args lie in the exec's
 * value stack, as weft_call arranges; otherwise at exec->sp) and runs the loop picked by
 * the runtime's bounds-check configuration. An AOT-compiled function runs its slot entry
 * on args directly (its traps siglongjmp to the caller's recovery point: weft_call's). */
wtrap winterp_call(wexec *exec, const wfuncinst *f, wslot *args) {
  if (f->host) return f->host(exec, f->attachment, args);
  const struct wcode *cc = f->code;
  if (!cc) {
    /* keep args (when in the value stack) out of the region nested calls use */
    wslot *osp = exec->sp;
    uint32_t n = f->type->nparams > f->type->nresults ? f->type->nparams : f->type->nresults;
    if (args >= exec->stack && args < exec->stack_end && (!osp || args + n > osp))
      exec->sp = args + n;
    f->aot_slots(exec, f->inst, args);
    exec->sp = osp;
    return WEFT_TRAP_NONE;
  }
  bool in_stack = args >= exec->stack && args < exec->stack_end;
  wslot *base = in_stack ? args : (exec->sp ? exec->sp : exec->stack);
  wframe *ft = exec->frame_top + 1;
  if (ft >= exec->frames_end || base + cc->frame_slots > exec->stack_end)
    return WEFT_TRAP_CALL_STACK_EXHAUSTED;
  if (!in_stack && cc->nparams) memcpy(base, args, cc->nparams * sizeof(wslot));
  memset(base + cc->nparams, 0, cc->nlocals * sizeof(wslot));
  ft->fn = f;
  ft->fp = base;
  ft->ip = NULL;
  exec->frame_top = ft;
  const winstance *inst = f->inst;
  bool checked = wrt_bounds_checks(exec->rt) || (inst->mem0 && !inst->mem0->guarded);
  wtrap t = checked ? winterp_loop_checked(exec, ft, NULL) : winterp_loop_fast(exec, ft, NULL);
  if (t == WEFT_TRAP_NONE && !in_stack && cc->nresults)
    memcpy(args, base, cc->nresults * sizeof(wslot));
  return t;
}
