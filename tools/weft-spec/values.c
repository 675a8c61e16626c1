/* values.c — parsing, comparison and printing of spec-test values. */
#include "values.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *valtype_name(weft_valtype t) {
  switch (t) {
  case WEFT_I32: return "i32";
  case WEFT_I64: return "i64";
  case WEFT_F32: return "f32";
  case WEFT_F64: return "f64";
  case WEFT_FUNCREF: return "funcref";
  case WEFT_EXTERNREF: return "externref";
  }
  return "?";
}

/* Parses an unsigned decimal into *out; false unless the whole string is a number <= max. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out) {
  if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') return false;
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v > max) return false;
  *out = v;
  return true;
}

bool value_parse(const json *j, bool allow_pattern, spec_value *out, char *why, size_t whylen) {
  const char *type = json_get_str(j, "type");
  const json *valj = json_get(j, "value");
  const char *val = valj && valj->kind == JSON_STRING ? valj->str : NULL;
  memset(out, 0, sizeof *out);
  out->kind = EXP_EXACT;
  if (!type) { snprintf(why, whylen, "value without a type"); return false; }
  bool isf32 = strcmp(type, "f32") == 0, isf64 = strcmp(type, "f64") == 0;
  if (strcmp(type, "i32") == 0 || isf32) out->type = isf32 ? WEFT_F32 : WEFT_I32;
  else if (strcmp(type, "i64") == 0 || isf64) out->type = isf64 ? WEFT_F64 : WEFT_I64;
  else if (strcmp(type, "funcref") == 0) out->type = WEFT_FUNCREF;
  else if (strcmp(type, "externref") == 0) out->type = WEFT_EXTERNREF;
  else { snprintf(why, whylen, "unsupported value type %s", type); return false; }

  if (out->type == WEFT_FUNCREF || out->type == WEFT_EXTERNREF) {
    uint64_t n;
    if (!val) {
      /* wast2json writes (ref.func) / (ref.extern) expectations without a value. */
      if (!allow_pattern) { snprintf(why, whylen, "%s argument without a value", type); return false; }
      out->kind = EXP_REF_NONNULL;
    } else if (strcmp(val, "null") == 0) {
      out->v.ref = 0;
    } else if (out->type == WEFT_EXTERNREF && parse_u64(val, UINTPTR_MAX - 1, &n)) {
      out->v.ref = (uintptr_t)n + 1; /* host value N+1: 0 is reserved for null */
    } else {
      snprintf(why, whylen, "unsupported %s value '%s'", type, val);
      return false;
    }
    return true;
  }

  if (!val) { snprintf(why, whylen, "%s without a value", type); return false; }
  if (strncmp(val, "nan:", 4) == 0 && (isf32 || isf64)) {
    if (!allow_pattern) { snprintf(why, whylen, "NaN pattern '%s' used as an argument", val); return false; }
    if (strcmp(val + 4, "canonical") == 0) out->kind = EXP_NAN_CANONICAL;
    else if (strcmp(val + 4, "arithmetic") == 0) out->kind = EXP_NAN_ARITHMETIC;
    else { snprintf(why, whylen, "unknown NaN pattern '%s'", val); return false; }
    return true;
  }
  uint64_t bits;
  bool wide = out->type == WEFT_I64 || out->type == WEFT_F64;
  if (!parse_u64(val, wide ? UINT64_MAX : UINT32_MAX, &bits)) {
    snprintf(why, whylen, "bad %s value '%s'", type, val);
    return false;
  }
  /* Clear the cell first so a 32-bit value's upper half is zero, then store the bit pattern. */
  out->v.i64 = 0;
  if (wide) out->v.i64 = bits;
  else out->v.i32 = (uint32_t)bits;
  return true;
}

bool value_matches(const spec_value *exp, weft_valtype type, weft_slot got) {
  if (type != exp->type) return false;
  switch (exp->type) {
  case WEFT_I32:
    return got.i32 == exp->v.i32;
  case WEFT_I64:
    return got.i64 == exp->v.i64;
  case WEFT_F32:
    if (exp->kind == EXP_NAN_CANONICAL) return (got.i32 & 0x7FFFFFFFu) == 0x7FC00000u;
    if (exp->kind == EXP_NAN_ARITHMETIC) return (got.i32 & 0x7FC00000u) == 0x7FC00000u;
    return got.i32 == exp->v.i32;
  case WEFT_F64:
    if (exp->kind == EXP_NAN_CANONICAL)
      return (got.i64 & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
    if (exp->kind == EXP_NAN_ARITHMETIC)
      return (got.i64 & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
    return got.i64 == exp->v.i64;
  case WEFT_FUNCREF:
  case WEFT_EXTERNREF:
    if (exp->kind == EXP_REF_NONNULL) return got.ref != 0;
    return got.ref == exp->v.ref;
  }
  return false;
}

void value_format(weft_valtype type, weft_slot v, char *buf, size_t n) {
  switch (type) {
  case WEFT_I32: snprintf(buf, n, "i32:%" PRIu32 " (0x%08" PRIx32 ")", v.i32, v.i32); break;
  case WEFT_I64: snprintf(buf, n, "i64:%" PRIu64 " (0x%016" PRIx64 ")", v.i64, v.i64); break;
  case WEFT_F32: snprintf(buf, n, "f32:%.9g (0x%08" PRIx32 ")", (double)v.f32, v.i32); break;
  case WEFT_F64: snprintf(buf, n, "f64:%.17g (0x%016" PRIx64 ")", v.f64, v.i64); break;
  case WEFT_FUNCREF:
    if (v.ref) snprintf(buf, n, "funcref:%p", (void *)v.ref);
    else snprintf(buf, n, "funcref:null");
    break;
  case WEFT_EXTERNREF:
    if (v.ref) snprintf(buf, n, "externref:%" PRIuPTR, v.ref - 1);
    else snprintf(buf, n, "externref:null");
    break;
  default: snprintf(buf, n, "type 0x%02x", (unsigned)type); break;
  }
}

void value_format_expect(const spec_value *exp, char *buf, size_t n) {
  switch (exp->kind) {
  case EXP_NAN_CANONICAL: snprintf(buf, n, "%s:nan:canonical", valtype_name(exp->type)); break;
  case EXP_NAN_ARITHMETIC: snprintf(buf, n, "%s:nan:arithmetic", valtype_name(exp->type)); break;
  case EXP_REF_NONNULL: snprintf(buf, n, "%s:non-null", valtype_name(exp->type)); break;
  case EXP_EXACT: value_format(exp->type, exp->v, buf, n); break;
  }
}
