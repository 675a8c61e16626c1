/* wasi_util.c — helpers every WASI handler shares: guest memory access (one rule: a bad
 * pointer or length is WASI_EFAULT), little-endian encoding, errno and filetype mapping,
 * and the stop check for blocking calls. */
#include <errno.h>
#include <sys/stat.h>
#include "wasi.h"
#include "../runtime/exec.h"

uint8_t *wasi_mem(wasi_call *c, uint32_t off, uint64_t len) {
  if (!c->mem) return NULL;
  uint64_t size = atomic_load_explicit(&c->mem->size, memory_order_acquire);
  if (off > size || len > size - off) return NULL;
  return c->mem->base + off;
}

void wasi_st16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void wasi_st32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void wasi_st64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t wasi_ld32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t wasi_ld64(const uint8_t *p) { return wasi_ld32(p) | (uint64_t)wasi_ld32(p + 4) << 32; }

uint16_t wasi_put32(wasi_call *c, uint32_t off, uint32_t v) {
  uint8_t *p = wasi_mem(c, off, 4);
  if (!p) return WASI_EFAULT;
  wasi_st32(p, v);
  return 0;
}

uint16_t wasi_put64(wasi_call *c, uint32_t off, uint64_t v) {
  uint8_t *p = wasi_mem(c, off, 8);
  if (!p) return WASI_EFAULT;
  wasi_st64(p, v);
  return 0;
}

uint8_t wasi_filetype_of_mode(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG: return WASI_FT_REG;
  case S_IFDIR: return WASI_FT_DIR;
  case S_IFCHR: return WASI_FT_CHAR;
  case S_IFBLK: return WASI_FT_BLOCK;
  case S_IFLNK: return WASI_FT_SYMLINK;
  case S_IFSOCK: return WASI_FT_SOCK_STREAM;   /* refined with SO_TYPE where it matters */
  default: return WASI_FT_UNKNOWN;             /* FIFOs included, as other runtimes do */
  }
}

bool wasi_stop_requested(wasi_call *c) {
  if (!atomic_load_explicit(&c->exec->suspend, memory_order_acquire)) return false;
  c->trap = WEFT_TRAP_TERMINATED;
  return true;
}
