/* prelude.h — helpers for weftc-generated C: little-endian loads/stores, numeric ops with
 * exact wasm semantics, trap checks. Embedded after aot_abi.h into every generated file.
 * (owned by the emitter: src/aot/emit*.c)
 *
 * Self-contained: standard headers only. Operations are named after the opcode rows of
 * opcodes.def (W_<NAME>), so the emitter writes `d = W_I32_ADD(a, b);` for any numeric op
 * without a list of its own. Macros that can trap expand to GNU statement expressions and
 * use names only generated code defines: `e`, `inst` (the function's exec and instance)
 * and `wtrap_` (a noreturn cold function calling the helper table's trap); W_LOOP_CHECK and
 * W_ENTER_CHECK use `wsusp_`, `wenter_` and `wexec_head`. Nothing here needs them until
 * expanded, so the header compiles on its own.
 */
#ifndef WEFT_AOT_PRELUDE_H
#define WEFT_AOT_PRELUDE_H
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define W_FN static inline __attribute__((unused))
#define W_UNLIKELY_(x) __builtin_expect(!!(x), 0)
#define W_TRAP(c) wtrap_(e, inst, (c))

/* Interrupt/stack checks (slow paths `wenter_`/`wsusp_` are cold functions of the
 * generated code): before calls (the frame address below e->stack_limit: deep recursion
 * or a pending stop), and at loop heads (e->suspend). */
#define W_ENTER_CHECK()                                                                    \
  do {                                                                                     \
    if (W_UNLIKELY_((uintptr_t)__builtin_frame_address(0) <                                \
                    atomic_load_explicit(&((wexec_head *)e)->stack_limit,                  \
                                         memory_order_relaxed)))                           \
      wenter_(e, inst);                                                                    \
  } while (0)
#define W_LOOP_CHECK()                                                                     \
  do {                                                                                     \
    if (W_UNLIKELY_(atomic_load_explicit(&((wexec_head *)e)->suspend, memory_order_relaxed))) \
      wsusp_(e, inst);                                                                     \
  } while (0)

/* ---- bit casts ---- */
W_FN uint32_t w_f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
W_FN float w_u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
W_FN uint64_t w_d2u(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
W_FN double w_u2d(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }
/* float constants by bit pattern (NaN payloads, infinities) */
#define w_f32_bits(b) w_u2f(b)
#define w_f64_bits(b) w_u2d(b)

/* ---- linear memory: unaligned little-endian accesses (single movs on LE targets) ---- */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define W_LE16(x) __builtin_bswap16(x)
#define W_LE32(x) __builtin_bswap32(x)
#define W_LE64(x) __builtin_bswap64(x)
#else
#define W_LE16(x) (x)
#define W_LE32(x) (x)
#define W_LE64(x) (x)
#endif
W_FN uint8_t w_ld8(const uint8_t *p) { return *p; }
W_FN uint16_t w_ld16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return W_LE16(v); }
W_FN uint32_t w_ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return W_LE32(v); }
W_FN uint64_t w_ld64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return W_LE64(v); }
W_FN void w_st8(uint8_t *p, uint8_t v) { *p = v; }
W_FN void w_st16(uint8_t *p, uint16_t v) { v = W_LE16(v); memcpy(p, &v, 2); }
W_FN void w_st32(uint8_t *p, uint32_t v) { v = W_LE32(v); memcpy(p, &v, 4); }
W_FN void w_st64(uint8_t *p, uint64_t v) { v = W_LE64(v); memcpy(p, &v, 8); }

