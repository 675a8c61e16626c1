/* lb_stdlib.c — libc-builtin's <stdlib.h>: malloc and friends on the calling instance's app
 * heap (src/runtime/appheap.c; 0 when it has none or is full, and for sizes >= 2 GiB),
 * posix_memalign, aligned_alloc, memalign and malloc_usable_size on the same heap,
 * number parsing (long is 32-bit on wasm32), bsearch and qsort calling the program's
 * comparison function through its table, getenv (no environment), exit and abort. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf */
#include <stdlib.h>
#include <string.h>
#include "../runtime/appheap.h"
#include "libc_internal.h"

#define CTX(name)                                                                          \
  (void)att;                                                                               \
  lb_ctx c;                                                                                \
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;                                       \
  const char *fn = name;                                                                   \
  (void)fn

/* ---- heap ---- */

weft_trap lb_malloc(weft_exec *exec, void *att, weft_slot *s) {
  CTX("malloc");
  s[0].i32 = wheap_malloc(lb_heap(&c), s[0].i32);
  return WEFT_TRAP_NONE;
}

weft_trap lb_calloc(weft_exec *exec, void *att, weft_slot *s) {
  CTX("calloc");
  uint64_t total = (uint64_t)s[0].i32 * s[1].i32;
  uint32_t p = total && total <= WHEAP_MAX_ALLOC ? wheap_malloc(lb_heap(&c), (uint32_t)total) : 0;
  if (p) memset(c.mem->base + p, 0, (size_t)total);
  s[0].i32 = p;
  return WEFT_TRAP_NONE;
}

weft_trap lb_realloc(weft_exec *exec, void *att, weft_slot *s) {
  CTX("realloc");
  s[0].i32 = wheap_realloc(lb_heap(&c), s[0].i32, s[1].i32);
  return WEFT_TRAP_NONE;
}

weft_trap lb_free(weft_exec *exec, void *att, weft_slot *s) {
  CTX("free");
  wheap_free(lb_heap(&c), s[0].i32);
  return WEFT_TRAP_NONE;
}

/* posix_memalign(out, align, size): 0 (*out = the block, NULL for size 0), EINVAL (22) when
 * align is not a power of two multiple of sizeof(void *), ENOMEM (12); *out is left alone
 * on failure. out is checked first (out of bounds traps). */
weft_trap lb_posix_memalign(weft_exec *exec, void *att, weft_slot *s) {
  CTX("posix_memalign");
  uint8_t *out = lb_range(&c, fn, s[0].i32, 4);
  if (!out) return WEFT_TRAP_HOST;
  uint32_t align = s[1].i32, size = s[2].i32;
  if (align < 4 || (align & (align - 1))) {
    s[0].i32 = 22;
    return WEFT_TRAP_NONE;
  }
  uint32_t p = size ? wheap_memalign(lb_heap(&c), align, size) : 0;
  if (size && !p) {
    s[0].i32 = 12;
    return WEFT_TRAP_NONE;
  }
  memcpy(out, &p, 4);
  s[0].i32 = 0;
  return WEFT_TRAP_NONE;
}

/* aligned_alloc and memalign: NULL for an alignment that is not a power of two. */
weft_trap lb_aligned_alloc(weft_exec *exec, void *att, weft_slot *s) {
  CTX("aligned_alloc");
  s[0].i32 = wheap_memalign(lb_heap(&c), s[0].i32, s[1].i32);
  return WEFT_TRAP_NONE;
}

weft_trap lb_memalign(weft_exec *exec, void *att, weft_slot *s) {
  CTX("memalign");
  s[0].i32 = wheap_memalign(lb_heap(&c), s[0].i32, s[1].i32);
  return WEFT_TRAP_NONE;
}

weft_trap lb_malloc_usable_size(weft_exec *exec, void *att, weft_slot *s) {
  CTX("malloc_usable_size");
  s[0].i32 = wheap_usable_size(lb_heap(&c), s[0].i32);
  return WEFT_TRAP_NONE;
}

/* ---- number parsing ---- */

typedef struct {
  uint64_t mag;                  /* magnitude, saturated at UINT64_MAX */
  bool neg, overflow;
  uint32_t end;                  /* offset just past the number (the start if none) */
} parsed;

static int digit(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'Z') return ch - 'A' + 10;
  return 99;
}

/* strtol's grammar over the validated string at off. */
static void parse(const char *str, uint32_t off, int base, parsed *r) {
  memset(r, 0, sizeof *r);
  r->end = off;
  if (base < 0 || base == 1 || base > 36) return;
  const char *p = str;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
  if (*p == '+' || *p == '-') r->neg = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && digit(p[2]) < 16) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  const char *digits = p;
  for (int d; (d = digit(*p)) < base; p++) {
    if (r->mag > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) r->overflow = true;
    else r->mag = r->mag * (uint64_t)base + (uint64_t)d;
  }
  if (p > digits) r->end = off + (uint32_t)(p - str);
}

