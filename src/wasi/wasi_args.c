/* wasi_args.c — args_get, args_sizes_get, environ_get, environ_sizes_get: the program's
 * strings laid out as wasi-libc expects (pointer array + NUL-terminated strings in a buffer
 * sized by the *_sizes_get call). */
#include <string.h>
#include "wasi.h"

/* Writes the sizes of n strings: count at pn, total bytes with NULs at psz. */
static uint16_t sizes(wasi_call *c, char **s, uint32_t n, uint32_t pn, uint32_t psz) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) total += strlen(s[i]) + 1;
  if (total > UINT32_MAX) return WASI_EOVERFLOW;
  uint16_t r = wasi_put32(c, pn, n);
  return r ? r : wasi_put32(c, psz, (uint32_t)total);
}

/* Copies n strings into guest buf and their addresses into the guest array at ptrs. The
 * guest sized both with the sizes call; every range is checked (EFAULT). */
static uint16_t strings(wasi_call *c, char **s, uint32_t n, uint32_t ptrs, uint32_t buf) {
  uint8_t *arr = wasi_mem(c, ptrs, (uint64_t)n * 4);
  if (!arr) return WASI_EFAULT;
  uint64_t off = buf;
  for (uint32_t i = 0; i < n; i++) {
    size_t len = strlen(s[i]) + 1;
    if (off > UINT32_MAX) return WASI_EFAULT;
    uint8_t *dst = wasi_mem(c, (uint32_t)off, len);
    if (!dst) return WASI_EFAULT;
    memcpy(dst, s[i], len);
    wasi_st32(arr + 4 * (uint64_t)i, (uint32_t)off);
    off += len;
  }
  return 0;
}

uint16_t wasih_args_sizes_get(wasi_call *c, const weft_slot *a) {
  return sizes(c, c->ctx->argv, c->ctx->argc, a[0].i32, a[1].i32);
}

uint16_t wasih_args_get(wasi_call *c, const weft_slot *a) {
  return strings(c, c->ctx->argv, c->ctx->argc, a[0].i32, a[1].i32);
}

uint16_t wasih_environ_sizes_get(wasi_call *c, const weft_slot *a) {
  return sizes(c, c->ctx->env, c->ctx->nenv, a[0].i32, a[1].i32);
}

uint16_t wasih_environ_get(wasi_call *c, const weft_slot *a) {
  return strings(c, c->ctx->env, c->ctx->nenv, a[0].i32, a[1].i32);
}
