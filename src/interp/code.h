/* code.h — the interpreter's internal code format, shared by the translator (compile.c)
 * and the execution loop (interp_loop.h).
 *
 * A function's code is an array of 32-bit cells. Each instruction is one cell holding the
 * internal opcode (an index into the loop's dispatch table) followed by operand cells:
 *   d, a, b, s, v ...  frame-slot indexes (fp[k] is a 64-bit weft_slot)
 *   imm                a 32-bit immediate (i64 forms sign-extend it)
 *   off                a branch offset relative to the cell holding it (ip = &cell + off)
 *   o                  a memory offset (u32, added to the u32 address in 64-bit)
 * Frame layout: params, declared locals, then one home slot per operand-stack depth, then
 * spill slots (parameters of `if` blocks, restored at `else`).
 */
#ifndef WEFT_INTERP_CODE_H
#define WEFT_INTERP_CODE_H
#include <stdint.h>
#include "interp.h"

/* Dispatch flavours. GCC/clang dispatch by computed goto; by default with direct
 * threading (WI_THREADED): each instruction's first cells hold its handler's address
 * instead of an opcode, so dispatch is one load and an indirect jump. The translator
 * produces the portable form (one opcode cell per instruction) and then links it into one
 * threaded copy per loop (fast and checked: their handlers differ). A handler address
 * takes WI_HCELLS cells; the loop's ip points at the last of them, so operand k is still
 * ip[k] and ip + 1 is "just past the instruction start" in both forms. WI_OPX is the number
 * of cells an instruction grows by. WEFT_NO_CGOTO selects the portable switch,
 * WEFT_NO_THREADED (or WEFT_OPSTATS) computed goto through the opcode table. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(WEFT_NO_CGOTO)
#define WI_CGOTO 1
#else
#define WI_CGOTO 0
#endif
#if WI_CGOTO && !defined(WEFT_NO_THREADED) && !defined(WEFT_OPSTATS)
#define WI_THREADED 1
#if UINTPTR_MAX > 0xFFFFFFFFu
#define WI_HCELLS 2
#else
#define WI_HCELLS 1
#endif
#else
#define WI_THREADED 0
#define WI_HCELLS 1
#endif
#define WI_OPX (WI_HCELLS - 1)
/* Cells a portable instruction of n cells takes in the threaded form: rounded up to whole
 * handler-sized units, so every handler address is naturally aligned (an unaligned one
 * may straddle a cache line on the dispatch path). */
#if WI_THREADED
#define WI_TSIZE(n) (((n) + WI_OPX + WI_OPX) / WI_HCELLS * WI_HCELLS)
#else
#define WI_TSIZE(n) (n)
#endif

/* Translated function. */
struct wcode {
  uint32_t *cells;             /* the code the fast (guard-page) loop runs */
  uint32_t *cells_checked;     /* threaded: the bounds-checked loop's copy (same layout);
                                  otherwise NULL (both loops run `cells`) */
  uint32_t ncells;
  uint32_t nparams, nlocals;   /* nlocals: declared locals (zeroed on entry), excl. params */
  uint32_t nresults;
  uint32_t frame_slots;        /* params + locals + max operand depth + spills (at least
                                  nparams + 4 * nzero4) */
  uint32_t nzero4;             /* calls zero the locals in chunks of 4 slots: ceil(nlocals/4) */
  uint32_t *map_pos, *map_off; /* side table: cell position -> wasm offset, sorted by pos */
  uint32_t nmap;
};

