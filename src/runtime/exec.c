/* exec.c — execution environments and the call entry point (weft_exec_*, weft_call). */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include "exec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../interp/interp.h"
#include "memory.h"
#include "runtime.h"
#include "waitq.h"
#include "../thread/thread.h"
#include "../aot/aot_internal.h"

static _Thread_local wexec *t_current;

wexec *wexec_current(void) { return t_current; }
void wexec_set_current(wexec *e) { t_current = e; }

void wexec_set_trap(wexec *e, wtrap t, const char *msg) {
  e->trap = t;
  if (msg) snprintf(e->trap_msg, sizeof e->trap_msg, "%s", msg);
}

void weft_exec_set_trap_message(weft_exec *exec, const char *msg) {
  snprintf(exec->trap_msg, sizeof exec->trap_msg, "%s", msg ? msg : "");
}

/* seq_cst stores: wwait_interrupt's handshake with a blocked waiter relies on the first;
 * stack_limit = UINTPTR_MAX makes the next AOT function prologue take its slow path, which
 * then sees suspend (wexec_clear_stop/wexec_arm_limit store in the opposite order). */
void weft_exec_request_stop(weft_exec *exec) {
  atomic_store_explicit(&exec->suspend, 1, memory_order_seq_cst);
  atomic_store_explicit(&exec->stack_limit, UINTPTR_MAX, memory_order_seq_cst);
  wwait_interrupt(exec);
  waot_interrupt_exec(exec);
}

/* Against a concurrent weft_exec_request_stop (suspend := 1, then stack_limit := MAX): if
 * our re-load of suspend reads 0, its store of 1 comes later in the single total order, and
 * so does its stack_limit store, which then overwrites ours. */
void wexec_arm_limit(wexec *e) {
  atomic_store_explicit(&e->stack_limit, e->native_limit, memory_order_seq_cst);
  if (atomic_load_explicit(&e->suspend, memory_order_seq_cst))
    atomic_store_explicit(&e->stack_limit, UINTPTR_MAX, memory_order_seq_cst);
}

void wexec_clear_stop(wexec *e) {
  atomic_store_explicit(&e->stack_limit, e->native_limit, memory_order_seq_cst);
  atomic_store_explicit(&e->suspend, 0, memory_order_seq_cst);
  if (atomic_load_explicit(&e->suspend, memory_order_seq_cst))
    atomic_store_explicit(&e->stack_limit, UINTPTR_MAX, memory_order_seq_cst);
}

/* Margin kept below AOT code for host functions and the runtime's own frames: 256 KiB, or
 * a quarter of a stack under 1 MiB. */
static uintptr_t native_limit_here(void) {
  uintptr_t lo, hi;
  if (!wplat_thread_stack(&lo, &hi)) return 0;   /* unknown: AOT recursion is unchecked */
  uintptr_t size = hi - lo;
  uintptr_t margin = size < (1u << 20) ? size / 4 : (uintptr_t)256 << 10;
  return lo + margin;
}

void wexec_backtrace(const wexec *e, const wframe *base, char *buf, size_t buflen) {
  size_t used = 0;
  if (buflen) buf[0] = 0;
  int i = 0;
  for (const wframe *f = e->frame_top; f >= base && f >= e->frames && used < buflen; f--, i++) {
    const wfuncinst *fn = f->fn;
    int n;
    if (!fn) {
      /* an AOT frame whose instance was not known when the trap was taken */
      char nb[128];
      const char *name = f->ip ? waot_trace_name(f->ip, nb, sizeof nb) : NULL;
      n = snprintf(buf + used, buflen - used, "  #%d %s\n", i, name ? name : "?");
    } else if (fn->host) {
      n = snprintf(buf + used, buflen - used, "  #%d %s\n", i,
                   fn->host_name ? fn->host_name : "host");
    } else if (!fn->code) {
      /* AOT code: no offsets (frames of functions the C compiler inlined do not appear) */
      char nb[64];
      n = snprintf(buf + used, buflen - used, "  #%d %s\n", i,
                   wmod_func_name(fn->inst->module, fn->func_idx, nb, sizeof nb));
    } else {
      char nb[64];
      const char *name = wmod_func_name(fn->inst->module, fn->func_idx, nb, sizeof nb);
      uint32_t off = fn->code && f->ip ? winterp_wasm_offset(fn->code, f->ip) : 0;
      n = snprintf(buf + used, buflen - used, "  #%d %s+0x%x\n", i, name, off);
    }
    if (n < 0) break;
    used += (size_t)n;
    if (used >= buflen) {
      /* truncated: drop the partial line */
      char *nl = strrchr(buf, '\n');
      if (nl) nl[1] = 0;
      break;
    }
  }
}

