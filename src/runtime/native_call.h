/* native_call.h — calling a C function `ret f(weft_exec *, args...)` whose parameter list is
 * only known at run time (natives registered by signature string, natives.c).
 *
 * The ABIs weft supports here (x86-64 System V, AArch64 AAPCS64) pass integer-class
 * arguments (integers, pointers) and floating-point arguments in separate register files,
 * each filled in order. So one fixed call shape,
 *     f(exec, int regs..., 8 doubles, stack cells...)
 * reaches any function whose integer-class arguments fill the integer registers and then
 * spill to 8-byte stack cells, and whose at most 8 float/double arguments fill the FP
 * registers: unused registers and cells are ignored by the callee. A float travels in the
 * low 32 bits of its double register; an int32 in the low bits of its 64-bit cell.
 * Elsewhere (other ABIs) direct calls are refused at registration; raw natives still work.
 */
#ifndef WEFT_NATIVE_CALL_H
#define WEFT_NATIVE_CALL_H
#include <stdbool.h>
#include <stdint.h>
#include "../../include/weft.h"

/* Most integer-class and FP arguments (besides the exec) a direct call can pass; 0 when
 * this ABI has no direct calls. */
uint32_t wncall_max_int(void);
uint32_t wncall_max_fp(void);

/* Calls fn(exec, ints[0..nint), fps[0..nfp)) in the class order above. fps hold the
 * argument's bits (a float's in the low 32 bits). Returns the integer return register when
 * fp_result is false, else the bits of the FP return register (a float's in the low 32
 * bits). Counts must be within the limits above. */
uint64_t wncall(void *fn, weft_exec *exec, const uint64_t *ints, uint32_t nint,
                const uint64_t *fps, uint32_t nfp, bool fp_result);

#endif
