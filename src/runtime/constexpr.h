/* constexpr.h — evaluation of validated constant expressions at instantiation. */
#ifndef WEFT_CONSTEXPR_H
#define WEFT_CONSTEXPR_H
#include "rt.h"

/* Evaluates `ce` in the context of `inst` (its funcs and globals must be set up for the
 * indices the expression uses). Supports t.const, ref.null, ref.func, global.get and the
 * extended-const integer add/sub/mul. */
wstatus wconst_eval(const winstance *inst, const wconstexpr *ce, wslot *out, werr *err) W_WUR;

#endif