weft_exec *weft_exec_new(weft_runtime *rt) {
  wexec *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  size_t nslots = rt->cfg.value_stack_bytes / sizeof(wslot);
  if (nslots < 16) nslots = 16;
  e->rt = rt;
  e->stack = malloc(nslots * sizeof(wslot));
  e->frames = malloc((size_t)rt->cfg.max_call_depth * sizeof(wframe));
  if (!e->stack || !e->frames) {
    free(e->stack);
    free(e->frames);
    free(e);
    return NULL;
  }
  e->stack_end = e->stack + nslots;
  e->sp = e->stack;
  e->frames_end = e->frames + rt->cfg.max_call_depth;
  e->frame_top = e->frames - 1;
  e->act_base = e->frames;
  atomic_init(&e->suspend, 0);
  atomic_init(&e->stack_limit, 0);
  atomic_init(&e->os_tid, 0);
  wplat_cond_init(&e->wait_cond);
  atomic_init(&e->wait_bucket, NULL);
  return e;
}

void weft_exec_delete(weft_exec *exec) {
  if (!exec) return;
  if (t_current == exec) t_current = NULL;
  if (exec->thread) wthread_exec_deleted(exec);   /* an embedder thread of a cluster */
  wplat_cond_destroy(&exec->wait_cond);
  free(exec->stack);
  free(exec->frames);
  free(exec);
}

/* The part of weft_call that runs under the recovery point; kept out of line so no local
 * of weft_call is live across sigsetjmp in a register that siglongjmp would clobber. */
static __attribute__((noinline)) wtrap run_guarded(wexec *e, const wfuncinst *f, wslot *base) {
  sigjmp_buf jb;
  sigjmp_buf *volatile outer = e->jmp;
  if (sigsetjmp(jb, 1) != 0) {
    e->jmp = outer;
    return e->trap ? e->trap : WEFT_TRAP_OOB_MEMORY;
  }
  e->jmp = &jb;
  wtrap t = winterp_call(e, f, base);
  e->jmp = outer;
  return t;
}

/* First value-stack slot not used by a live frame: exec->sp, raised above the innermost
 * frames when called re-entrantly from a host function. */
wslot *wexec_free_slot(const wexec *e) {
  wslot *p = e->sp;
  for (const wframe *fr = e->frame_top; fr >= e->frames; fr--) {
    const wfuncinst *fn = fr->fn;
    if (!fn || !fr->fp) continue;
    wslot *end;
    if (fn->host) {
      uint32_t n = fn->type->nparams > fn->type->nresults ? fn->type->nparams : fn->type->nresults;
      end = fr->fp + n;
    } else {
      end = fr->fp + winterp_frame_slots(fn->code);
    }
    if (end > p) p = end;
    if (!fn->host) break;   /* wasm frames are stacked upward: the innermost one bounds all */
  }
  return p;
}