#define W_I32_LOAD(p) w_ld32(p)
#define W_I64_LOAD(p) w_ld64(p)
#define W_F32_LOAD(p) w_u2f(w_ld32(p))
#define W_F64_LOAD(p) w_u2d(w_ld64(p))
#define W_I32_LOAD8_S(p) ((uint32_t)(int32_t)(int8_t)w_ld8(p))
#define W_I32_LOAD8_U(p) ((uint32_t)w_ld8(p))
#define W_I32_LOAD16_S(p) ((uint32_t)(int32_t)(int16_t)w_ld16(p))
#define W_I32_LOAD16_U(p) ((uint32_t)w_ld16(p))
#define W_I64_LOAD8_S(p) ((uint64_t)(int64_t)(int8_t)w_ld8(p))
#define W_I64_LOAD8_U(p) ((uint64_t)w_ld8(p))
#define W_I64_LOAD16_S(p) ((uint64_t)(int64_t)(int16_t)w_ld16(p))
#define W_I64_LOAD16_U(p) ((uint64_t)w_ld16(p))
#define W_I64_LOAD32_S(p) ((uint64_t)(int64_t)(int32_t)w_ld32(p))
#define W_I64_LOAD32_U(p) ((uint64_t)w_ld32(p))
#define W_I32_STORE(p, v) w_st32((p), (v))
#define W_I64_STORE(p, v) w_st64((p), (v))
#define W_F32_STORE(p, v) w_st32((p), w_f2u(v))
#define W_F64_STORE(p, v) w_st64((p), w_d2u(v))
#define W_I32_STORE8(p, v) w_st8((p), (uint8_t)(v))
#define W_I32_STORE16(p, v) w_st16((p), (uint16_t)(v))
#define W_I64_STORE8(p, v) w_st8((p), (uint8_t)(v))
#define W_I64_STORE16(p, v) w_st16((p), (uint16_t)(v))
#define W_I64_STORE32(p, v) w_st32((p), (uint32_t)(v))

/* atomic compare-exchange returning the loaded value (the threads proposal's result) */
#define W_CMPXCHG_FN(N, T)                                                                 \
  W_FN T w_cmpxchg##N(T *p, T expect, T repl) {                                            \
    __atomic_compare_exchange_n(p, &expect, repl, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);  \
    return expect;                                                                         \
  }
W_CMPXCHG_FN(8, uint8_t)
W_CMPXCHG_FN(16, uint16_t)
W_CMPXCHG_FN(32, uint32_t)
W_CMPXCHG_FN(64, uint64_t)
#undef W_CMPXCHG_FN

/* ---- integer ops ---- */
#define W_I32_EQZ(a) ((uint32_t)((a) == 0))
#define W_I32_EQ(a, b) ((uint32_t)((a) == (b)))
#define W_I32_NE(a, b) ((uint32_t)((a) != (b)))
#define W_I32_LT_S(a, b) ((uint32_t)((int32_t)(a) < (int32_t)(b)))
#define W_I32_LT_U(a, b) ((uint32_t)((a) < (b)))
#define W_I32_GT_S(a, b) ((uint32_t)((int32_t)(a) > (int32_t)(b)))
#define W_I32_GT_U(a, b) ((uint32_t)((a) > (b)))
#define W_I32_LE_S(a, b) ((uint32_t)((int32_t)(a) <= (int32_t)(b)))
#define W_I32_LE_U(a, b) ((uint32_t)((a) <= (b)))
#define W_I32_GE_S(a, b) ((uint32_t)((int32_t)(a) >= (int32_t)(b)))
#define W_I32_GE_U(a, b) ((uint32_t)((a) >= (b)))
#define W_I64_EQZ(a) ((uint32_t)((a) == 0))
#define W_I64_EQ(a, b) ((uint32_t)((a) == (b)))
#define W_I64_NE(a, b) ((uint32_t)((a) != (b)))
#define W_I64_LT_S(a, b) ((uint32_t)((int64_t)(a) < (int64_t)(b)))
#define W_I64_LT_U(a, b) ((uint32_t)((a) < (b)))
#define W_I64_GT_S(a, b) ((uint32_t)((int64_t)(a) > (int64_t)(b)))
#define W_I64_GT_U(a, b) ((uint32_t)((a) > (b)))
#define W_I64_LE_S(a, b) ((uint32_t)((int64_t)(a) <= (int64_t)(b)))
#define W_I64_LE_U(a, b) ((uint32_t)((a) <= (b)))
#define W_I64_GE_S(a, b) ((uint32_t)((int64_t)(a) >= (int64_t)(b)))
#define W_I64_GE_U(a, b) ((uint32_t)((a) >= (b)))

