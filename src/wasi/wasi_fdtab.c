/* wasi_fdtab.c — the per-program fd table (see wasi.h): reference-counted entries in a
 * growable array under one mutex, held only for lookups and updates, never during I/O. */
#define _POSIX_C_SOURCE 200809L
#include "wasi.h"   /* first: werr.h\'s W_OK clashes with unistd.h\'s macro */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void wasi_fdtab_init(wasi_fdtab *t) {
  wplat_mutex_init(&t->lock);
  t->slots = NULL;
  t->cap = 0;
}

void wasi_fdtab_free(wasi_fdtab *t) {
  for (uint32_t i = 0; i < t->cap; i++) wasi_fd_put(t->slots[i]);
  free(t->slots);
  t->slots = NULL;
  t->cap = 0;
  wplat_mutex_destroy(&t->lock);
}

wasi_fd *wasi_fd_new(int host, uint8_t filetype, uint64_t base, uint64_t inh, uint16_t fdflags,
                     const char *preopen) {
  wasi_fd *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  if (preopen) {
    e->preopen = strdup(preopen);
    if (!e->preopen) {
      free(e);
      return NULL;
    }
    e->preopen_len = (uint32_t)strlen(preopen);
  }
  atomic_init(&e->refs, 1);
  e->host = host;
  e->filetype = filetype;
  atomic_init(&e->fdflags, fdflags);
  atomic_init(&e->rights_base, base);
  atomic_init(&e->rights_inh, inh);
  return e;
}

void wasi_fd_put(wasi_fd *e) {
  if (!e || atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1) return;
  if (e->host >= 0) close(e->host);
  free(e->preopen);
  free(e);
}

uint16_t wasi_fd_get(wasi_fdtab *t, uint32_t fd, uint64_t need, wasi_fd **out) {
  *out = NULL;
  wplat_mutex_lock(&t->lock);
  wasi_fd *e = fd < t->cap ? t->slots[fd] : NULL;
  if (e) atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
  wplat_mutex_unlock(&t->lock);
  if (!e) return WASI_EBADF;
  if ((atomic_load(&e->rights_base) & need) != need) {
    wasi_fd_put(e);
    return WASI_ENOTCAPABLE;
  }
  *out = e;
  return 0;
}

/* Makes room for slot `fd` (lock held): false when out of memory or beyond the limit. */
static bool grow_locked(wasi_fdtab *t, uint32_t fd) {
  if (fd < t->cap) return true;
  if (fd >= WASI_FD_MAX) return false;
  uint32_t cap = t->cap ? t->cap : 16;
  while (cap <= fd) cap *= 2;
  if (cap > WASI_FD_MAX) cap = WASI_FD_MAX;
  wasi_fd **s = realloc(t->slots, cap * sizeof *s);
  if (!s) return false;
  memset(s + t->cap, 0, (cap - t->cap) * sizeof *s);
  t->slots = s;
  t->cap = cap;
  return true;
}

uint16_t wasi_fd_insert(wasi_fdtab *t, wasi_fd *e, uint32_t *fd_out) {
  wplat_mutex_lock(&t->lock);
  uint32_t fd = 0;
  while (fd < t->cap && t->slots[fd]) fd++;
  bool ok = grow_locked(t, fd);
  if (ok) t->slots[fd] = e;
  wplat_mutex_unlock(&t->lock);
  if (!ok) {
    wasi_fd_put(e);
    return fd >= WASI_FD_MAX ? WASI_EMFILE : WASI_ENOMEM;
  }
  *fd_out = fd;
  return 0;
}

uint16_t wasi_fd_insert_at(wasi_fdtab *t, wasi_fd *e, uint32_t fd) {
  wplat_mutex_lock(&t->lock);
  bool ok = grow_locked(t, fd);
  wasi_fd *old = NULL;
  if (ok) {
    old = t->slots[fd];
    t->slots[fd] = e;
  }
  wplat_mutex_unlock(&t->lock);
  wasi_fd_put(old);
  if (!ok) {
    wasi_fd_put(e);
    return fd >= WASI_FD_MAX ? WASI_EMFILE : WASI_ENOMEM;
  }
  return 0;
}

uint16_t wasi_fd_remove(wasi_fdtab *t, uint32_t fd) {
  wplat_mutex_lock(&t->lock);
  wasi_fd *e = fd < t->cap ? t->slots[fd] : NULL;
  if (e) t->slots[fd] = NULL;
  wplat_mutex_unlock(&t->lock);
  if (!e) return WASI_EBADF;
  wasi_fd_put(e);
  return 0;
}

uint16_t wasi_fd_renumber(wasi_fdtab *t, uint32_t from, uint32_t to) {
  wplat_mutex_lock(&t->lock);
  wasi_fd *src = from < t->cap ? t->slots[from] : NULL;
  wasi_fd *dst = to < t->cap ? t->slots[to] : NULL;
  if (!src || !dst) {
    wplat_mutex_unlock(&t->lock);
    return WASI_EBADF;
  }
  if (from == to) {
    wplat_mutex_unlock(&t->lock);
    return 0;
  }
  t->slots[to] = src;
  t->slots[from] = NULL;
  wplat_mutex_unlock(&t->lock);
  wasi_fd_put(dst);
  return 0;
}