/* ---- The opcode list. Hand-written handlers (name, cells) with their semantics. ---- */
#define WI_CONTROL(X)                                                                          \
  X(UNREACHABLE, 1)     /* trap "unreachable" */                                             \
  X(MOV, 3)             /* d s: fp[d] = fp[s] */                                             \
  X(MOV2, 5)            /* d s d2 s2: fp[d] = fp[s]; then fp[d2] = fp[s2] (two local copies) */ \
  X(MOV3, 7)            /* d s d2 s2 d3 s3: three copies in order */                        \
  X(I32_ADD_I_MOV, 5)   /* d a imm x: fp[d] = fp[x] = fp[a].i32 + imm (`i' = i + k; i = i'`) */ \
  X(I32_ROTL_XOR_ROTL, 6) /* d x k y j: fp[d] = rotl(fp[x], k) ^ rotl(fp[y], j) */          \
  X(I32_SIGMA_ROTL, 8)  /* d x k y j z i: rotl(x, k) ^ rotl(y, j) ^ rotl(z, i) (sha-2 Sigma) */ \
  X(I32_SIGMA_SHR_U, 8) /* d x k y j z i: rotl(x, k) ^ rotl(y, j) ^ (z >> i) (sha-2 sigma) */ \
  X(I32_LOAD_SA, 9)     /* e a k d i s imm o: fp[e] = fp[a].i32 + k, then I32_LOAD_S d i s imm o */ \
  X(F64_MMADD_M, 6)     /* p o a b c: *(f64 *)(mem + fp[p] + o) += (fp[a] * fp[b]) * fp[c] */ \
  X(F64_MADD_M, 7)      /* p o a q imm qo: *(f64 *)(mem + fp[p] + o) = fp[a] * *(f64 *)(mem + \
                           (u32)(fp[q] + imm) + qo) + (same p): `x[i] += a * y[j]` */        \
  X(F64_MADD_MX, 10)    /* d x y p o a q imm qo: fp[d] = fp[x].i32 + fp[y].i32, then MADD_M */ \
  X(F64_MADD_MA, 10)    /* d x k p o a q imm qo: fp[d] = fp[x].i32 + k, then MADD_M */      \
  X(CONST32, 3)         /* d imm: fp[d].i64 = (u32)imm */                                    \
  X(CONST64, 4)         /* d lo hi: fp[d].i64 = hi:lo */                                     \
  X(BR, 2)              /* off: jump */                                                      \
  X(BR_NZ, 3)           /* c off: jump if fp[c].i32 != 0 */                                  \
  X(BR_Z, 3)            /* c off: jump if fp[c].i32 == 0 */                                  \
  X(BR_I64_NZ, 3)       /* c off: jump if fp[c].i64 != 0 */                                  \
  X(BR_I64_Z, 3)        /* c off: jump if fp[c].i64 == 0 */                                  \
  X(BR_TABLE, 0)        /* i n off*n offdef: jump to off[min(fp[i].i32, n)] (4+n cells) */   \
  X(BR_TABLE_A, 0)      /* d a k i n off*n offdef: fp[d] = fp[a].i32 + k, then BR_TABLE (7+n) */ \
  X(LOOP_CHECK, 1)      /* trap "terminated" if exec->suspend is set (back-edges do it) */       \
  X(RET0, 1)            /* return (no results) */                                            \
  X(RET1, 2)            /* s: fp[0] = fp[s]; return */                                       \
  X(RETN, 3)            /* s n: fp[0..n) = fp[s..s+n); return */                             \
  X(CALL, 3)            /* f base: call inst->funcs[f]; its frame starts at fp+base */       \
  X(CALL_LOCAL, 3)      /* f base: CALL of a function the module defines (same instance) */  \
  X(CALL_INDIRECT, 5)   /* t tab base i: call tables[tab][fp[i]] checking type t */          \
  X(SELECT, 5)          /* d a b c: fp[d] = fp[c].i32 ? fp[a] : fp[b] */                     \
  X(GLOBAL_GET, 3)      /* d g: fp[d] = globals[g]->val */                                   \
  X(GLOBAL_SET, 3)      /* s g: globals[g]->val = fp[s] */                                   \
  X(GLOBAL_SET_AUX, 3)  /* s g: GLOBAL_SET of the aux stack pointer (module->aux_stack): traps \
                           "wasm auxiliary stack overflow" when (u32)(fp[s] - inst->aux_lo) > \
                           inst->aux_span (the running thread's slice, rt.h) */              \
  X(TABLE_GET, 4)       /* d t i: fp[d].ref = tables[t][fp[i]] (bounds-checked) */           \
  X(TABLE_SET, 4)       /* t i v: tables[t][fp[i]] = fp[v].ref */                            \
  X(TABLE_SIZE, 3)      /* d t: fp[d] = size of table t */                                   \
  X(TABLE_GROW, 5)      /* d t init n: fp[d] = old size or -1 */                             \
  X(TABLE_FILL, 5)      /* t i v n: fill n entries from i with v */                          \
  X(TABLE_COPY, 6)      /* dt st d s n: copy n entries table st[s..] -> dt[d..] */           \
  X(TABLE_INIT, 6)      /* e t d s n: copy elem segment e [s..s+n) -> table t [d..] */       \
  X(ELEM_DROP, 2)       /* e: drop elem segment e */                                         \
  X(MEMORY_SIZE, 2)     /* d: fp[d] = pages of memory 0 */                                   \
  X(MEMORY_GROW, 3)     /* d n: fp[d] = old pages or -1 */                                   \
  X(MEMORY_INIT, 5)     /* seg d s n: copy data segment bytes into memory */                 \
  X(DATA_DROP, 2)       /* seg: drop data segment */                                         \
  X(MEMORY_COPY, 4)     /* d s n: memmove within memory 0 */                                 \
  X(MEMORY_FILL, 4)     /* d v n: memset within memory 0 */                                  \
  X(REF_IS_NULL, 3)     /* d a: fp[d] = fp[a].ref == 0 */                                    \
  X(REF_FUNC, 3)        /* d f: fp[d].ref = inst->funcs[f] */                                \
  X(ATOMIC_FENCE, 1)    /* seq_cst fence */                                                  \
  X(ATOMIC_NOTIFY, 5)   /* d a cnt o: wake waiters; fp[d] = number woken */                  \
  X(ATOMIC_WAIT32, 6)   /* d a exp tmo o: wait on a 32-bit cell; fp[d] = 0/1/2 */            \
  X(ATOMIC_WAIT64, 6)   /* d a exp tmo o: wait on a 64-bit cell */                           \
  X(I32_DIV_S, 4)       /* d a b: signed divide (traps on 0 and INT_MIN/-1) */               \
  X(I32_DIV_U, 4)       /* d a b: unsigned divide (traps on 0) */                            \
  X(I32_REM_S, 4)       /* d a b: signed remainder (INT_MIN % -1 = 0) */                     \
  X(I32_REM_U, 4)       /* d a b: unsigned remainder */                                      \
  X(I64_DIV_S, 4)       /* d a b: as above, 64-bit */                                        \
  X(I64_DIV_U, 4)                                                                            \
  X(I64_REM_S, 4)                                                                            \
  X(I64_REM_U, 4)

