/* aot_interrupt.c — stop requests reaching AOT code inside a pure loop.
 *
 * weftc gives a loop that never leaves generated code (no call, helper or libcall: a
 * "pure" loop, emit_func.c) one stop check on entry instead of one per iteration, so the C
 * compiler can vectorise it; such code carries WAOT_F_ASYNC_INTERRUPT. Loading one turns
 * on this module: weft_exec_request_stop then also signals the thread running the exec
 * (wplat_thread_interrupt), and the handler below, on that thread, stops it when it
 * finds the thread executing generated code, as a guard-page trap would.
 *
 * Why this never misses a stop: the request stores `suspend` (seq_cst) before reading the
 * target's os_tid; weft_call stores os_tid before its seq_cst load of `suspend`
 * (wexec_arm_limit). So either the thread sees the stop through its ordinary checks, or
 * the signal is sent. If the signal finds the thread outside generated code (runtime, host
 * or libc code), every way back into a pure loop passes its entry check, which sees the
 * stop; and inside a pure loop the thread never leaves generated code, so the signal finds
 * it there. Generated code holds no locks and touches only wasm state, so abandoning it at
 * any instruction is what a trap does. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include "aot_internal.h"
#include "../platform/platform.h"

static _Atomic bool g_enabled;   /* some loaded module relies on the signal */

/* Runs in the signal handler on the interrupted thread. */
static void on_interrupt(const void *ctx) {
  wexec *e = wexec_current();
  if (!e || !e->in_wasm || !e->jmp) return;
  if (!atomic_load_explicit(&e->suspend, memory_order_seq_cst)) return;
  uintptr_t pc = 0, fp = 0;
  if (!wplat_ctx_pc_fp(ctx, &pc, &fp) || !waot_trace_pc_known(pc)) return;
  /* stopped in generated code: as the interpreter's check would, with this pc on top */
  e->trap = WEFT_TRAP_TERMINATED;
  waot_trace_fixup(e, NULL, pc, false, fp);
  siglongjmp(*e->jmp, 1);
}

bool waot_interrupt_enable(void) {
  if (atomic_load_explicit(&g_enabled, memory_order_acquire)) return true;
  if (!wplat_install_interrupt_handler(on_interrupt)) return false;
  atomic_store_explicit(&g_enabled, true, memory_order_release);
  return true;
}

void waot_interrupt_exec(wexec *e) {
  if (!atomic_load_explicit(&g_enabled, memory_order_acquire)) return;
  int tid = atomic_load_explicit(&e->os_tid, memory_order_seq_cst);
  if (tid && tid != wplat_thread_tid()) wplat_thread_interrupt(tid);
}
