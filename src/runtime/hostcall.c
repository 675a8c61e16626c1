/* hostcall.c — services for host functions while they run: the calling instance and ending
 * the program (exit). */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include "exec.h"
#include "natives.h"

/* The innermost frame record is the running host function's (the interpreter pushes one
 * per host call); the nearest wasm frame below it made the call. */
weft_instance *weft_exec_caller_instance(weft_exec *exec) {
  if (!exec) return NULL;
  const wframe *f = exec->frame_top;
  if (f < exec->frames || !f->fn || !f->fn->host) return NULL;
  for (f--; f >= exec->frames; f--)
    if (f->fn && !f->fn->host) return f->fn->inst;
  return NULL;
}

/* Records the code; a native (which cannot return a trap itself) gets the trap through
 * wnative_raise, a plain host function returns the WEFT_TRAP_EXIT we give back. */
weft_trap weft_exec_exit(weft_exec *exec, int32_t code) {
  exec->exit_code = code;
  if (wnative_running() == exec) wnative_raise(WEFT_TRAP_EXIT, NULL);
  return WEFT_TRAP_EXIT;
}

int32_t weft_exec_exit_code(const weft_exec *exec) { return exec ? exec->exit_code : 0; }