/* Integer binary ops "d a b" (4 cells); each also has an "_I" form "d a imm" where b is the
 * immediate (sign-extended for i64). X(NAME, in-field, out-field, expression over a, b). */
#define WI_IBIN(X)                                                                             \
  X(I32_ADD, i32, i32, a + b)                                                                \
  X(I32_SUB, i32, i32, a - b)                                                                \
  X(I32_MUL, i32, i32, a * b)                                                                \
  X(I32_AND, i32, i32, a & b)                                                                \
  X(I32_OR, i32, i32, a | b)                                                                 \
  X(I32_XOR, i32, i32, a ^ b)                                                                \
  X(I32_SHL, i32, i32, a << (b & 31))                                                        \
  X(I32_SHR_S, i32, i32, (uint32_t)((int32_t)a >> (b & 31)))                                 \
  X(I32_SHR_U, i32, i32, a >> (b & 31))                                                      \
  X(I32_ROTL, i32, i32, wi_rotl32(a, b))                                                     \
  X(I32_ROTR, i32, i32, wi_rotr32(a, b))                                                     \
  X(I32_EQ, i32, i32, a == b)                                                                \
  X(I32_NE, i32, i32, a != b)                                                                \
  X(I32_LT_S, i32, i32, (int32_t)a < (int32_t)b)                                             \
  X(I32_LT_U, i32, i32, a < b)                                                               \
  X(I32_GT_S, i32, i32, (int32_t)a > (int32_t)b)                                             \
  X(I32_GT_U, i32, i32, a > b)                                                               \
  X(I32_LE_S, i32, i32, (int32_t)a <= (int32_t)b)                                            \
  X(I32_LE_U, i32, i32, a <= b)                                                              \
  X(I32_GE_S, i32, i32, (int32_t)a >= (int32_t)b)                                            \
  X(I32_GE_U, i32, i32, a >= b)                                                              \
  X(I64_ADD, i64, i64, a + b)                                                                \
  X(I64_SUB, i64, i64, a - b)                                                                \
  X(I64_MUL, i64, i64, a * b)                                                                \
  X(I64_AND, i64, i64, a & b)                                                                \
  X(I64_OR, i64, i64, a | b)                                                                 \
  X(I64_XOR, i64, i64, a ^ b)                                                                \
  X(I64_SHL, i64, i64, a << (b & 63))                                                        \
  X(I64_SHR_S, i64, i64, (uint64_t)((int64_t)a >> (b & 63)))                                 \
  X(I64_SHR_U, i64, i64, a >> (b & 63))                                                      \
  X(I64_ROTL, i64, i64, wi_rotl64(a, b))                                                     \
  X(I64_ROTR, i64, i64, wi_rotr64(a, b))                                                     \
  X(I64_EQ, i64, i32, a == b)                                                                \
  X(I64_NE, i64, i32, a != b)                                                                \
  X(I64_LT_S, i64, i32, (int64_t)a < (int64_t)b)                                             \
  X(I64_LT_U, i64, i32, a < b)                                                               \
  X(I64_GT_S, i64, i32, (int64_t)a > (int64_t)b)                                             \
  X(I64_GT_U, i64, i32, a > b)                                                               \
  X(I64_LE_S, i64, i32, (int64_t)a <= (int64_t)b)                                            \
  X(I64_LE_U, i64, i32, a <= b)                                                              \
  X(I64_GE_S, i64, i32, (int64_t)a >= (int64_t)b)                                            \
  X(I64_GE_U, i64, i32, a >= b)

/* Float binary ops "d a b". */
#define WI_FBIN(X)                                                                             \
  X(F32_ADD, f32, f32, a + b)                                                                \
  X(F32_SUB, f32, f32, a - b)                                                                \
  X(F32_MUL, f32, f32, a * b)                                                                \
  X(F32_DIV, f32, f32, a / b)                                                                \
  X(F32_MIN, f32, f32, wi_fminf(a, b))                                                       \
  X(F32_MAX, f32, f32, wi_fmaxf(a, b))                                                       \
  X(F32_COPYSIGN, f32, f32, wi_copysignf(a, b))                                              \
  X(F32_EQ, f32, i32, a == b)                                                                \
  X(F32_NE, f32, i32, a != b)                                                                \
  X(F32_LT, f32, i32, a < b)                                                                 \
  X(F32_GT, f32, i32, a > b)                                                                 \
  X(F32_LE, f32, i32, a <= b)                                                                \
  X(F32_GE, f32, i32, a >= b)                                                                \
  X(F64_ADD, f64, f64, a + b)                                                                \
  X(F64_SUB, f64, f64, a - b)                                                                \
  X(F64_MUL, f64, f64, a * b)                                                                \
  X(F64_DIV, f64, f64, a / b)                                                                \
  X(F64_MIN, f64, f64, wi_fmin(a, b))                                                        \
  X(F64_MAX, f64, f64, wi_fmax(a, b))                                                        \
  X(F64_COPYSIGN, f64, f64, wi_copysign(a, b))                                               \
  X(F64_EQ, f64, i32, a == b)                                                                \
  X(F64_NE, f64, i32, a != b)                                                                \
  X(F64_LT, f64, i32, a < b)                                                                 \
  X(F64_GT, f64, i32, a > b)                                                                 \
  X(F64_LE, f64, i32, a <= b)                                                                \
  X(F64_GE, f64, i32, a >= b)

