/* aot_internal.h — the runtime side of AOT code, shared by src/aot (loader, helpers,
 * backtraces) and the runtime files that hook into it (exec.c, memory.c, instance.c).
 * The generated code's contract is aot_abi.h; the container and loader interface aot.h.
 */
#ifndef WEFT_AOT_INTERNAL_H
#define WEFT_AOT_INTERNAL_H
#include "aot.h"
#include "aot_abi.h"
#include "../runtime/exec.h"

/* One defined function's entry (typed or slot entry), for mapping code addresses back to
 * functions. */
typedef struct {
  uintptr_t addr;
  uintptr_t end;                 /* end of the function's code (from the object's symbol
                                    table), or 0 when unknown */
  uint32_t idx;                  /* defined index (wasm index - nimported_funcs) */
  bool slot;                     /* the slot entry (ws_<i>), else the typed one (wf_<i>) */
} waot_entry;

/* A loaded shared object (m->aot). Immutable after waot_load. */
struct waot_code {
  void *handle;                  /* dlopen handle */
  int fd;                        /* the memfd/temporary file dlopen'ed through
                                    /proc/self/fd/N: kept open while loaded, so that name
                                    stays unique among loaded objects (glibc matches names) */
  const waot_desc *desc;
  uint32_t flags;                /* desc->flags (WAOT_F_*) */
  const wmodule *module;         /* the module owning this code (names for backtraces) */
  uintptr_t text_lo, text_hi;    /* executable range of the object */
  waot_entry *entries;           /* 2 * ndefined entries sorted by addr */
  uint32_t nentries;
  int reg_slot;                  /* slot in aot_trace.c's registry, or -1 */
};

/* The helper table handed to every loaded object's bind (aot_rt.c). */
extern const waot_helpers waot_rt_helpers;

/* WAOT_F_* flags of loaded code. */
static inline uint32_t waot_code_flags(const struct waot_code *c) { return c->flags; }

/* Raises trap t from runtime code called by AOT code: records it on e, rebuilds the frame
 * records of the current weft_call for the backtrace (walking the native frames of AOT
 * code from fp, a helper's own __builtin_frame_address(0), when fp is non-zero) and
 * siglongjmps to e's recovery point. For WEFT_TRAP_HOST the message already on e stays. */
WAOT_NORETURN void waot_raise(wexec *e, const winstance *inst, wtrap t, uintptr_t fp);

/* ---- aot_interrupt.c ---- */
/* Turns on signal interrupts for code compiled with WAOT_F_ASYNC_INTERRUPT (installs the
 * handler once); false where the platform has no interrupt signal. */
bool waot_interrupt_enable(void);
/* After a stop request on e: signals the thread running e, if some loaded code needs it
 * and e runs on another thread (weft_exec_request_stop). */
void waot_interrupt_exec(wexec *e);

/* ---- aot_trace.c ---- */
/* Publishes / retires a loaded object's code range (lock-free readers: signal handlers). */
bool waot_trace_register(struct waot_code *c);
void waot_trace_unregister(struct waot_code *c);
/* True when pc lies in the text of a loaded AOT object. Async-signal-safe. */
bool waot_trace_pc_known(uintptr_t pc);
/* Rewrites the frame records of e's current weft_call (from e->act_base to e->frame_top)
 * into one record per frame for a backtrace: AOT gate records are dropped, AOT caller
 * records (ip = native frame address) are replaced by the AOT frames found by walking the
 * frame-pointer chain from there, and when pc is non-zero the frames from pc (a return
 * address when pc_is_ret, else the faulting instruction) up the chain from fp go on top.
 * inst names the instance of the innermost frames (may be NULL). Async-signal-safe. */
void waot_trace_fixup(wexec *e, const winstance *inst, uintptr_t pc, bool pc_is_ret,
                      uintptr_t fp);
/* A backtrace name for a frame record without a function (fn NULL, ip = a code address in
 * AOT code), or NULL when ip is not AOT code. */
const char *waot_trace_name(const void *ip, char *buf, size_t buflen);

/* Frame records of AOT functions (rt_layout.h's wfuncinst with neither code nor host):
 *   gate record    {fn, fp NULL, ip NULL}: C code (the interpreter's call) entered fn
 *   caller record  {fn, fp NULL, ip = native frame of the helper called by fn}: pushed by
 *                  call_slots so host functions find their calling instance; the native
 *                  frames above it are walked when a trap needs a backtrace */
static inline bool waot_is_aot_func(const wfuncinst *f) { return f && !f->code && !f->host; }

#endif