W_FN uint32_t w_clz32(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32u; }
W_FN uint32_t w_ctz32(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32u; }
W_FN uint64_t w_clz64(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64u; }
W_FN uint64_t w_ctz64(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64u; }
W_FN uint32_t w_rotl32(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
W_FN uint32_t w_rotr32(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
W_FN uint64_t w_rotl64(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
W_FN uint64_t w_rotr64(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }

#define W_I32_CLZ(a) w_clz32(a)
#define W_I32_CTZ(a) w_ctz32(a)
#define W_I32_POPCNT(a) ((uint32_t)__builtin_popcount(a))
#define W_I32_ADD(a, b) ((a) + (b))
#define W_I32_SUB(a, b) ((a) - (b))
#define W_I32_MUL(a, b) ((a) * (b))
#define W_I32_AND(a, b) ((a) & (b))
#define W_I32_OR(a, b) ((a) | (b))
#define W_I32_XOR(a, b) ((a) ^ (b))
#define W_I32_SHL(a, b) ((a) << ((b) & 31))
#define W_I32_SHR_S(a, b) ((uint32_t)((int32_t)(a) >> ((b) & 31)))
#define W_I32_SHR_U(a, b) ((a) >> ((b) & 31))
#define W_I32_ROTL(a, b) w_rotl32((a), (b))
#define W_I32_ROTR(a, b) w_rotr32((a), (b))
#define W_I64_CLZ(a) w_clz64(a)
#define W_I64_CTZ(a) w_ctz64(a)
#define W_I64_POPCNT(a) ((uint64_t)__builtin_popcountll(a))
#define W_I64_ADD(a, b) ((a) + (b))
#define W_I64_SUB(a, b) ((a) - (b))
#define W_I64_MUL(a, b) ((a) * (b))
#define W_I64_AND(a, b) ((a) & (b))
#define W_I64_OR(a, b) ((a) | (b))
#define W_I64_XOR(a, b) ((a) ^ (b))
#define W_I64_SHL(a, b) ((a) << ((b) & 63))
#define W_I64_SHR_S(a, b) ((uint64_t)((int64_t)(a) >> ((b) & 63)))
#define W_I64_SHR_U(a, b) ((a) >> ((b) & 63))
#define W_I64_ROTL(a, b) w_rotl64((a), (b))
#define W_I64_ROTR(a, b) w_rotr64((a), (b))

/* Division traps: divide by zero, and INT_MIN / -1 for the signed quotient (the signed
 * remainder of INT_MIN % -1 is 0, computed without the overflowing instruction). */
#define W_DIVCHK_(b) if (W_UNLIKELY_((b) == 0)) W_TRAP(WEFT_TRAP_INT_DIV_ZERO)
#define W_I32_DIV_S(a, b) ({ uint32_t a_ = (a), b_ = (b); W_DIVCHK_(b_);                    \
    if (W_UNLIKELY_(a_ == 0x80000000u && b_ == 0xffffffffu)) W_TRAP(WEFT_TRAP_INT_OVERFLOW); \
    (uint32_t)((int32_t)a_ / (int32_t)b_); })
#define W_I32_DIV_U(a, b) ({ uint32_t a_ = (a), b_ = (b); W_DIVCHK_(b_); a_ / b_; })
#define W_I32_REM_S(a, b) ({ uint32_t a_ = (a), b_ = (b); W_DIVCHK_(b_);                    \
    b_ == 0xffffffffu ? 0u : (uint32_t)((int32_t)a_ % (int32_t)b_); })
