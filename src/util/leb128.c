/* leb128.c — LEB128 decoding with the spec's limits (see leb128.h). */
#include "leb128.h"

/* Unsigned LEB128 of at most `bits` bits. */
static size_t read_unsigned(const uint8_t *p, const uint8_t *end, unsigned bits,
                            uint64_t *out, const char **why) {
  uint64_t result = 0;
  unsigned shift = 0;
  const unsigned max_bytes = (bits + 6) / 7;
  for (size_t i = 0;; i++) {
    if (p + i >= end) { *why = "unexpected end"; return 0; }
    if (i >= max_bytes) { *why = "integer representation too long"; return 0; }
    uint8_t b = p[i];
    if (i == max_bytes - 1) {
      /* last permitted byte: bits beyond `bits` must be zero, continuation clear */
      unsigned used = bits - shift;                 /* payload bits still allowed */
      if (b & 0x80) { *why = "integer representation too long"; return 0; }
      if (used < 7 && (b >> used) != 0) { *why = "integer too large"; return 0; }
    }
    result |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) { *out = result; return i + 1; }
  }
}

/* Signed LEB128 of at most `bits` bits, sign-extended into int64. */
static size_t read_signed(const uint8_t *p, const uint8_t *end, unsigned bits,
                          int64_t *out, const char **why) {
  uint64_t result = 0;
  unsigned shift = 0;
  const unsigned max_bytes = (bits + 6) / 7;
  for (size_t i = 0;; i++) {
    if (p + i >= end) { *why = "unexpected end"; return 0; }
    if (i >= max_bytes) { *why = "integer representation too long"; return 0; }
    uint8_t b = p[i];
    if (i == max_bytes - 1) {
      if (b & 0x80) { *why = "integer representation too long"; return 0; }
      unsigned used = bits - shift; /* value bits in this byte, including the sign bit */
      if (used < 7) {
        /* bits from `used-1` (sign) up to bit 6 must all equal the sign */
        uint8_t rest = (uint8_t)((b & 0x7f) >> (used - 1));
        uint8_t all = (uint8_t)(0x7f >> (used - 1));
        if (rest != 0 && rest != all) { *why = "integer too large"; return 0; }
      }
    }
    result |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40)) result |= ~(uint64_t)0 << shift;
      *out = (int64_t)result;
      return i + 1;
    }
  }
}

size_t wleb_u32(const uint8_t *p, const uint8_t *end, uint32_t *out, const char **why) {
  uint64_t v = 0;
  size_t n = read_unsigned(p, end, 32, &v, why);
  if (n) *out = (uint32_t)v;
  return n;
}

size_t wleb_u64(const uint8_t *p, const uint8_t *end, uint64_t *out, const char **why) {
  return read_unsigned(p, end, 64, out, why);
}

size_t wleb_s32(const uint8_t *p, const uint8_t *end, int32_t *out, const char **why) {
  int64_t v = 0;
  size_t n = read_signed(p, end, 32, &v, why);
  if (n) *out = (int32_t)v;
  return n;
}

size_t wleb_s64(const uint8_t *p, const uint8_t *end, int64_t *out, const char **why) {
  return read_signed(p, end, 64, out, why);
}

size_t wleb_s33(const uint8_t *p, const uint8_t *end, int64_t *out, const char **why) {
  return read_signed(p, end, 33, out, why);
}
