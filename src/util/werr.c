/* werr.c — error records (see werr.h). */
#include "werr.h"
#include <stdio.h>
#include <string.h>

wstatus werr_vset(werr *e, werr_kind kind, const char *fmt, va_list ap) {
  if (!e) return W_ERR;
  e->kind = kind;
  e->trap = 0;
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  return W_ERR;
}

wstatus werr_set(werr *e, werr_kind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wstatus s = werr_vset(e, kind, fmt, ap);
  va_end(ap);
  return s;
}

void werr_clear(werr *e) {
  if (!e) return;
  e->kind = WERR_NONE;
  e->trap = 0;
  e->msg[0] = 0;
}
