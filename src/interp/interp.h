/* interp.h — the interpreter: translation of validated wasm into internal code, and
 * execution. Internal code is an array of 32-bit cells: each instruction is a handler
 * reference followed by operand cells (frame-slot indexes, immediates, branch offsets).
 */
#ifndef WEFT_INTERP_H
#define WEFT_INTERP_H
#include "../module/module.h"
#include "../runtime/exec.h"

/* Translated code of one function (opaque outside interp/). */
struct wcode;

/* Translates every defined function of a validated module (sets wfunc.compiled).
 * Fails only on resource limits (WERR_RESOURCE) — e.g. a function whose frame would
 * exceed the slot limit. */
wstatus winterp_compile_module(wmodule *m, werr *err) W_WUR;
/* Frees one function's translated code. */
void winterp_free_code(struct wcode *c);

/* Number of value-stack slots a frame of this code needs (params+locals+operands). */
uint32_t winterp_frame_slots(const struct wcode *c);

/* The address range [*lo, *hi) of c's translated code; false if c has none. */
bool winterp_code_range(const struct wcode *c, uintptr_t *lo, uintptr_t *hi);

/* Wasm bytecode offset (in the module binary) for an ip inside c, for backtraces. */
uint32_t winterp_wasm_offset(const struct wcode *c, const void *ip);

/* Calls f (wasm or host) on exec. Arguments are in args[0..nparams); results are written
 * to args[0..nresults). Returns WEFT_TRAP_NONE or the trap; exec->frame_top is left at the
 * trapping frame so the caller can take a backtrace, then must reset it.
 * Does not set up the hardware-trap recovery point: the runtime's weft_call does. */
wtrap winterp_call(wexec *exec, const wfuncinst *f, wslot *args);

#endif
