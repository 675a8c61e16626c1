/* fuzz_load.c — libFuzzer target: load (decode, validate, translate) and instantiate an
 * arbitrary input through the public API, then free everything. Any crash, sanitizer
 * report or leak is a bug; failures to load are expected and fine. */
#include <stddef.h>
#include <stdint.h>
#include "weft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  weft_runtime *rt = weft_runtime_new(NULL);
  if (!rt) return 0;
  weft_error err;
  weft_module *m = weft_module_new(rt, data, size, &err);
  if (m) {
    weft_instance *inst = weft_instantiate(rt, m, NULL, &err);
    if (inst) weft_instance_delete(inst);
    weft_module_delete(m);
  }
  weft_runtime_delete(rt);
  return 0;
}
