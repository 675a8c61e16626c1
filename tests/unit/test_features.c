/* test_features.c — weft_config.disabled_features: switching a proposal off holds modules
 * to the older rules, and leaves modules that do not use it alone. */
#include <stdbool.h>
#include "weft.h"
#include "wtest.h"

/* Loads `mod` under a runtime with `disabled` features off; returns whether it loaded and
 * copies the error message. */
static bool loads(const uint8_t *mod, size_t len, uint32_t disabled, char *msg, size_t cap) {
  weft_config cfg = {0};
  cfg.disabled_features = disabled;
  weft_runtime *rt = weft_runtime_new(&cfg);
  weft_error err = {0};
  weft_module *m = weft_module_new(rt, mod, len, &err);
  snprintf(msg, cap, "%s", m ? "" : err.message);
  weft_module_delete(m);
  weft_runtime_delete(rt);
  return m != NULL;
}

/* Two tables: valid with reference types, "multiple tables" without (MVP rule). */
static void reference_types_off_rejects_a_second_table(void) {
  static const uint8_t mod[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                                4, 7, 2, 0x70, 0, 1, 0x70, 0, 1};   /* two funcref tables */
  char msg[512];
  CHECK(loads(mod, sizeof mod, 0, msg, sizeof msg));
  CHECK(!loads(mod, sizeof mod, WEFT_FEATURE_REFERENCE_TYPES, msg, sizeof msg));
  CHECK_CONTAINS(msg, "multiple tables");
}

/* externref in a function type and ref.null in a body are rejected with the proposal named. */
static void reference_types_off_rejects_externref_and_ref_instructions(void) {
  static const uint8_t ext[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                                1, 5, 1, 0x60, 1, 0x6F, 0};          /* type (externref) */
  static const uint8_t refnull[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                                    1, 4, 1, 0x60, 0, 0,             /* type () -> () */
                                    3, 2, 1, 0,                      /* func 0: type 0 */
                                    10, 7, 1, 5, 0,                  /* one body, no locals */
                                    0xD0, 0x70, 0x1A, 0x0B};         /* ref.null func drop end */
  char msg[512];
  CHECK(loads(ext, sizeof ext, 0, msg, sizeof msg));
  CHECK(!loads(ext, sizeof ext, WEFT_FEATURE_REFERENCE_TYPES, msg, sizeof msg));
  CHECK_CONTAINS(msg, "reference types are disabled");
  CHECK(loads(refnull, sizeof refnull, 0, msg, sizeof msg));
  CHECK(!loads(refnull, sizeof refnull, WEFT_FEATURE_REFERENCE_TYPES, msg, sizeof msg));
  CHECK_CONTAINS(msg, "reference types are disabled: ref.null");
}

/* A plain MVP module (one table, call_indirect) loads either way. */
static void reference_types_off_accepts_an_mvp_module(void) {
  static const uint8_t mod[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                                1, 4, 1, 0x60, 0, 0,                 /* type () -> () */
                                3, 2, 1, 0,                          /* func 0: type 0 */
                                4, 4, 1, 0x70, 0, 1,                 /* one funcref table */
                                10, 9, 1, 7, 0,                      /* one body, no locals */
                                0x41, 0, 0x11, 0, 0, 0x0B};          /* call_indirect 0 0 */
  char msg[512];
  CHECK(loads(mod, sizeof mod, WEFT_FEATURE_REFERENCE_TYPES, msg, sizeof msg));
  WT_RECORD(msg[0] == 0, "unexpected error: %s", msg);
}

void test_features(void) {
  reference_types_off_rejects_a_second_table();
  reference_types_off_rejects_externref_and_ref_instructions();
  reference_types_off_accepts_an_mvp_module();
}
