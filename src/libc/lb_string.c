/* lb_string.c — libc-builtin's <string.h>/<strings.h> functions. Every guest pointer is
 * checked before use: a range must lie inside memory, a string must have its NUL inside
 * memory (or, for the n-limited forms, n readable bytes); otherwise the call traps with
 * "out of bounds memory access: FN: ...". Pointer results are offsets (0 = NULL). */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf */
#include <string.h>
#include "../runtime/appheap.h"
#include "libc_internal.h"

#define CTX(name)                                                                          \
  (void)att;                                                                               \
  lb_ctx c;                                                                                \
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;                                       \
  const char *fn = name

#define RANGE(var, off, len)                                                               \
  uint8_t *var = lb_range(&c, fn, (off), (len));                                           \
  if (!var) return WEFT_TRAP_HOST

#define STR(var, off, lenvar)                                                              \
  uint32_t lenvar;                                                                         \
  const char *var = lb_str(&c, fn, (off), &lenvar);                                        \
  if (!var) return WEFT_TRAP_HOST

#define STRN(lenvar, off, max)                                                             \
  int64_t lenvar = lb_str_n(&c, fn, (off), (max));                                       \
  if (lenvar < 0) return WEFT_TRAP_HOST

static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

weft_trap lb_memcmp(weft_exec *exec, void *att, weft_slot *s) {
  CTX("memcmp");
  uint32_t n = s[2].i32;
  RANGE(a, s[0].i32, n);
  RANGE(b, s[1].i32, n);
  int r = n ? memcmp(a, b, n) : 0;
  s[0].i32 = (uint32_t)(r < 0 ? -1 : r > 0);
  return WEFT_TRAP_NONE;
}

weft_trap lb_memcpy(weft_exec *exec, void *att, weft_slot *s) {
  CTX("memcpy");
  uint32_t n = s[2].i32;
  RANGE(d, s[0].i32, n);
  RANGE(src, s[1].i32, n);
  if (n) memmove(d, src, n);   /* overlap is the program's bug; memmove keeps it harmless */
  return WEFT_TRAP_NONE;       /* result: dst, already in s[0] */
}

weft_trap lb_memmove(weft_exec *exec, void *att, weft_slot *s) {
  CTX("memmove");
  uint32_t n = s[2].i32;
  RANGE(d, s[0].i32, n);
  RANGE(src, s[1].i32, n);
  if (n) memmove(d, src, n);
  return WEFT_TRAP_NONE;
}

weft_trap lb_memset(weft_exec *exec, void *att, weft_slot *s) {
  CTX("memset");
  uint32_t n = s[2].i32;
  RANGE(d, s[0].i32, n);
  if (n) memset(d, (int)(uint8_t)s[1].i32, n);
  return WEFT_TRAP_NONE;
}

