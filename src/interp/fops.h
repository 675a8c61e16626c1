/* fops.h — small numeric helpers with exact wasm semantics, used by the handler lists. */
#ifndef WEFT_INTERP_FOPS_H
#define WEFT_INTERP_FOPS_H
#include <stdint.h>
#include <string.h>

/* Rotates (count taken mod width). */
static inline uint32_t wi_rotl32(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
static inline uint32_t wi_rotr32(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
static inline uint64_t wi_rotl64(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
static inline uint64_t wi_rotr64(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }

static inline uint32_t wi_f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float wi_u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint64_t wi_d2u(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
static inline double wi_u2d(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }

/* min/max: NaN if either is NaN; -0 < +0. */
static inline float wi_fminf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wi_u2f(wi_f2u(a) | wi_f2u(b));
  return a < b ? a : b;
}
static inline float wi_fmaxf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wi_u2f(wi_f2u(a) & wi_f2u(b));
  return a > b ? a : b;
}
static inline double wi_fmin(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wi_u2d(wi_d2u(a) | wi_d2u(b));
  return a < b ? a : b;
}
static inline double wi_fmax(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return wi_u2d(wi_d2u(a) & wi_d2u(b));
  return a > b ? a : b;
}
/* copysign as a bit operation (keeps NaN payloads). */
static inline float wi_copysignf(float a, float b) {
  return wi_u2f((wi_f2u(a) & 0x7fffffffu) | (wi_f2u(b) & 0x80000000u));
}
static inline double wi_copysign(double a, double b) {
  return wi_u2d((wi_d2u(a) & 0x7fffffffffffffffull) | (wi_d2u(b) & 0x8000000000000000ull));
}

/* Rounding ops: NaN inputs give a quiet (arithmetic) NaN; the inlined bit-trick versions
 * would pass a signalling NaN through unchanged. */
#define WI_ROUND(NAME, T, FN) \
  static inline T NAME(T a) { return a != a ? a + a : FN(a); }
WI_ROUND(wi_ceilf, float, __builtin_ceilf)
WI_ROUND(wi_floorf, float, __builtin_floorf)
WI_ROUND(wi_truncf, float, __builtin_truncf)
WI_ROUND(wi_nearestf, float, __builtin_rintf)
WI_ROUND(wi_ceil, double, __builtin_ceil)
WI_ROUND(wi_floor, double, __builtin_floor)
WI_ROUND(wi_trunc, double, __builtin_trunc)
WI_ROUND(wi_nearest, double, __builtin_rint)
#undef WI_ROUND

#endif