/* Parses s[0] with base s[2] (10 when endp_slot < 0) and stores *endptr if asked. */
static wtrap parse_call(lb_ctx *c, const char *fn, weft_slot *s, bool has_end, parsed *r) {
  uint32_t len;
  const char *str = lb_str(c, fn, s[0].i32, &len);
  if (!str) return WEFT_TRAP_HOST;
  parse(str, s[0].i32, has_end ? (int32_t)s[2].i32 : 10, r);
  if (has_end && s[1].i32) {
    uint8_t *ep = lb_range(c, fn, s[1].i32, 4);
    if (!ep) return WEFT_TRAP_HOST;
    memcpy(ep, &r->end, 4);
  }
  return WEFT_TRAP_NONE;
}

/* Clamps a parse to a signed range of `bits` bits. */
static int64_t to_signed(const parsed *r, unsigned bits) {
  uint64_t lim = 1ull << (bits - 1);
  if (r->neg) return r->overflow || r->mag >= lim ? -(int64_t)(lim - 1) - 1 : -(int64_t)r->mag;
  return r->overflow || r->mag > lim - 1 ? (int64_t)(lim - 1) : (int64_t)r->mag;
}

/* Clamps to an unsigned range of `bits` bits (a minus sign negates, as in C). */
static uint64_t to_unsigned(const parsed *r, unsigned bits) {
  uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
  if (r->overflow || r->mag > max) return max;
  return (r->neg ? 0 - r->mag : r->mag) & max;
}

weft_trap lb_strtol(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strtol");
  parsed r;
  wtrap t = parse_call(&c, fn, s, true, &r);
  if (!t) s[0].i32 = (uint32_t)(int32_t)to_signed(&r, 32);
  return t;
}

weft_trap lb_strtoul(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strtoul");
  parsed r;
  wtrap t = parse_call(&c, fn, s, true, &r);
  if (!t) s[0].i32 = (uint32_t)to_unsigned(&r, 32);
  return t;
}

weft_trap lb_strtoll(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strtoll");
  parsed r;
  wtrap t = parse_call(&c, fn, s, true, &r);
  if (!t) s[0].i64 = (uint64_t)to_signed(&r, 64);
  return t;
}

weft_trap lb_strtoull(weft_exec *exec, void *att, weft_slot *s) {
  CTX("strtoull");
  parsed r;
  wtrap t = parse_call(&c, fn, s, true, &r);
  if (!t) s[0].i64 = to_unsigned(&r, 64);
  return t;
}

weft_trap lb_atoi(weft_exec *exec, void *att, weft_slot *s) {
  CTX("atoi");
  parsed r;
  wtrap t = parse_call(&c, fn, s, false, &r);
  if (!t) s[0].i32 = (uint32_t)(int32_t)to_signed(&r, 32);
  return t;
}

weft_trap lb_atol(weft_exec *exec, void *att, weft_slot *s) {
  CTX("atol");
  parsed r;
  wtrap t = parse_call(&c, fn, s, false, &r);
  if (!t) s[0].i32 = (uint32_t)(int32_t)to_signed(&r, 32);
  return t;
}

weft_trap lb_atoll(weft_exec *exec, void *att, weft_slot *s) {
  CTX("atoll");
  parsed r;
  wtrap t = parse_call(&c, fn, s, false, &r);
  if (!t) s[0].i64 = (uint64_t)to_signed(&r, 64);
  return t;
}

/* ---- comparison callbacks ---- */

/* The program's comparison function: element `idx` of the caller's table 0, of type
 * (i32, i32) -> i32. NULL with the trap in *t when it is missing or of another type. */
static weft_func *cmp_func(lb_ctx *c, const char *fn, uint32_t idx, wtrap *t) {
  wtable *tab = c->inst->module->ntables ? c->inst->tables[0] : NULL;
  if (!tab || tab->elem_type != WEFT_FUNCREF || idx >= tab->size) {
    *t = lb_trap(c->exec, "%s: the comparison function %u is not in the table "
                 "(undefined element)", fn, idx);
    return NULL;
  }
  weft_func *f = (weft_func *)tab->elems[idx];
  if (!f) {
    *t = lb_trap(c->exec, "%s: the comparison function %u is null (uninitialized element)",
                 fn, idx);
    return NULL;
  }
  if (weft_func_param_count(f) != 2 || weft_func_result_count(f) != 1 ||
      weft_func_param_type(f, 0) != WEFT_I32 || weft_func_param_type(f, 1) != WEFT_I32 ||
      weft_func_result_type(f, 0) != WEFT_I32) {
    *t = lb_trap(c->exec, "%s: the comparison function %u is not int (*)(const void *, "
                 "const void *) (indirect call type mismatch)", fn, idx);
    return NULL;
  }
  return f;
}

