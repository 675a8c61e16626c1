/* lb_ctype.c — libc-builtin's <ctype.h>: the "C" locale's ASCII classes. Arguments outside
 * 0..255 (EOF included) belong to no class and map to themselves. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf */
#include "libc_internal.h"

static bool in(int c, int lo, int hi) { return c >= lo && c <= hi; }
static bool is_upper(int c) { return in(c, 'A', 'Z'); }
static bool is_lower(int c) { return in(c, 'a', 'z'); }
static bool is_alpha(int c) { return is_upper(c) || is_lower(c); }
static bool is_digit(int c) { return in(c, '0', '9'); }
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static bool is_xdigit(int c) { return is_digit(c) || in(c, 'a', 'f') || in(c, 'A', 'F'); }
static bool is_space(int c) { return c == ' ' || in(c, '\t', '\r'); }
static bool is_blank(int c) { return c == ' ' || c == '\t'; }
static bool is_cntrl(int c) { return in(c, 0, 31) || c == 127; }
static bool is_print(int c) { return in(c, 32, 126); }
static bool is_graph(int c) { return in(c, 33, 126); }
static bool is_punct(int c) { return is_graph(c) && !is_alnum(c); }

/* One host function per class: reads the int argument, writes 0 or 1. */
#define CLASS(name, pred)                                                                  \
  weft_trap lb_##name(weft_exec *exec, void *att, weft_slot *s) {                          \
    (void)exec;                                                                            \
    (void)att;                                                                             \
    s[0].i32 = pred((int32_t)s[0].i32);                                                    \
    return WEFT_TRAP_NONE;                                                                 \
  }
CLASS(isalnum, is_alnum)
CLASS(isalpha, is_alpha)
CLASS(isblank, is_blank)
CLASS(iscntrl, is_cntrl)
CLASS(isdigit, is_digit)
CLASS(isgraph, is_graph)
CLASS(islower, is_lower)
CLASS(isprint, is_print)
CLASS(ispunct, is_punct)
CLASS(isspace, is_space)
CLASS(isupper, is_upper)
CLASS(isxdigit, is_xdigit)
#undef CLASS

weft_trap lb_tolower(weft_exec *exec, void *att, weft_slot *s) {
  (void)exec;
  (void)att;
  int32_t c = (int32_t)s[0].i32;
  s[0].i32 = (uint32_t)(is_upper(c) ? c + 32 : c);
  return WEFT_TRAP_NONE;
}

weft_trap lb_toupper(weft_exec *exec, void *att, weft_slot *s) {
  (void)exec;
  (void)att;
  int32_t c = (int32_t)s[0].i32;
  s[0].i32 = (uint32_t)(is_lower(c) ? c - 32 : c);
  return WEFT_TRAP_NONE;
}
