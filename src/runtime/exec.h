/* exec.h — one OS thread's execution environment (weft_exec).
 *
 * The interpreter never recurses on the C stack for wasm→wasm calls: it keeps its own
 * frame records here, bounded by max_call_depth, and a value stack of 64-bit slots.
 * A trap inside wasm either returns a code up the interpreter loop, or (hardware fault in
 * guard-page mode) siglongjmps to the innermost recovery point `jmp`.
 */
#ifndef WEFT_EXEC_H
#define WEFT_EXEC_H
#include <setjmp.h>
#include "rt.h"

/* One activation record of a wasm function (or a host function called from wasm). */
typedef struct wframe {
  const wfuncinst *fn;           /* the function running in this frame */
  const void *ip;                /* resume point in fn's code (saved on call and on trap) */
  wslot *fp;                     /* frame base: params, locals, then operand slots */
} wframe;

struct wwait_bucket;              /* runtime/waitq.c */

typedef struct wexec {
  WEXEC_HEAD_FIELDS              /* first: rt_layout.h (read by AOT code) */
  struct weft_runtime *rt;
  wslot *stack, *stack_end;      /* value stack */
  wslot *sp;                     /* first free slot when no interpreter is running */
  wframe *frames, *frames_end;   /* frame records */
  wframe *frame_top;             /* innermost live frame record (frames-1 when idle);
                                    kept current in memory so traps can backtrace */
  wframe *act_base;              /* first frame record of the innermost weft_call (traps
                                    of AOT code rebuild the records from here up) */
  const wfuncinst *act_fn;       /* the function that weft_call called */
  sigjmp_buf *jmp;               /* innermost recovery point for hardware traps, or NULL */
  volatile int in_wasm;          /* non-zero while wasm code runs on this thread */
  _Atomic int os_tid;            /* OS id of the thread in the outermost weft_call, or 0:
                                    where a stop request sends its signal (aot_interrupt.c) */
  wtrap trap;                    /* last trap */
  char trap_msg[256];            /* message for WEFT_TRAP_HOST */
  void *user_data;               /* for embedders (WAMR-compatible API) */
  struct wthread *thread;        /* the pthread record of the thread using this exec
                                    (src/thread/), or NULL */
  int32_t exit_code;             /* code of the last WEFT_TRAP_EXIT (hostcall.c) */
  /* memory.atomic.wait (runtime/waitq.c): this thread blocks on wait_cond; wait_bucket is
   * the wait-queue bucket it waits in (NULL otherwise), published with a seq_cst store so
   * weft_exec_request_stop can find and wake it. Both are owned by waitq.c. */
  wplat_cond wait_cond;
  _Atomic(struct wwait_bucket *) wait_bucket;
} wexec;

/* The exec running on the calling thread (set while wasm runs), for the signal handler. */
wexec *wexec_current(void);
void wexec_set_current(wexec *e);

/* Records a trap with a code (and optional message for HOST traps) on the exec. */
void wexec_set_trap(wexec *e, wtrap t, const char *msg);

/* First value-stack slot not used by a live frame (at or above exec->sp). */
wslot *wexec_free_slot(const wexec *e);

/* Clears a stop request (suspend) and restores stack_limit to native_limit, so that a
 * request made concurrently is never lost: it stays pending with stack_limit UINTPTR_MAX.
 * Every place that consumes a stop goes through this. */
void wexec_clear_stop(wexec *e);
/* Sets stack_limit to native_limit, or UINTPTR_MAX if a stop is pending (same race rule). */
void wexec_arm_limit(wexec *e);

/* Writes "  #i name+0xoff\n" lines for the frames from frame_top down to `base` into buf. */
void wexec_backtrace(const wexec *e, const wframe *base, char *buf, size_t buflen);

#endif
