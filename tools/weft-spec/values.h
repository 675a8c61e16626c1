/* values.h — spec-test values: parsing wast2json's typed values, comparing results against
 * expectations (bit patterns, NaN classes, references) and printing them for messages. */
#ifndef WEFT_SPEC_VALUES_H
#define WEFT_SPEC_VALUES_H
#include <stdbool.h>
#include <stddef.h>

#include "json.h"
#include "weft.h"

/* What an expected result accepts. */
typedef enum {
  EXP_EXACT,          /* exact bits (for refs: exact reference value) */
  EXP_NAN_CANONICAL,  /* f32/f64 canonical NaN, either sign */
  EXP_NAN_ARITHMETIC, /* f32/f64 NaN with the quiet bit set, any payload */
  EXP_REF_NONNULL,    /* any non-null reference of the type */
} expect_kind;

/* A parsed value or expectation. */
typedef struct {
  weft_valtype type;
  expect_kind kind;
  weft_slot v;
} spec_value;

/* Parses {"type": T, "value": S} into *out. Returns false with a reason in why (whylen bytes)
 * when the type is unsupported (e.g. v128) or the value does not parse. Externref N maps to
 * the host value N+1 (0 is null); for args (allow_pattern false) NaN patterns are an error. */
bool value_parse(const json *j, bool allow_pattern, spec_value *out, char *why, size_t whylen);
/* Whether a result slot of type `type` matches the expectation. */
bool value_matches(const spec_value *exp, weft_valtype type, weft_slot got);
/* Formats an expectation (or, with type/slot, an actual value) into buf. */
void value_format_expect(const spec_value *exp, char *buf, size_t n);
void value_format(weft_valtype type, weft_slot v, char *buf, size_t n);
/* Short name of a value type ("i32", "funcref", ...). */
const char *valtype_name(weft_valtype t);

#endif