#define W_I32_REM_U(a, b) ({ uint32_t a_ = (a), b_ = (b); W_DIVCHK_(b_); a_ % b_; })
#define W_I64_DIV_S(a, b) ({ uint64_t a_ = (a), b_ = (b); W_DIVCHK_(b_);                    \
    if (W_UNLIKELY_(a_ == 0x8000000000000000ull && b_ == 0xffffffffffffffffull))             \
      W_TRAP(WEFT_TRAP_INT_OVERFLOW);                                                      \
    (uint64_t)((int64_t)a_ / (int64_t)b_); })
#define W_I64_DIV_U(a, b) ({ uint64_t a_ = (a), b_ = (b); W_DIVCHK_(b_); a_ / b_; })
#define W_I64_REM_S(a, b) ({ uint64_t a_ = (a), b_ = (b); W_DIVCHK_(b_);                    \
    b_ == 0xffffffffffffffffull ? 0u : (uint64_t)((int64_t)a_ % (int64_t)b_); })
#define W_I64_REM_U(a, b) ({ uint64_t a_ = (a), b_ = (b); W_DIVCHK_(b_); a_ % b_; })

#define W_I32_WRAP_I64(a) ((uint32_t)(a))
#define W_I64_EXTEND_I32_S(a) ((uint64_t)(int64_t)(int32_t)(a))
#define W_I64_EXTEND_I32_U(a) ((uint64_t)(a))
#define W_I32_EXTEND8_S(a) ((uint32_t)(int32_t)(int8_t)(a))
#define W_I32_EXTEND16_S(a) ((uint32_t)(int32_t)(int16_t)(a))
#define W_I64_EXTEND8_S(a) ((uint64_t)(int64_t)(int8_t)(a))
#define W_I64_EXTEND16_S(a) ((uint64_t)(int64_t)(int16_t)(a))
#define W_I64_EXTEND32_S(a) ((uint64_t)(int64_t)(int32_t)(a))

/* ---- float ops ---- */
/* min/max: NaN if either is NaN; -0 < +0 */
W_FN float w_fminf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return w_u2f(w_f2u(a) | w_f2u(b));
  return a < b ? a : b;
}
W_FN float w_fmaxf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return w_u2f(w_f2u(a) & w_f2u(b));
  return a > b ? a : b;
}
W_FN double w_fmin(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return w_u2d(w_d2u(a) | w_d2u(b));
  return a < b ? a : b;
}
W_FN double w_fmax(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return w_u2d(w_d2u(a) & w_d2u(b));
  return a > b ? a : b;
}
/* rounding: a NaN input gives a quiet NaN (the bit-trick inlines would pass an sNaN) */
W_FN float w_ceilf(float a) { return a != a ? a + a : __builtin_ceilf(a); }
W_FN float w_floorf(float a) { return a != a ? a + a : __builtin_floorf(a); }
W_FN float w_truncf(float a) { return a != a ? a + a : __builtin_truncf(a); }
W_FN float w_nearestf(float a) { return a != a ? a + a : __builtin_rintf(a); }
W_FN double w_ceil(double a) { return a != a ? a + a : __builtin_ceil(a); }
W_FN double w_floor(double a) { return a != a ? a + a : __builtin_floor(a); }
W_FN double w_trunc(double a) { return a != a ? a + a : __builtin_trunc(a); }
W_FN double w_nearest(double a) { return a != a ? a + a : __builtin_rint(a); }