weft_status weft_call(weft_exec *exec, weft_func *f, const weft_slot *args, uint32_t nargs,
                      weft_slot *results, uint32_t nresults, weft_error *err) {
  if (!exec || !f) {
    wrt_error_set(err, WEFT_ERR_ARG, "null exec or function");
    return WEFT_FAIL;
  }
  const wfunctype *ft = f->type;
  if (nargs != ft->nparams || (nresults < ft->nresults && nresults != 0) ||
      (nargs && !args) || (nresults && !results)) {
    wrt_error_set(err, WEFT_ERR_ARG, "function expects %u arguments and %u results, got %u and %u",
                  ft->nparams, ft->nresults, nargs, nresults);
    return WEFT_FAIL;
  }
  wplat_thread_init();
  wslot *base = wexec_free_slot(exec);
  uint32_t need = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
  if (base < exec->stack || base + need > exec->stack_end) {
    wrt_error_set(err, WEFT_ERR_TRAP, "%s", weft_trap_message(WEFT_TRAP_CALL_STACK_EXHAUSTED));
    if (err) {
      err->trap = WEFT_TRAP_CALL_STACK_EXHAUSTED;
      err->backtrace[0] = 0;
    }
    return WEFT_FAIL;
  }
  if (nargs) memcpy(base, args, nargs * sizeof(wslot));

  /* Save the outer state so host->wasm re-entrancy (and nested execs) work. */
  wexec *outer_cur = t_current;
  int outer_in = exec->in_wasm;
  wframe *outer_top = exec->frame_top;
  wslot *outer_sp = exec->sp;
  wframe *outer_base = exec->act_base;
  const wfuncinst *outer_fn = exec->act_fn;
  exec->act_base = outer_top + 1;
  exec->act_fn = f;
  if (!outer_in) {
    /* the outermost call of this exec on this OS thread: AOT code's stack limit; os_tid
     * is published before wexec_arm_limit's seq_cst load of suspend (aot_interrupt.c) */
    exec->native_limit = native_limit_here();
    atomic_store_explicit(&exec->os_tid, wplat_thread_tid(), memory_order_seq_cst);
    wexec_arm_limit(exec);
  }
  exec->trap = WEFT_TRAP_NONE;
  t_current = exec;
  exec->in_wasm = 1;
  wtrap t = run_guarded(exec, f, base);
  exec->in_wasm = outer_in;
  if (!outer_in) atomic_store_explicit(&exec->os_tid, 0, memory_order_relaxed);
  t_current = outer_cur;

  weft_status st = WEFT_OK;
  if (t != WEFT_TRAP_NONE) {
    if (err) {
      err->kind = WEFT_ERR_TRAP;
      err->trap = t;
      snprintf(err->message, sizeof err->message, "%s",
               t == WEFT_TRAP_HOST && exec->trap_msg[0] ? exec->trap_msg : weft_trap_message(t));
      wexec_backtrace(exec, outer_top + 1, err->backtrace, sizeof err->backtrace);
    }
    exec->trap_msg[0] = 0;
    /* A stop request is consumed by the outermost call it terminated; one made while no
     * call was running terminates the next call. */
    if (t == WEFT_TRAP_TERMINATED && !outer_in && !(exec->thread && wthread_keep_stopped(exec)))
      wexec_clear_stop(exec);
    /* A pthread program's thread: the program's end may be reported instead (thread.h). */
    if (!outer_in && exec->thread) wthread_call_end(exec, &t, err);
    st = WEFT_FAIL;
  } else {
    if (nresults && ft->nresults) memcpy(results, base, ft->nresults * sizeof(wslot));
    if (err) {
      err->kind = WEFT_ERR_NONE;
      err->trap = WEFT_TRAP_NONE;
      err->message[0] = 0;
      err->backtrace[0] = 0;
    }
    /* The program may have ended in another thread while this call ran (thread.h). */
    if (!outer_in && exec->thread) {
      wthread_call_end(exec, &t, err);
      if (t != WEFT_TRAP_NONE) st = WEFT_FAIL;
    }
  }
  exec->frame_top = outer_top;
  exec->sp = outer_sp;
  exec->act_base = outer_base;
  exec->act_fn = outer_fn;
  return st;
}