/* Stops at the first match: n may exceed the object as long as a match comes first. */
weft_trap lb_memchr(weft_exec *exec, void *att, weft_slot *s) {
  CTX("memchr");
  uint32_t off = s[0].i32, n = s[2].i32;
  uint64_t size = lb_mem_size(&c);
  uint64_t avail = off < size ? size - off : 0;
  uint64_t look = n < avail ? n : avail;
  const uint8_t *p = c.mem->base + off;
  const uint8_t *hit = look ? memchr(p, (int)(uint8_t)s[1].i32, (size_t)look) : NULL;
  if (!hit && look < n) {
    RANGE(unused, off, n);   /* traps with the range in the message */
    (void)unused;
  }
  s[0].i32 = hit ? off + (uint32_t)(hit - p) : 0;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strlen(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strlen");
  STR(str, s[0].i32, len);
  (void)str;
  s[0].i32 = len;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strnlen(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strnlen");
  STRN(len, s[0].i32, s[1].i32);
  s[0].i32 = (uint32_t)len;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strcmp(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strcmp");
  STR(a, s[0].i32, la);
  STR(b, s[1].i32, lb);
  (void)la;
  (void)lb;
  int r = strcmp(a, b);
  s[0].i32 = (uint32_t)(r < 0 ? -1 : r > 0);
  return WEFT_TRAP_NONE;
}

/* Compares at most n bytes of two strings that need not be terminated within n. */
static wtrap ncompare(lb_ctx *c, const char *fn, weft_slot *s, bool fold) {
  uint32_t n = s[2].i32;
  int64_t la = lb_str_n(c, fn, s[0].i32, n);
  if (la < 0) return WEFT_TRAP_HOST;
  int64_t lb = lb_str_n(c, fn, s[1].i32, n);
  if (lb < 0) return WEFT_TRAP_HOST;
  const uint8_t *a = c->mem->base + s[0].i32, *b = c->mem->base + s[1].i32;
  uint64_t m = (uint64_t)(la < lb ? la : lb) + 1;
  if (m > n) m = n;
  int r = 0;
  for (uint64_t i = 0; i < m && !r; i++) r = fold ? lower(a[i]) - lower(b[i]) : a[i] - b[i];
  s[0].i32 = (uint32_t)(r < 0 ? -1 : r > 0);
  return WEFT_TRAP_NONE;
}

weft_trap lb_strncmp(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strncmp");
  return ncompare(&c, fn, s, false);
}

weft_trap lb_strncasecmp(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strncasecmp");
  return ncompare(&c, fn, s, true);
}

weft_trap lb_strcasecmp(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strcasecmp");
  STR(a, s[0].i32, la);
  STR(b, s[1].i32, lb);
  uint32_t m = (la < lb ? la : lb) + 1;
  int r = 0;
  for (uint32_t i = 0; i < m && !r; i++) r = lower((uint8_t)a[i]) - lower((uint8_t)b[i]);
  s[0].i32 = (uint32_t)(r < 0 ? -1 : r > 0);
  return WEFT_TRAP_NONE;
}

weft_trap lb_strcpy(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strcpy");
  STR(src, s[1].i32, len);
  RANGE(d, s[0].i32, (uint64_t)len + 1);
  memmove(d, src, (size_t)len + 1);
  return WEFT_TRAP_NONE;
}

weft_trap lb_strncpy(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strncpy");
  uint32_t n = s[2].i32;
  STRN(len, s[1].i32, n);
  RANGE(d, s[0].i32, n);
  memmove(d, c.mem->base + s[1].i32, (size_t)len);
  memset(d + len, 0, (size_t)(n - (uint64_t)len));
  return WEFT_TRAP_NONE;
}

weft_trap lb_strcat(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strcat");
  STR(dst, s[0].i32, dl);
  STR(src, s[1].i32, sl);
  (void)dst;
  RANGE(d, s[0].i32 + dl, (uint64_t)sl + 1);   /* dl < memory size: no wrap */
  memmove(d, src, (size_t)sl + 1);
  return WEFT_TRAP_NONE;
}

weft_trap lb_strncat(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strncat");
  STR(dst, s[0].i32, dl);
  STRN(sl, s[1].i32, s[2].i32);
  (void)dst;
  RANGE(d, s[0].i32 + dl, (uint64_t)sl + 1);   /* dl < memory size: no wrap */
  memmove(d, c.mem->base + s[1].i32, (size_t)sl);
  d[sl] = 0;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strchr(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strchr");
  STR(str, s[0].i32, len);
  const char *hit = memchr(str, (int)(uint8_t)s[1].i32, (size_t)len + 1);
  s[0].i32 = hit ? s[0].i32 + (uint32_t)(hit - str) : 0;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strrchr(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strrchr");
  STR(str, s[0].i32, len);
  char ch = (char)s[1].i32;
  uint32_t r = 0;
  for (uint64_t i = (uint64_t)len + 1; i-- > 0;)
    if (str[i] == ch) {
      r = s[0].i32 + (uint32_t)i;
      break;
    }
  s[0].i32 = r;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strstr(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strstr");
  STR(h, s[0].i32, lh);
  STR(needle, s[1].i32, ln);
  (void)lh;
  (void)ln;
  const char *hit = strstr(h, needle);
  s[0].i32 = hit ? s[0].i32 + (uint32_t)(hit - h) : 0;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strpbrk(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strpbrk");
  STR(str, s[0].i32, l1);
  STR(set, s[1].i32, l2);
  (void)l1;
  (void)l2;
  const char *hit = strpbrk(str, set);
  s[0].i32 = hit ? s[0].i32 + (uint32_t)(hit - str) : 0;
  return WEFT_TRAP_NONE;
}

weft_trap lb_strspn(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strspn");
  STR(str, s[0].i32, l1);
  STR(set, s[1].i32, l2);
  (void)l1;
  (void)l2;
  s[0].i32 = (uint32_t)strspn(str, set);
  return WEFT_TRAP_NONE;
}

weft_trap lb_strcspn(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strcspn");
  STR(str, s[0].i32, l1);
  STR(set, s[1].i32, l2);
  (void)l1;
  (void)l2;
  s[0].i32 = (uint32_t)strcspn(str, set);
  return WEFT_TRAP_NONE;
}

/* A copy of len bytes at src plus a NUL on the app heap; 0 when it is full or absent. */
static uint32_t heap_copy(lb_ctx *c, uint32_t src, uint64_t len) {
  if (len >= WHEAP_MAX_ALLOC) return 0;
  uint32_t p = wheap_malloc(lb_heap(c), (uint32_t)len + 1);
  if (!p) return 0;
  memcpy(c->mem->base + p, c->mem->base + src, (size_t)len);
  c->mem->base[p + len] = 0;
  return p;
}

weft_trap lb_strdup(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strdup");
  STR(str, s[0].i32, len);
  (void)str;
  s[0].i32 = heap_copy(&c, s[0].i32, len);
  return WEFT_TRAP_NONE;
}

weft_trap lb_strndup(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strndup");
  STRN(len, s[0].i32, s[1].i32);
  s[0].i32 = heap_copy(&c, s[0].i32, (uint64_t)len);
  return WEFT_TRAP_NONE;
}