#define W_F32_EQ(a, b) ((uint32_t)((a) == (b)))
#define W_F32_NE(a, b) ((uint32_t)((a) != (b)))
#define W_F32_LT(a, b) ((uint32_t)((a) < (b)))
#define W_F32_GT(a, b) ((uint32_t)((a) > (b)))
#define W_F32_LE(a, b) ((uint32_t)((a) <= (b)))
#define W_F32_GE(a, b) ((uint32_t)((a) >= (b)))
#define W_F64_EQ(a, b) ((uint32_t)((a) == (b)))
#define W_F64_NE(a, b) ((uint32_t)((a) != (b)))
#define W_F64_LT(a, b) ((uint32_t)((a) < (b)))
#define W_F64_GT(a, b) ((uint32_t)((a) > (b)))
#define W_F64_LE(a, b) ((uint32_t)((a) <= (b)))
#define W_F64_GE(a, b) ((uint32_t)((a) >= (b)))
/* abs/neg/copysign are bit operations (NaN payloads kept) */
#define W_F32_ABS(a) w_u2f(w_f2u(a) & 0x7fffffffu)
#define W_F32_NEG(a) w_u2f(w_f2u(a) ^ 0x80000000u)
#define W_F32_COPYSIGN(a, b) w_u2f((w_f2u(a) & 0x7fffffffu) | (w_f2u(b) & 0x80000000u))
#define W_F64_ABS(a) w_u2d(w_d2u(a) & 0x7fffffffffffffffull)
#define W_F64_NEG(a) w_u2d(w_d2u(a) ^ 0x8000000000000000ull)
#define W_F64_COPYSIGN(a, b)                                                               \
  w_u2d((w_d2u(a) & 0x7fffffffffffffffull) | (w_d2u(b) & 0x8000000000000000ull))
#define W_F32_CEIL(a) w_ceilf(a)
#define W_F32_FLOOR(a) w_floorf(a)
#define W_F32_TRUNC(a) w_truncf(a)
#define W_F32_NEAREST(a) w_nearestf(a)
#define W_F32_SQRT(a) __builtin_sqrtf(a)
#define W_F32_ADD(a, b) ((a) + (b))
#define W_F32_SUB(a, b) ((a) - (b))
#define W_F32_MUL(a, b) ((a) * (b))
#define W_F32_DIV(a, b) ((a) / (b))
#define W_F32_MIN(a, b) w_fminf((a), (b))
#define W_F32_MAX(a, b) w_fmaxf((a), (b))
#define W_F64_CEIL(a) w_ceil(a)
#define W_F64_FLOOR(a) w_floor(a)
#define W_F64_TRUNC(a) w_trunc(a)
#define W_F64_NEAREST(a) w_nearest(a)
#define W_F64_SQRT(a) __builtin_sqrt(a)
#define W_F64_ADD(a, b) ((a) + (b))
#define W_F64_SUB(a, b) ((a) - (b))
#define W_F64_MUL(a, b) ((a) * (b))
#define W_F64_DIV(a, b) ((a) / (b))
#define W_F64_MIN(a, b) w_fmin((a), (b))
#define W_F64_MAX(a, b) w_fmax((a), (b))

/* float -> int: valid iff LO < x < HI, compared in double (exact for f32 inputs); NaN
 * traps "invalid conversion", anything else out of range "integer overflow" */
#define W_TRUNC_(T, CT, a, LO, HI) ({ __typeof__(a) x_ = (a);                              \
    if (W_UNLIKELY_(!((double)x_ > (LO) && (double)x_ < (HI))))                             \
      W_TRAP(x_ != x_ ? WEFT_TRAP_INVALID_CONVERSION : WEFT_TRAP_INT_OVERFLOW);             \
    (T)(CT)x_; })
#define W_I32_TRUNC_F32_S(a) W_TRUNC_(uint32_t, int32_t, a, -2147483649.0, 2147483648.0)
#define W_I32_TRUNC_F32_U(a) W_TRUNC_(uint32_t, uint32_t, a, -1.0, 4294967296.0)
#define W_I32_TRUNC_F64_S(a) W_TRUNC_(uint32_t, int32_t, a, -2147483649.0, 2147483648.0)
#define W_I32_TRUNC_F64_U(a) W_TRUNC_(uint32_t, uint32_t, a, -1.0, 4294967296.0)
#define W_I64_TRUNC_F32_S(a)                                                               \
  W_TRUNC_(uint64_t, int64_t, a, -9223372036854777856.0, 9223372036854775808.0)
#define W_I64_TRUNC_F32_U(a) W_TRUNC_(uint64_t, uint64_t, a, -1.0, 18446744073709551616.0)
#define W_I64_TRUNC_F64_S(a)                                                               \
  W_TRUNC_(uint64_t, int64_t, a, -9223372036854777856.0, 9223372036854775808.0)