/* Unary ops "d a" (3 cells). X(NAME, in-field, out-field, expression over a). */
#define WI_UN(X)                                                                               \
  X(I32_EQZ, i32, i32, a == 0)                                                               \
  X(I32_CLZ, i32, i32, a ? (uint32_t)__builtin_clz(a) : 32u)                                 \
  X(I32_CTZ, i32, i32, a ? (uint32_t)__builtin_ctz(a) : 32u)                                 \
  X(I32_POPCNT, i32, i32, (uint32_t)__builtin_popcount(a))                                   \
  X(I64_EQZ, i64, i32, a == 0)                                                               \
  X(I64_CLZ, i64, i64, a ? (uint64_t)__builtin_clzll(a) : 64u)                               \
  X(I64_CTZ, i64, i64, a ? (uint64_t)__builtin_ctzll(a) : 64u)                               \
  X(I64_POPCNT, i64, i64, (uint64_t)__builtin_popcountll(a))                                 \
  X(F32_ABS, i32, i32, a & 0x7fffffffu)                                                      \
  X(F32_NEG, i32, i32, a ^ 0x80000000u)                                                      \
  X(F32_CEIL, f32, f32, wi_ceilf(a))                                                  \
  X(F32_FLOOR, f32, f32, wi_floorf(a))                                                \
  X(F32_TRUNC, f32, f32, wi_truncf(a))                                                \
  X(F32_NEAREST, f32, f32, wi_nearestf(a))                                               \
  X(F32_SQRT, f32, f32, __builtin_sqrtf(a))                                                  \
  X(F64_ABS, i64, i64, a & 0x7fffffffffffffffull)                                            \
  X(F64_NEG, i64, i64, a ^ 0x8000000000000000ull)                                            \
  X(F64_CEIL, f64, f64, wi_ceil(a))                                                   \
  X(F64_FLOOR, f64, f64, wi_floor(a))                                                 \
  X(F64_TRUNC, f64, f64, wi_trunc(a))                                                 \
  X(F64_NEAREST, f64, f64, wi_nearest(a))                                                \
  X(F64_SQRT, f64, f64, __builtin_sqrt(a))                                                   \
  X(I32_WRAP_I64, i64, i32, (uint32_t)a)                                                     \
  X(I64_EXTEND_I32_S, i32, i64, (uint64_t)(int64_t)(int32_t)a)                               \
  X(I64_EXTEND_I32_U, i32, i64, (uint64_t)a)                                                 \
  X(F32_CONVERT_I32_S, i32, f32, (float)(int32_t)a)                                          \
  X(F32_CONVERT_I32_U, i32, f32, (float)a)                                                   \
  X(F32_CONVERT_I64_S, i64, f32, (float)(int64_t)a)                                          \
  X(F32_CONVERT_I64_U, i64, f32, (float)a)                                                   \
  X(F32_DEMOTE_F64, f64, f32, (float)a)                                                      \
  X(F64_CONVERT_I32_S, i32, f64, (double)(int32_t)a)                                         \
  X(F64_CONVERT_I32_U, i32, f64, (double)a)                                                  \
  X(F64_CONVERT_I64_S, i64, f64, (double)(int64_t)a)                                         \
  X(F64_CONVERT_I64_U, i64, f64, (double)a)                                                  \
  X(F64_PROMOTE_F32, f32, f64, (double)a)                                                    \
  X(I32_REINTERPRET_F32, i32, i32, a)                                                        \
  X(I64_REINTERPRET_F64, i64, i64, a)                                                        \
  X(F32_REINTERPRET_I32, i32, i32, a)                                                        \
  X(F64_REINTERPRET_I64, i64, i64, a)                                                        \
  X(I32_EXTEND8_S, i32, i32, (uint32_t)(int32_t)(int8_t)a)                                   \
  X(I32_EXTEND16_S, i32, i32, (uint32_t)(int32_t)(int16_t)a)                                 \
  X(I64_EXTEND8_S, i64, i64, (uint64_t)(int64_t)(int8_t)a)                                   \
  X(I64_EXTEND16_S, i64, i64, (uint64_t)(int64_t)(int16_t)a)                                 \
  X(I64_EXTEND32_S, i64, i64, (uint64_t)(int64_t)(int32_t)a)

/* Float→int truncations "d a". Valid iff LO < x < HI (compared in double, exact for f32).
 * X(NAME, in-field, out-field, C type, LO, HI, MIN, MAX): trapping form; the SAT list uses
 * the same bounds and clamps to MIN/MAX (NaN → 0). */
