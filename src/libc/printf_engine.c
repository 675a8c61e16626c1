/* printf_engine.c — the printf formatter (see printf_engine.h). Integers, characters and
 * strings are formatted here; floating-point bodies come from the host's snprintf (exact
 * glibc output) and are padded here, so no width or precision needs a large buffer. */
#include "printf_engine.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/werr.h"

typedef struct {
  const uint8_t *mem;
  uint64_t size;
  uint64_t pos;                  /* next argument's offset */
  lb_sink *out;
  uint64_t count;
  int err;
  char *msg;
  size_t msgcap;
} fstate;

enum { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIGL };

static int fail(fstate *f, int code, const char *fmt, ...) W_PRINTF(3, 4);
static int fail(fstate *f, int code, const char *fmt, ...) {
  if (!f->err) {
    f->err = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, f->msgcap, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* Reads the next argument of `size` bytes (aligned to its size) from the va_list. */
static int arg(fstate *f, unsigned size, void *out) {
  uint64_t p = (f->pos + size - 1) & ~(uint64_t)(size - 1);
  if (p > f->size || size > f->size - p)
    return fail(f, LBF_OOB, "a variadic argument at 0x%llx lies outside memory",
                (unsigned long long)p);
  memcpy(out, f->mem + p, size);
  f->pos = p + size;
  return 0;
}

static int arg_i32(fstate *f, void *v) { return arg(f, 4, v); }

static int emit(fstate *f, const char *p, size_t n) {
  if (!n) return 0;
  if (f->out->put(f->out, p, n)) {
    if (!f->err) f->err = LBF_SINK;
    return -1;
  }
  f->count += n;
  return 0;
}

static int pad(fstate *f, char c, uint64_t n) {
  char buf[64];
  memset(buf, c, sizeof buf);
  while (n) {
    size_t k = n < sizeof buf ? (size_t)n : sizeof buf;
    if (emit(f, buf, k)) return -1;
    n -= k;
  }
  return 0;
}

typedef struct {
  bool minus, plus, space, hash, zero;
  int64_t width;                 /* 0 = none */
  int64_t prec;                  /* -1 = none */
  int len;
  char conv;
} spec;

/* Emits prefix (sign, 0x), `zeros` zeros and body, padded to the width. */
static int field(fstate *f, const spec *s, const char *prefix, uint64_t zeros, const char *body,
                 uint64_t blen) {
  uint64_t plen = strlen(prefix), total = plen + zeros + blen;
  uint64_t w = s->width > 0 ? (uint64_t)s->width : 0;
  uint64_t padn = w > total ? w - total : 0;
  if (!s->minus && padn && pad(f, ' ', padn)) return -1;
  if (emit(f, prefix, plen) || pad(f, '0', zeros) || emit(f, body, blen)) return -1;
  if (s->minus && padn && pad(f, ' ', padn)) return -1;
  return 0;
}

static int fmt_int(fstate *f, spec *s) {
  bool is_signed = s->conv == 'd' || s->conv == 'i';
  uint64_t u;
  bool neg = false;
  if (s->len == LEN_LL || s->len == LEN_J || s->len == LEN_BIGL) {
    if (arg(f, 8, &u)) return -1;
  } else {
    uint32_t w;
    if (arg(f, 4, &w)) return -1;
    u = w;
    if (s->len == LEN_HH) u &= 0xFF;
    else if (s->len == LEN_H) u &= 0xFFFF;
    if (is_signed) {   /* sign-extend from the argument's width */
      unsigned bits = s->len == LEN_HH ? 8 : s->len == LEN_H ? 16 : 32;
      uint64_t sb = 1ull << (bits - 1);
      u = (u ^ sb) - sb;
    }
  }
  if (is_signed && (int64_t)u < 0) {
    neg = true;
    u = 0 - u;
  }
  unsigned base = s->conv == 'o' ? 8 : (s->conv == 'x' || s->conv == 'X') ? 16 : 10;
  const char *digits = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  char buf[24];
  int n = 0;
  for (uint64_t v = u; v; v /= base) buf[sizeof buf - 1 - n++] = digits[v % base];
  const char *body = buf + sizeof buf - n;
  uint64_t zeros = 0;
  if (s->prec >= 0) {
    if ((uint64_t)s->prec > (uint64_t)n) zeros = (uint64_t)s->prec - (uint64_t)n;
  } else if (n == 0) {
    zeros = 1;   /* "0" */
  }
  if (base == 8 && s->hash && zeros == 0 && (n == 0 || body[0] != '0')) zeros = 1;
  const char *prefix = "";
  if (neg) prefix = "-";
  else if (is_signed && s->plus) prefix = "+";
  else if (is_signed && s->space) prefix = " ";
  else if (base == 16 && s->hash && u) prefix = s->conv == 'X' ? "0X" : "0x";
  if (s->zero && !s->minus && s->prec < 0 && s->width > 0) {
    uint64_t have = strlen(prefix) + zeros + (uint64_t)n;
    if ((uint64_t)s->width > have) zeros += (uint64_t)s->width - have;
  }
  return field(f, s, prefix, zeros, body, (uint64_t)n);
}

static int fmt_ptr(fstate *f, spec *s) {
  uint32_t p;
  if (arg_i32(f, &p)) return -1;
  if (!p) return field(f, s, "", 0, "(nil)", 5);   /* glibc's spelling */
  char buf[16];
  int n = snprintf(buf, sizeof buf, "%x", p);
  const char *prefix = s->plus ? "+0x" : s->space ? " 0x" : "0x";
  uint64_t zeros = s->prec > n ? (uint64_t)(s->prec - n) : 0;
  if (s->zero && !s->minus && s->prec < 0 && s->width > 0) {
    uint64_t have = strlen(prefix) + (uint64_t)n;
    if ((uint64_t)s->width > have) zeros = (uint64_t)s->width - have;
  }
  return field(f, s, prefix, zeros, buf, (uint64_t)n);
}

static int fmt_char(fstate *f, spec *s) {
  uint32_t c;
  if (arg_i32(f, &c)) return -1;
  char ch = (char)c;
  return field(f, s, "", 0, &ch, 1);
}

static int fmt_str(fstate *f, spec *s) {
  uint32_t p;
  if (arg_i32(f, &p)) return -1;
  if (p == 0) {   /* glibc prints "(null)" unless the precision cuts it */
    const char *nul = "(null)";
    return field(f, s, "", 0, nul, s->prec >= 0 && s->prec < 6 ? 0 : 6);
  }
  uint64_t avail = p < f->size ? f->size - p : 0;
  uint64_t look = s->prec >= 0 && (uint64_t)s->prec < avail ? (uint64_t)s->prec : avail;
  const char *str = (const char *)f->mem + p;
  const char *z = look ? memchr(str, 0, look) : NULL;
  uint64_t len;
  if (z) len = (uint64_t)(z - str);
  else if (s->prec >= 0 && look == (uint64_t)s->prec) len = look;
  else
    return fail(f, LBF_OOB, "the %%s argument 0x%x has no NUL before the end of memory", p);
  return field(f, s, "", 0, str, len);
}

/* IEEE binary128 (clang's wasm32 long double) to double, rounding toward zero. */
static double quad_to_double(const uint8_t q[16]) {
  uint64_t lo, hi;
  memcpy(&lo, q, 8);
  memcpy(&hi, q + 8, 8);
  int sign = (int)(hi >> 63);
  int32_t e = (int32_t)((hi >> 48) & 0x7FFF);
  uint64_t m = ((hi & 0xFFFFFFFFFFFFull) << 4) | (lo >> 60);   /* top 52 fraction bits */
  uint64_t bits;
  if (e == 0x7FFF) bits = 0x7FF0000000000000ull | (m ? (m | 0x8000000000000ull) : 0);
  else if (e == 0 && m == 0) bits = 0;
  else {
    int32_t de = e - 16383 + 1023;
    if (de >= 0x7FF) bits = 0x7FF0000000000000ull;
    else if (de <= 0) {
      if (de < -52) bits = 0;
      else bits = ((m | (1ull << 52)) >> (1 - de));
    } else bits = ((uint64_t)de << 52) | m;
  }
  bits |= (uint64_t)sign << 63;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static int fmt_float(fstate *f, spec *s) {
  double d;
  if (s->len == LEN_BIGL) {
    uint8_t q[16];
    if (arg(f, 16, q)) return -1;
    d = quad_to_double(q);
  } else if (arg(f, 8, &d)) {
    return -1;
  }
  char hf[16];
  int k = 0;
  hf[k++] = '%';
  if (s->plus) hf[k++] = '+';
  if (s->space) hf[k++] = ' ';
  if (s->hash) hf[k++] = '#';
  hf[k++] = '.';
  hf[k++] = '*';
  hf[k++] = s->conv;
  hf[k] = 0;
  int prec = s->prec < 0 ? (s->conv == 'a' || s->conv == 'A' ? -1 : 6)
             : s->prec > 100000000 ? 100000000 : (int)s->prec;
  char small[512];
  char *body = small;
  int n = snprintf(small, sizeof small, hf, prec, d);
  if (n < 0) return fail(f, LBF_BAD, "cannot format the %%%c value", s->conv);
  if ((size_t)n >= sizeof small) {
    body = malloc((size_t)n + 1);
    if (!body) return fail(f, LBF_NOMEM, "out of host memory (%d bytes)", n);
    snprintf(body, (size_t)n + 1, hf, prec, d);
  }
  /* zero padding goes after the sign and any 0x, and never applies to inf/nan */
  int r;
  bool finite = d - d == 0;
  if (s->zero && !s->minus && finite && s->width > n) {
    int skip = (body[0] == '-' || body[0] == '+' || body[0] == ' ') ? 1 : 0;
    if ((s->conv == 'a' || s->conv == 'A') && body[skip] == '0' &&
        (body[skip + 1] == 'x' || body[skip + 1] == 'X'))
      skip += 2;
    char prefix[4] = {0};
    memcpy(prefix, body, (size_t)skip);
    spec s2 = *s;
    s2.width = 0;
    r = field(f, &s2, prefix, (uint64_t)(s->width - n), body + skip, (uint64_t)(n - skip));
  } else {
    r = field(f, s, "", 0, body, (uint64_t)n);
  }
  if (body != small) free(body);
  return r;
}

int lb_format(const char *fmt, const uint8_t *mem, uint64_t mem_size, uint32_t va,
              lb_sink *out, uint64_t *count, char *msg, size_t msgcap) {
  fstate f = {mem, mem_size, va, out, 0, 0, msg, msgcap};
  if (msgcap) msg[0] = 0;
  const char *p = fmt;
  while (*p && !f.err) {
    const char *lit = p;
    while (*p && *p != '%') p++;
    if (p > lit && emit(&f, lit, (size_t)(p - lit))) break;
    if (!*p) break;
    const char *start = p++;
    spec s = {0};
    s.prec = -1;
    for (;; p++) {
      if (*p == '-') s.minus = true;
      else if (*p == '+') s.plus = true;
      else if (*p == ' ') s.space = true;
      else if (*p == '#') s.hash = true;
      else if (*p == '0') s.zero = true;
      else break;
    }
    if (*p == '*') {
      int32_t w;
      if (arg_i32(&f, &w)) break;
      if (w < 0) {
        s.minus = true;
        s.width = -(int64_t)w;
      } else {
        s.width = w;
      }
      p++;
    } else {
      while (*p >= '0' && *p <= '9') {
        s.width = s.width * 10 + (*p++ - '0');
        if (s.width > INT32_MAX) s.width = INT32_MAX;
      }
    }
    if (*p == '.') {
      p++;
      s.prec = 0;
      if (*p == '*') {
        int32_t pr;
        if (arg_i32(&f, &pr)) break;
        s.prec = pr < 0 ? -1 : pr;
        p++;
      } else {
        while (*p >= '0' && *p <= '9') {
          s.prec = s.prec * 10 + (*p++ - '0');
          if (s.prec > INT32_MAX) s.prec = INT32_MAX;
        }
      }
    }
    switch (*p) {
    case 'h': s.len = p[1] == 'h' ? (p++, LEN_HH) : LEN_H; p++; break;
    case 'l': s.len = p[1] == 'l' ? (p++, LEN_LL) : LEN_L; p++; break;
    case 'q': s.len = LEN_LL; p++; break;
    case 'z': s.len = LEN_Z; p++; break;
    case 'j': s.len = LEN_J; p++; break;
    case 't': s.len = LEN_T; p++; break;
    case 'L': s.len = LEN_BIGL; p++; break;
    default: break;
    }
    s.conv = *p;
    switch (*p) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
      fmt_int(&f, &s);
      break;
    case 'c': fmt_char(&f, &s); break;
    case 's': fmt_str(&f, &s); break;
    case 'p': fmt_ptr(&f, &s); break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
      fmt_float(&f, &s);
      break;
    case '%': emit(&f, "%", 1); break;
    case 'n':
      fail(&f, LBF_BAD, "%%n is not supported");
      break;
    case 0:   /* a lone '%' at the end: print it as glibc does */
      emit(&f, start, (size_t)(p - start));
      continue;
    default:  /* an unknown conversion: print the directive unchanged, as glibc does */
      emit(&f, start, (size_t)(p - start) + 1);
      break;
    }
    p++;
  }
  *count = f.count;
  return f.err;
}