#define W_I64_TRUNC_F64_U(a) W_TRUNC_(uint64_t, uint64_t, a, -1.0, 18446744073709551616.0)

/* saturating float -> int: NaN -> 0, out of range -> the nearest bound */
#define W_SAT_FN(NAME, IN, T, CT, LO, HI, MIN, MAX)                                        \
  W_FN T NAME(IN a) {                                                                      \
    if (a != a) return 0;                                                                  \
    if (!((double)a > (LO))) return (T)(CT)(MIN);                                          \
    if (!((double)a < (HI))) return (T)(CT)(MAX);                                          \
    return (T)(CT)a;                                                                       \
  }
W_SAT_FN(w_sat_i32_f32_s, float, uint32_t, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
W_SAT_FN(w_sat_i32_f32_u, float, uint32_t, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
W_SAT_FN(w_sat_i32_f64_s, double, uint32_t, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
W_SAT_FN(w_sat_i32_f64_u, double, uint32_t, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
W_SAT_FN(w_sat_i64_f32_s, float, uint64_t, int64_t, -9223372036854777856.0,
         9223372036854775808.0, INT64_MIN, INT64_MAX)
W_SAT_FN(w_sat_i64_f32_u, float, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
W_SAT_FN(w_sat_i64_f64_s, double, uint64_t, int64_t, -9223372036854777856.0,
         9223372036854775808.0, INT64_MIN, INT64_MAX)
W_SAT_FN(w_sat_i64_f64_u, double, uint64_t, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
#undef W_SAT_FN
#define W_I32_TRUNC_SAT_F32_S(a) w_sat_i32_f32_s(a)
#define W_I32_TRUNC_SAT_F32_U(a) w_sat_i32_f32_u(a)
#define W_I32_TRUNC_SAT_F64_S(a) w_sat_i32_f64_s(a)
#define W_I32_TRUNC_SAT_F64_U(a) w_sat_i32_f64_u(a)
#define W_I64_TRUNC_SAT_F32_S(a) w_sat_i64_f32_s(a)
#define W_I64_TRUNC_SAT_F32_U(a) w_sat_i64_f32_u(a)
#define W_I64_TRUNC_SAT_F64_S(a) w_sat_i64_f64_s(a)
#define W_I64_TRUNC_SAT_F64_U(a) w_sat_i64_f64_u(a)

#define W_F32_CONVERT_I32_S(a) ((float)(int32_t)(a))
#define W_F32_CONVERT_I32_U(a) ((float)(uint32_t)(a))
#define W_F32_CONVERT_I64_S(a) ((float)(int64_t)(a))
#define W_F32_CONVERT_I64_U(a) ((float)(uint64_t)(a))
/* promote/demote quiet a NaN explicitly (as the hardware conversion does): gcc folds a
 * demote of a promote to nothing, which would let a signalling NaN through */
W_FN float w_demote(double a) {
  return a != a ? w_u2f(w_f2u((float)a) | 0x00400000u) : (float)a;
}
W_FN double w_promote(float a) {
  return a != a ? w_u2d(w_d2u((double)a) | 0x0008000000000000ull) : (double)a;
}
#define W_F32_DEMOTE_F64(a) w_demote(a)
#define W_F64_CONVERT_I32_S(a) ((double)(int32_t)(a))
#define W_F64_CONVERT_I32_U(a) ((double)(uint32_t)(a))
#define W_F64_CONVERT_I64_S(a) ((double)(int64_t)(a))
#define W_F64_CONVERT_I64_U(a) ((double)(uint64_t)(a))
#define W_F64_PROMOTE_F32(a) w_promote(a)
#define W_I32_REINTERPRET_F32(a) w_f2u(a)
#define W_I64_REINTERPRET_F64(a) w_d2u(a)
#define W_F32_REINTERPRET_I32(a) w_u2f(a)
#define W_F64_REINTERPRET_I64(a) w_u2d(a)

#endif
