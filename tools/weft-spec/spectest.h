/* spectest.h — the `spectest` host module that the spec scripts import. */
#ifndef WEFT_SPEC_SPECTEST_H
#define WEFT_SPEC_SPECTEST_H
#include <stdbool.h>

#include "weft.h"

/* Registers spectest.{print*, global_*, table, memory, shared_memory} in rt. With verbose, the print
 * functions write their arguments to stdout; otherwise they print nothing. */
weft_status spectest_register(weft_runtime *rt, bool verbose, weft_error *err);

#endif
