/* code_range.c — where a function's translated code lives, for the fault handler. */
#include "interp.h"
#include "code.h"

bool winterp_code_range(const struct wcode *c, uintptr_t *lo, uintptr_t *hi) {
  if (!c || !c->cells || !c->ncells) return false;
  *lo = (uintptr_t)c->cells;
  *hi = (uintptr_t)(c->cells + c->ncells);
  return true;
}
