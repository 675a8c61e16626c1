/* libc_builtin.c — registration of libc-builtin (weft_libc_builtin_register: every row of
 * libc_builtin.def under module "env") and the helpers its host functions share. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../runtime/appheap.h"
#include "libc_internal.h"

typedef struct {
  const char *name, *params, *results;
  weft_host_fn fn;
} lb_entry;

static const lb_entry entries[] = {
#define LB(name, params, results) {#name, params, results, lb_##name},
#include "libc_builtin.def"
#undef LB
};

static bool sig_types(const char *sig, weft_valtype *out, uint32_t *n) {
  *n = 0;
  for (const char *p = sig; *p; p++) {
    switch (*p) {
    case 'i': out[(*n)++] = WEFT_I32; break;
    case 'I': out[(*n)++] = WEFT_I64; break;
    case 'f': out[(*n)++] = WEFT_F32; break;
    case 'F': out[(*n)++] = WEFT_F64; break;
    default: return false;
    }
  }
  return true;
}

weft_status weft_libc_builtin_register(weft_runtime *rt, weft_error *err) {
  for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
    weft_valtype p[8], r[2];
    uint32_t np, nr;
    if (!sig_types(entries[i].params, p, &np) || !sig_types(entries[i].results, r, &nr)) {
      if (err) {
        memset(err, 0, sizeof *err);
        err->kind = WEFT_ERR_ARG;
        snprintf(err->message, sizeof err->message, "libc-builtin: bad signature for %s",
                 entries[i].name);
      }
      return WEFT_FAIL;
    }
    if (weft_register_func(rt, "env", entries[i].name, p, np, r, nr, entries[i].fn, NULL,
                           err) != WEFT_OK)
      return WEFT_FAIL;
  }
  return WEFT_OK;
}

/* The instance whose wasm code made the current host call: the innermost wasm frame. */
static winstance *caller_instance(wexec *e) {
  for (const wframe *f = e->frame_top; f >= e->frames; f--)
    if (f->fn && !f->fn->host) return f->fn->inst;
  return NULL;
}

bool lb_ctx_init(lb_ctx *c, wexec *exec) {
  c->exec = exec;
  c->inst = caller_instance(exec);
  c->mem = c->inst && c->inst->module->nmems ? c->inst->mems[0] : NULL;
  if (!c->mem) {
    lb_trap(exec, "libc-builtin: the calling module has no memory");
    return false;
  }
  return true;
}

wtrap lb_trap(wexec *e, const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  weft_exec_set_trap_message(e, buf);
  return WEFT_TRAP_HOST;
}

uint64_t lb_mem_size(const lb_ctx *c) {
  return atomic_load_explicit(&c->mem->size, memory_order_acquire);
}

uint8_t *lb_range(lb_ctx *c, const char *fn, uint32_t off, uint64_t len) {
  uint64_t size = lb_mem_size(c);
  if (off > size || len > size - off) {
    lb_trap(c->exec, "out of bounds memory access: %s: [0x%x, +%llu) lies outside memory "
            "(%llu bytes)", fn, off, (unsigned long long)len, (unsigned long long)size);
    return NULL;
  }
  return c->mem->base + off;
}

const char *lb_str(lb_ctx *c, const char *fn, uint32_t off, uint32_t *len_out) {
  uint64_t size = lb_mem_size(c);
  const char *s = (const char *)c->mem->base + off;
  const char *z = off < size ? memchr(s, 0, size - off) : NULL;
  if (!z) {
    lb_trap(c->exec, "out of bounds memory access: %s: the string at 0x%x has no NUL "
            "before the end of memory", fn, off);
    return NULL;
  }
  if (len_out) *len_out = (uint32_t)(z - s);
  return s;
}

int64_t lb_str_n(lb_ctx *c, const char *fn, uint32_t off, uint32_t max) {
  uint64_t size = lb_mem_size(c);
  uint64_t avail = off < size ? size - off : 0;
  uint64_t look = avail < max ? avail : max;
  const char *s = (const char *)c->mem->base + off;
  const char *z = look ? memchr(s, 0, look) : NULL;
  if (z) return z - s;
  if (look == max) return max;
  lb_trap(c->exec, "out of bounds memory access: %s: the string at 0x%x runs past the end "
          "of memory", fn, off);
  return -1;
}

struct wappheap *lb_heap(lb_ctx *c) { return wheap_of(c->inst); }