#define WI_TRUNC(X)                                                                            \
  X(I32_TRUNC_F32_S, f32, i32, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)   \
  X(I32_TRUNC_F32_U, f32, i32, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)                  \
  X(I32_TRUNC_F64_S, f64, i32, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)   \
  X(I32_TRUNC_F64_U, f64, i32, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)                  \
  X(I64_TRUNC_F32_S, f32, i64, int64_t, -9223372036854777856.0, 9223372036854775808.0,       \
    INT64_MIN, INT64_MAX)                                                                    \
  X(I64_TRUNC_F32_U, f32, i64, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)        \
  X(I64_TRUNC_F64_S, f64, i64, int64_t, -9223372036854777856.0, 9223372036854775808.0,       \
    INT64_MIN, INT64_MAX)                                                                    \
  X(I64_TRUNC_F64_U, f64, i64, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
#define WI_SAT(X)                                                                              \
  X(I32_TRUNC_SAT_F32_S, f32, i32, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX) \
  X(I32_TRUNC_SAT_F32_U, f32, i32, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)              \
  X(I32_TRUNC_SAT_F64_S, f64, i32, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX) \
  X(I32_TRUNC_SAT_F64_U, f64, i32, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)              \
  X(I64_TRUNC_SAT_F32_S, f32, i64, int64_t, -9223372036854777856.0, 9223372036854775808.0,   \
    INT64_MIN, INT64_MAX)                                                                    \
  X(I64_TRUNC_SAT_F32_U, f32, i64, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)    \
  X(I64_TRUNC_SAT_F64_S, f64, i64, int64_t, -9223372036854777856.0, 9223372036854775808.0,   \
    INT64_MIN, INT64_MAX)                                                                    \
  X(I64_TRUNC_SAT_F64_U, f64, i64, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)

/* Loads "d a o" (4 cells): fp[d].F = (converted) *(CT *)(mem + a + o). X(NAME, F, CT). */
#define WI_LOAD(X)                                                                             \
  X(I32_LOAD, i32, uint32_t) X(I64_LOAD, i64, uint64_t)                                      \
  X(F32_LOAD, i32, uint32_t) X(F64_LOAD, i64, uint64_t)                                      \
  X(I32_LOAD8_S, i32, int8_t) X(I32_LOAD8_U, i32, uint8_t)                                   \
  X(I32_LOAD16_S, i32, int16_t) X(I32_LOAD16_U, i32, uint16_t)                               \
  X(I64_LOAD8_S, i64, int8_t) X(I64_LOAD8_U, i64, uint8_t)                                   \
  X(I64_LOAD16_S, i64, int16_t) X(I64_LOAD16_U, i64, uint16_t)                               \
  X(I64_LOAD32_S, i64, int32_t) X(I64_LOAD32_U, i64, uint32_t)
/* Stores "a v o" (4 cells): *(CT *)(mem + a + o) = (CT)fp[v].F. */
#define WI_STORE(X)                                                                            \
  X(I32_STORE, i32, uint32_t) X(I64_STORE, i64, uint64_t)                                    \
  X(F32_STORE, i32, uint32_t) X(F64_STORE, i64, uint64_t)                                    \
  X(I32_STORE8, i32, uint8_t) X(I32_STORE16, i32, uint16_t)                                  \
  X(I64_STORE8, i64, uint8_t) X(I64_STORE16, i64, uint16_t) X(I64_STORE32, i64, uint32_t)
/* Each load also has an "_A" form "d a imm o" and each store "a imm v o" (5 cells): the
 * address is the u32 sum fp[a].i32 + imm (a fused `i32.add` with a constant). Stores of a
 * constant have "_K" forms "a k o" (4 cells) and "_KA" forms "a imm k o" (5 cells): the
 * value stored is k sign-extended to 64 bits, then truncated to the access width. Scaled-
 * index forms "_X": loads "d b i k o", stores "b i k v o" (6 cells) address
 * (u32)(fp[b].i32 + (fp[i].i32 << k)) + o (a fused `i32.shl imm; i32.add`). Loads also have
 * "_S" forms "d i k imm o" (6 cells) addressing (u32)((fp[i].i32 << k) + imm) + o (a fused
 * `i32.shl imm; i32.add imm`: an element of a static array). */

/* Atomic loads "d a o" / stores "a v o": seq_cst, aligned, always bounds-checked. */
#define WI_ALOAD(X)                                                                            \
  X(I32_ATOMIC_LOAD, i32, uint32_t) X(I64_ATOMIC_LOAD, i64, uint64_t)                        \
  X(I32_ATOMIC_LOAD8_U, i32, uint8_t) X(I32_ATOMIC_LOAD16_U, i32, uint16_t)                  \
  X(I64_ATOMIC_LOAD8_U, i64, uint8_t) X(I64_ATOMIC_LOAD16_U, i64, uint16_t)                  \
  X(I64_ATOMIC_LOAD32_U, i64, uint32_t)
#define WI_ASTORE(X)                                                                           \
  X(I32_ATOMIC_STORE, i32, uint32_t) X(I64_ATOMIC_STORE, i64, uint64_t)                      \
  X(I32_ATOMIC_STORE8, i32, uint8_t) X(I32_ATOMIC_STORE16, i32, uint16_t)                    \
  X(I64_ATOMIC_STORE8, i64, uint8_t) X(I64_ATOMIC_STORE16, i64, uint16_t)                    \
  X(I64_ATOMIC_STORE32, i64, uint32_t)
/* Atomic read-modify-write "d a v o" (5 cells): fp[d] = old; X(NAME, F, CT, builtin). */
#define WI_RMW_OPS(X, OP, BUILTIN)                                                             \
  X(I32_ATOMIC_RMW_##OP, i32, uint32_t, BUILTIN)                                             \
  X(I64_ATOMIC_RMW_##OP, i64, uint64_t, BUILTIN)                                             \
  X(I32_ATOMIC_RMW8_##OP##_U, i32, uint8_t, BUILTIN)                                         \
  X(I32_ATOMIC_RMW16_##OP##_U, i32, uint16_t, BUILTIN)                                       \
  X(I64_ATOMIC_RMW8_##OP##_U, i64, uint8_t, BUILTIN)                                         \
  X(I64_ATOMIC_RMW16_##OP##_U, i64, uint16_t, BUILTIN)                                       \
  X(I64_ATOMIC_RMW32_##OP##_U, i64, uint32_t, BUILTIN)
#define WI_RMW(X)                                                                              \
  WI_RMW_OPS(X, ADD, __atomic_fetch_add) WI_RMW_OPS(X, SUB, __atomic_fetch_sub)              \
  WI_RMW_OPS(X, AND, __atomic_fetch_and) WI_RMW_OPS(X, OR, __atomic_fetch_or)                \
  WI_RMW_OPS(X, XOR, __atomic_fetch_xor) WI_RMW_OPS(X, XCHG, __atomic_exchange_n)
/* Atomic compare-exchange "d a e r o" (6 cells): fp[d] = old; store r if old == e. */
#define WI_CMPXCHG(X)                                                                          \
  X(I32_ATOMIC_RMW_CMPXCHG, i32, uint32_t) X(I64_ATOMIC_RMW_CMPXCHG, i64, uint64_t)          \
  X(I32_ATOMIC_RMW8_CMPXCHG_U, i32, uint8_t) X(I32_ATOMIC_RMW16_CMPXCHG_U, i32, uint16_t)    \
  X(I64_ATOMIC_RMW8_CMPXCHG_U, i64, uint8_t) X(I64_ATOMIC_RMW16_CMPXCHG_U, i64, uint16_t)    \
  X(I64_ATOMIC_RMW32_CMPXCHG_U, i64, uint32_t)

/* Fused compare-and-branch: for each integer comparison C, BR_I32_C "a b off",
 * BR_I32_C_I "a imm off", BR_I64_C "a b off" and BR_I64_C_I "a imm off" (imm sign-extended)
 * jump when the comparison holds (a, b unsigned; sa, sb the same values signed). */
#define WI_CMPS(X)                                                                             \
  X(EQ, a == b) X(NE, a != b) X(LT_S, sa < sb) X(LT_U, a < b) X(GT_S, sa > sb)              \
  X(GT_U, a > b) X(LE_S, sa <= sb) X(LE_U, a <= b) X(GE_S, sa >= sb) X(GE_U, a >= b)

/* Loop-counter branches: an i32.add fused into the compare-and-branch testing its result.
 * For each comparison C: ABR_I32_C "d a imm b off" and ABR_I32_C_I "d a imm lim off" set
 * fp[d] = fp[a] + imm, then jump when fp[d] C fp[b] / lim; AXBR_I32_C_I "d a x lim off"
 * sets fp[d] = fp[a] + fp[x], then jumps when fp[d] C lim. ABR_NZ / ABR_Z "d a imm off"
 * set fp[d] = fp[a] + imm and jump when it is non-zero / zero. */

/* Conditional returns (made by the tail pass from a BR_I32_C_I jumping over a RET0):
 * RET_I32_C_I "a imm" returns when fp[a] C imm. */

/* Binary ops fused with a load supplying their second operand, "d a p o" (5 cells):
 * fp[d] = fp[a] OP *(CT *)(mem + fp[p].i32 + o). X(NAME, field, C load type, load op).
 * The "_LA" forms "d a p imm o" (6 cells) take the load address fp[p].i32 + imm (u32). */
#define WI_LBIN(X)                                                                             \
  X(F64_ADD, f64, double, F64_LOAD) X(F64_SUB, f64, double, F64_LOAD)                        \
  X(F64_MUL, f64, double, F64_LOAD) X(F32_ADD, f32, float, F32_LOAD)                         \
  X(F32_SUB, f32, float, F32_LOAD) X(F32_MUL, f32, float, F32_LOAD)                          \
  X(I32_ADD, i32, uint32_t, I32_LOAD) X(I32_SUB, i32, uint32_t, I32_LOAD)                    \
  X(I32_AND, i32, uint32_t, I32_LOAD) X(I32_OR, i32, uint32_t, I32_LOAD)                     \
  X(I32_XOR, i32, uint32_t, I32_LOAD) X(I32_MUL, i32, uint32_t, I32_LOAD)                    \
  X(I64_ADD, i64, uint64_t, I64_LOAD) X(I64_XOR, i64, uint64_t, I64_LOAD)

/* Memory read-modify-write "p v o" (4 cells, the store layout): *(CT *)(mem + fp[p].i32
 * + o) = fp[v] OP *(same): `load a; binop; store a` on one address (`x[i] += v`).
 * X(NAME, field, C type, load op, store op). */
#define WI_MBIN(X)                                                                             \
  X(F64_ADD, f64, double, F64_LOAD, F64_STORE) X(I32_ADD, i32, uint32_t, I32_LOAD, I32_STORE) \
  X(I64_ADD, i64, uint64_t, I64_LOAD, I64_STORE)

/* f64 ops with a constant operand: "_K" forms "d a lo hi" (5 cells) compute fp[a] OP k,
 * "_KR" forms k OP fp[a] (k = hi:lo, the f64 bits). X(NAME, expression over a, b). */
#define WI_FK(X)                                                                               \
  X(F64_ADD, a + b) X(F64_SUB, a - b) X(F64_MUL, a * b) X(F64_DIV, a / b)

/* i32 op whose second operand is a shift/rotate by an immediate, "d a x k" (5 cells):
 * fp[d] = fp[a] OP SH(fp[x], k) (a fused `SH_I` feeding OP). X(OP, SH, expression). */
#define WI_SBIN(X)                                                                             \
  X(XOR, ROTL, a ^ wi_rotl32(x, k)) X(XOR, SHR_U, a ^ (x >> (k & 31)))                        \
  X(XOR, SHL, a ^ (x << (k & 31))) X(OR, ROTL, a | wi_rotl32(x, k))                           \
  X(OR, SHR_U, a | (x >> (k & 31))) X(OR, SHL, a | (x << (k & 31)))                           \
  X(ADD, ROTL, a + wi_rotl32(x, k)) X(ADD, SHR_U, a + (x >> (k & 31)))                       \
  X(ADD, SHL, a + (x << (k & 31)))

/* Two f64 ops in a chain, "d a b c" (5 cells): the "_L" forms compute fp[d] = (a O1 b) O2 c,
 * the "_R" forms fp[d] = c O2 (a O1 b) (the first result is O2's left / right operand; it
 * is rounded to f64 before O2, never contracted). X(O1, O2, C operator 1, C operator 2). */
#define WI_FF_OPS(X, O1, C1)                                                                   \
  X(O1, ADD, C1, +) X(O1, SUB, C1, -) X(O1, MUL, C1, *)
#define WI_FF(X) WI_FF_OPS(X, ADD, +) WI_FF_OPS(X, SUB, -) WI_FF_OPS(X, MUL, *)
/* A third op on a MUL_MUL chain, "d a b c e" (6 cells): F64_MM_O_L computes
 * ((a * b) * c) O e, F64_MM_O_R e O ((a * b) * c). X(O, C operator). */
#define WI_FMM(X) X(ADD, +) X(SUB, -)

/* Two i32 ops in a chain, "d a b c" (5 cells): fp[d] = (a O1 b) O2 c (O2 commutes, so the
 * first result may have been either operand). X(O1, O2, C operator 1, C operator 2). */
#define WI_IFF_OPS(X, O1, C1) X(O1, ADD, C1, +) X(O1, AND, C1, &) X(O1, OR, C1, |) X(O1, XOR, C1, ^)
#define WI_IFF(X) WI_IFF_OPS(X, ADD, +) WI_IFF_OPS(X, AND, &) WI_IFF_OPS(X, OR, |) WI_IFF_OPS(X, XOR, ^)

/* Branches on a loaded value (a fused load): BR_L8_NZ/BR_L8_Z/BR_L32_NZ/BR_L32_Z "p o off"
 * test the u8/u32 at fp[p].i32 + o; BR_L_I32_C "p o b off" and BR_L_I32_C_I "p o imm off"
 * compare the loaded u32 (as a) with fp[b] / imm (as b). BR_LW_I32_C "d p o b off" and
 * BR_LW_I32_C_I "d p o imm off" do the same and also store the loaded value in fp[d] (a
 * load into a local that the branch then tests). */
#define WI_LBR(X) X(L8_NZ, uint8_t, v != 0) X(L8_Z, uint8_t, v == 0) X(L32_NZ, uint32_t, v != 0) \
  X(L32_Z, uint32_t, v == 0)

/* Pairs merged at link time (threaded code only, compile.c link_threaded): two adjacent
 * instructions A, B (B not a branch target) become one "P_A_B" whose operands are A's
 * followed by B's (nA + nB - 1 cells); its handler runs A, then B with ip moved to where
 * B's opcode cell would be. Only ops that cannot fault on memory take part (a trap in B,
 * e.g. "terminated" on a back-edge, still maps to B's wasm offset).
 * X(A, B, nA, nB). */
#define WI_PAIRS(X)                                                                            \
  X(I32_ADD_I, I32_ADD_I, 4, 4) X(I32_ADD_I, MOV, 4, 3) X(MOV, I32_ADD_I, 3, 4)              \
  X(I32_ADD, I32_ADD, 4, 4) X(I32_ADD, I32_ADD_I, 4, 4) X(I32_ADD_I, I32_ADD, 4, 4)          \
  X(I32_ADD, I32_ADD_I_MOV, 4, 5) X(I32_ADD_I_MOV, BR_NZ, 5, 3) X(MOV, MOV, 3, 3)           \
  X(I32_ADD_I, BR_NZ, 4, 3) X(I32_ADD, BR_NZ, 4, 3)

/* The internal opcode enum. */
enum {
#define WI_E1(N, ...) IOP_##N,
#define WI_EI(N, ...) IOP_##N##_I,
#define WI_EA(N, ...) IOP_##N##_A,
#define WI_EB(C, ...) IOP_BR_I32_##C, IOP_BR_I32_##C##_I, IOP_BR_I64_##C,
#define WI_EL(N, ...) IOP_##N##_L, IOP_##N##_LA,
#define WI_EK(N, ...) IOP_##N##_K,
#define WI_EKA(N, ...) IOP_##N##_KA,
#define WI_EM(N, ...) IOP_##N##_M,
#define WI_EX(N, ...) IOP_##N##_X,
#define WI_ES_(N, ...) IOP_##N##_S,
#define WI_EFK(N, ...) IOP_##N##_K, IOP_##N##_KR,
#define WI_ES(O, SH, ...) IOP_I32_##O##_##SH,
#define WI_ELB(C, ...) IOP_BR_L_I32_##C, IOP_BR_L_I32_##C##_I,
#define WI_ELZ(N, ...) IOP_BR_##N,
#define WI_EIFF(O1, O2, ...) IOP_I32_##O1##_##O2,
#define WI_ELW(C, ...) IOP_BR_LW_I32_##C, IOP_BR_LW_I32_##C##_I,
#define WI_ERC(C, ...) IOP_RET_I32_##C##_I,
#define WI_EB64I(C, ...) IOP_BR_I64_##C##_I,
#define WI_EFMM(O, ...) IOP_F64_MM_##O##_L, IOP_F64_MM_##O##_R,
#define WI_EAB(C, ...) IOP_ABR_I32_##C, IOP_ABR_I32_##C##_I, IOP_AXBR_I32_##C##_I,
#define WI_EFF(O1, O2, ...) IOP_F64_##O1##_##O2##_L, IOP_F64_##O1##_##O2##_R,
  WI_CONTROL(WI_E1) WI_IBIN(WI_E1) WI_IBIN(WI_EI) WI_FBIN(WI_E1) WI_UN(WI_E1) WI_TRUNC(WI_E1)
  WI_SAT(WI_E1) WI_LOAD(WI_E1) WI_STORE(WI_E1) WI_ALOAD(WI_E1) WI_ASTORE(WI_E1) WI_RMW(WI_E1)
  WI_CMPXCHG(WI_E1) WI_CMPS(WI_EB) WI_LOAD(WI_EA) WI_STORE(WI_EA) WI_LBIN(WI_EL) WI_STORE(WI_EK) WI_STORE(WI_EKA) WI_MBIN(WI_EM)
  WI_LOAD(WI_EX) WI_STORE(WI_EX) WI_FK(WI_EFK) WI_SBIN(WI_ES) WI_CMPS(WI_ELB) WI_LBR(WI_ELZ)
  WI_LOAD(WI_ES_) WI_FF(WI_EFF) WI_CMPS(WI_EAB) IOP_ABR_NZ, IOP_ABR_Z, WI_IFF(WI_EIFF) WI_CMPS(WI_ELW) WI_CMPS(WI_ERC) WI_CMPS(WI_EB64I) WI_FMM(WI_EFMM)
#define WI_EP(A, B, ...) IOP_P_##A##_##B,
  WI_PAIRS(WI_EP)
#undef WI_EP
#undef WI_EFMM
#undef WI_EB64I
#undef WI_ERC
#undef WI_ELW
#undef WI_EIFF
#undef WI_EAB
#undef WI_ES_
#undef WI_EFF
#undef WI_ES
#undef WI_ELB
#undef WI_ELZ
#undef WI_EFK
#undef WI_EM
#undef WI_EX
#undef WI_EK
#undef WI_EKA
#undef WI_E1
#undef WI_EL
#undef WI_EI
#undef WI_EB
#undef WI_EA
  IOP_COUNT_
};

/* The two instantiations of the execution loop (interp_loop.h): guard-page mode and
 * explicit-bounds-check mode. Both run from the frame `entry` (already pushed, locals
 * zeroed) until it returns. */
/* Called with exec NULL and labels non-NULL, a loop stores its handler table (indexed by
 * internal opcode; computed-goto builds only) in *labels and returns: the translator links
 * threaded code with it. */
wtrap winterp_loop_fast(wexec *exec, wframe *entry, const void *const **labels);
wtrap winterp_loop_checked(wexec *exec, wframe *entry, const void *const **labels);

/* Structural function-type equality (call_indirect's slow path). */
int winterp_type_eq(const wfunctype *a, const wfunctype *b);

/* Runtime services the loop uses (runtime/memory.c, runtime/table.c). */
int32_t wmem_grow(wmemory *m, uint32_t delta_pages);
int32_t wtable_grow(wtable *t, uint32_t delta, uintptr_t init);

#endif