/* Calls cmp(a, b); on a trap inside it returns false with the trap in *t (its message
 * carried over for host traps). */
static bool call_cmp(lb_ctx *c, weft_func *f, uint32_t a, uint32_t b, int32_t *out, wtrap *t) {
  weft_slot args[2], res[1];
  args[0].i64 = 0;
  args[1].i64 = 0;
  args[0].i32 = a;
  args[1].i32 = b;
  weft_error err;
  if (weft_call(c->exec, f, args, 2, res, 1, &err) != WEFT_OK) {
    *t = err.trap ? err.trap : WEFT_TRAP_HOST;
    if (*t == WEFT_TRAP_HOST) weft_exec_set_trap_message(c->exec, err.message);
    return false;
  }
  *out = (int32_t)res[0].i32;
  return true;
}

weft_trap lb_bsearch(weft_exec *exec, void *att, weft_slot *s) {
  CTX("bsearch");
  uint32_t key = s[0].i32, base = s[1].i32, n = s[2].i32, size = s[3].i32;
  if (!lb_range(&c, fn, base, (uint64_t)n * size)) return WEFT_TRAP_HOST;
  wtrap t = WEFT_TRAP_NONE;
  weft_func *f = n && size ? cmp_func(&c, fn, s[4].i32, &t) : NULL;
  if (t) return t;
  uint32_t lo = 0, hi = f ? n : 0, hit = 0;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2, elem = base + mid * size;
    int32_t r;
    if (!call_cmp(&c, f, key, elem, &r, &t)) return t;
    if (r == 0) {
      hit = elem;
      break;
    }
    if (r < 0) hi = mid;
    else lo = mid + 1;
  }
  s[0].i32 = hit;
  return WEFT_TRAP_NONE;
}

/* Merge sort of element indexes (the elements stay in place while the program compares
 * them, so its comparison sees valid pointers); the permutation is applied at the end. */
static bool sort_idx(lb_ctx *c, weft_func *f, uint32_t base, uint32_t size, uint32_t *idx,
                     uint32_t *tmp, uint32_t n, wtrap *t) {
  for (uint32_t w = 1; w < n; w *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * w) {
      uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        int32_t r;
        if (!call_cmp(c, f, base + idx[i] * size, base + idx[j] * size, &r, t)) return false;
        tmp[k++] = r <= 0 ? idx[i++] : idx[j++];
      }
      while (i < mid) tmp[k++] = idx[i++];
      while (j < hi) tmp[k++] = idx[j++];
    }
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
    if (w > UINT32_MAX / 2) break;
  }
  return true;
}

weft_trap lb_qsort(weft_exec *exec, void *att, weft_slot *s) {
  CTX("qsort");
  uint32_t base = s[0].i32, n = s[1].i32, size = s[2].i32;
  uint64_t bytes = (uint64_t)n * size;
  if (!lb_range(&c, fn, base, bytes)) return WEFT_TRAP_HOST;
  if (n < 2 || size == 0) return WEFT_TRAP_NONE;
  wtrap t = WEFT_TRAP_NONE;
  weft_func *f = cmp_func(&c, fn, s[3].i32, &t);
  if (!f) return t;
  uint32_t *idx = malloc((size_t)n * sizeof *idx), *tmp = malloc((size_t)n * sizeof *tmp);
  uint8_t *copy = malloc((size_t)bytes);
  if (!idx || !tmp || !copy) {
    free(idx);
    free(tmp);
    free(copy);
    return lb_trap(exec, "qsort: out of host memory");
  }
  for (uint32_t i = 0; i < n; i++) idx[i] = i;
  bool ok = sort_idx(&c, f, base, size, idx, tmp, n, &t);
  if (ok) {
    uint8_t *mem = c.mem->base + base;
    memcpy(copy, mem, (size_t)bytes);
    for (uint32_t i = 0; i < n; i++)
      memcpy(mem + (size_t)i * size, copy + (size_t)idx[i] * size, size);
  }
  free(idx);
  free(tmp);
  free(copy);
  return ok ? WEFT_TRAP_NONE : t;
}

/* ---- environment and process ---- */

weft_trap lb_getenv(weft_exec *exec, void *att, weft_slot *s) {
  CTX("getenv");
  if (!lb_str(&c, fn, s[0].i32, NULL)) return WEFT_TRAP_HOST;
  s[0].i32 = 0;   /* the guest has no environment */
  return WEFT_TRAP_NONE;
}

weft_trap lb_exit(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  lb_stdout_flush();
  return weft_exec_exit(exec, (int32_t)s[0].i32);
}

weft_trap lb_abort(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  (void)s;
  lb_stdout_flush();
  return lb_trap(exec, "abort() called");
}
