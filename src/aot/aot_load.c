/* aot_load.c — loading a .aot's shared object: written to an anonymous file (memfd, else an
 * unlinked temporary file in $TMPDIR), dlopen'ed through /proc/self/fd/N, its descriptor
 * checked against the header and this runtime (ABI, layout fingerprint, wasm hash, function
 * count, flags), then bound to the helper table. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#undef W_OK /* unistd.h's access() mode; werr.h's W_OK is meant */
#include "aot_internal.h"
#include "../util/tmpdir.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static bool write_all(int fd, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

/* Opens the shared object: *fd_out stays open while it is loaded (see aot_internal.h). */
static void *open_so(const uint8_t *so, size_t len, int *fd_out, werr *err) {
  char path[4200], why[512] = "";
  int fd = -1;
#if defined(__linux__) && defined(MFD_CLOEXEC)
  fd = memfd_create("weft-aot", MFD_CLOEXEC);
  if (fd >= 0 && !write_all(fd, so, len)) {
    snprintf(why, sizeof why, "writing to a memfd: %s", strerror(errno));
    close(fd);
    fd = -1;
  }
  if (fd >= 0) {
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h) {
      *fd_out = fd;
      return h;
    }
    const char *d = dlerror();
    snprintf(why, sizeof why, "%s", d ? d : "dlopen failed");
    close(fd);   /* e.g. a noexec memfd policy: try a file */
  }
#endif
  const char *tmp = wutil_tmpdir();
  snprintf(path, sizeof path, "%s/weft-aot-XXXXXX", tmp);
  fd = mkstemp(path);
  if (fd < 0) {
    werr_set(err, WERR_RESOURCE, "cannot load the AOT code: no memfd (%s) and no temporary "
             "file in %s (%s): set TMPDIR to a writable directory", why[0] ? why : "none",
             tmp, strerror(errno));
    return NULL;
  }
  void *h = NULL;
  if (write_all(fd, so, len)) {
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    h = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char *d = dlerror();
      if (!d) d = "dlopen failed";
      bool perm = strstr(d, "ermission") || strstr(d, "map");
      werr_set(err, WERR_RESOURCE, "cannot load the AOT code: %s%s%s", d,
               perm ? " (is the directory mounted noexec? set TMPDIR to another one)" : "",
               why[0] && strcmp(why, d) != 0 ? "; through a memfd: " : "");
      if (err && why[0] && strcmp(why, d) != 0) {
        size_t l = strlen(err->msg);
        snprintf(err->msg + l, sizeof err->msg - l, "%s", why);
      }
    }
  } else {
    werr_set(err, WERR_RESOURCE, "cannot load the AOT code: writing %s: %s", path,
             strerror(errno));
  }
  unlink(path);
  if (!h) {
    close(fd);
    return NULL;
  }
  *fd_out = fd;
  return h;
}

typedef struct { uintptr_t base, lo, hi; } text_find;

/* dl_iterate_phdr callback: the executable segments of the object loaded at f->base. */
static int find_text(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size;
  text_find *f = arg;
  if ((uintptr_t)info->dlpi_addr != f->base) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
    if (!f->lo || lo < f->lo) f->lo = lo;
    if (hi > f->hi) f->hi = hi;
  }
  return f->hi != 0;
}

static int entry_cmp(const void *a, const void *b) {
  uintptr_t x = ((const waot_entry *)a)->addr, y = ((const waot_entry *)b)->addr;
  return x < y ? -1 : x > y;
}

/* Sizes of the object's functions from its ELF symbol table (.symtab, which also lists the
 * generated code's static functions; absent when stripped): for each entry whose address
 * a sized STT_FUNC symbol starts at, sets its end. The image is bounds-checked throughout. */
static void entry_ends(struct waot_code *c, const uint8_t *so, size_t len, uintptr_t base) {
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)so;
  if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
      eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shoff > len ||
      (len - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum)
    return;
  if ((uintptr_t)so % _Alignof(ElfW(Shdr)) || eh->e_shoff % _Alignof(ElfW(Shdr))) return;
  const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(so + eh->e_shoff);
  for (unsigned i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_entsize != sizeof(ElfW(Sym)) ||
        sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset ||
        sh[i].sh_offset % _Alignof(ElfW(Sym)))
      continue;
    const ElfW(Sym) *sym = (const ElfW(Sym) *)(so + sh[i].sh_offset);
    size_t n = sh[i].sh_size / sizeof(ElfW(Sym));
    for (size_t k = 0; k < n; k++) {
      if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || !sym[k].st_size || !sym[k].st_value)
        continue;
      uintptr_t a = base + (uintptr_t)sym[k].st_value;
      /* the entries are sorted by address */
      uint32_t lo = 0, hi = c->nentries;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->entries[mid].addr < a) lo = mid + 1;
        else hi = mid;
      }
      for (; lo < c->nentries && c->entries[lo].addr == a; lo++)
        c->entries[lo].end = a + (uintptr_t)sym[k].st_size;
    }
  }
}

/* The code range and the sorted entry addresses, for backtraces. */
static wstatus map_code(struct waot_code *c, const uint8_t *so, size_t so_len, werr *err) {
  struct link_map *lm = NULL;
  text_find tf = {0, 0, 0};
  if (dlinfo(c->handle, RTLD_DI_LINKMAP, &lm) == 0 && lm) {
    tf.base = (uintptr_t)lm->l_addr;
    dl_iterate_phdr(find_text, &tf);
  }
  uint32_t nd = c->desc->ndefined;
  c->entries = calloc((size_t)nd * 2 + 1, sizeof *c->entries);
  if (!c->entries) return werr_set(err, WERR_RESOURCE, "out of memory");
  uint32_t n = 0;
  for (uint32_t i = 0; i < nd; i++) {
    c->entries[n++] = (waot_entry){(uintptr_t)c->desc->typed[i], 0, i, false};
    c->entries[n++] = (waot_entry){(uintptr_t)c->desc->slots[i], 0, i, true};
  }
  qsort(c->entries, n, sizeof *c->entries, entry_cmp);
  c->nentries = n;
  if (lm) entry_ends(c, so, so_len, tf.base);
  if (!tf.hi && n) {   /* no program headers: the entries' span, and a bit */
    tf.lo = c->entries[0].addr;
    tf.hi = c->entries[n - 1].addr + 4096;
  }
  c->text_lo = tf.lo;
  c->text_hi = tf.hi;
  return W_OK;
}

void waot_unload(struct waot_code *c) {
  if (!c) return;
  waot_trace_unregister(c);
  if (c->handle) dlclose(c->handle);
  if (c->fd >= 0) close(c->fd);
  free(c->entries);
  free(c);
}

static bool has_shared_memory(const wmodule *m) {
  for (uint32_t i = 0; i < m->nmems; i++)
    if (m->mems[i].lim.shared) return true;
  return false;
}

wstatus waot_load(wmodule *m, const waot_image *img, bool bounds_checks, werr *err) {
  /* The header's flags are the compiler's: refuse early, before running anything. */
  if (bounds_checks && !(img->flags & WAOT_F_BOUNDS_CHECKS))
    return werr_set(err, WERR_INVALID, "this .aot was compiled without bounds checks (for "
                    "guard-page memories) and this runtime uses bounds checks: compile the "
                    ".wasm with weftc --bounds-checks=1");
  if (has_shared_memory(m) && !(img->flags & WAOT_F_MULTI_THREAD))
    return werr_set(err, WERR_INVALID, "this .aot has a shared memory but was compiled without "
                    "thread support: compile the .wasm with weftc --enable-multi-thread");
  if ((img->flags & WAOT_F_ASYNC_INTERRUPT) && !waot_interrupt_enable())
    return werr_set(err, WERR_INVALID, "this .aot needs the interrupt signal, which this "
                    "platform lacks: compile the .wasm with weftc for this target");
  uint32_t ndef = m->nfuncs - m->nimported_funcs;
  struct waot_code *c = calloc(1, sizeof *c);
  if (!c) return werr_set(err, WERR_RESOURCE, "out of memory");
  c->fd = -1;
  c->reg_slot = -1;
  c->module = m;
  c->handle = open_so(img->so, img->so_len, &c->fd, err);
  if (!c->handle) {
    free(c);
    return W_ERR;
  }
  const waot_desc *d = dlsym(c->handle, STR(WAOT_DESC_SYMBOL));
  static const uint32_t layout[8] = WAOT_LAYOUT_INIT;
  wstatus s = W_OK;
  if (!d)
    s = werr_set(err, WERR_MALFORMED, "the .aot's shared object has no %s: it was not made by "
                 "weftc; compile the .wasm with weftc", STR(WAOT_DESC_SYMBOL));
  else if (d->abi_version != WAOT_ABI_VERSION)
    s = werr_set(err, WERR_MALFORMED, "the .aot's code uses AOT ABI version %u, this weft "
                 "expects %u: recompile the .wasm with this weft's weftc", d->abi_version,
                 WAOT_ABI_VERSION);
  else if (memcmp(d->layout, layout, sizeof layout) != 0)
    s = werr_set(err, WERR_MALFORMED, "the .aot's code was compiled against another layout of "
                 "weft's runtime objects (sizes %u/%u/%u/%u/%u/%u, here %u/%u/%u/%u/%u/%u): "
                 "recompile the .wasm with this weft's weftc", d->layout[0], d->layout[1],
                 d->layout[2], d->layout[3], d->layout[4], d->layout[5], layout[0], layout[1],
                 layout[2], layout[3], layout[4], layout[5]);
  else if (d->wasm_hash != img->wasm_hash)
    s = werr_set(err, WERR_MALFORMED, "the .aot's code was generated from another wasm module "
                 "(hash 0x%016llx, the file's module is 0x%016llx): the file is damaged; "
                 "compile the .wasm again", (unsigned long long)d->wasm_hash,
                 (unsigned long long)img->wasm_hash);
  else if (d->ndefined != ndef || (ndef && (!d->typed || !d->slots)) || !d->bind)
    s = werr_set(err, WERR_MALFORMED, "the .aot's code has %u functions, its module defines "
                 "%u: the file is damaged; compile the .wasm again", d->ndefined, ndef);
  else if (d->flags != img->flags)
    s = werr_set(err, WERR_MALFORMED, "the .aot's code was compiled with flags 0x%x, its "
                 "header says 0x%x: the file is damaged; compile the .wasm again", d->flags,
                 img->flags);
  for (uint32_t i = 0; s == W_OK && i < ndef; i++)
    if (!d->typed[i] || !d->slots[i])
      s = werr_set(err, WERR_MALFORMED, "the .aot's code lacks function %u: compile the .wasm "
                   "again", i + m->nimported_funcs);
  if (s == W_OK) {
    c->desc = d;
    c->flags = d->flags;
    s = map_code(c, img->so, img->so_len, err);
  }
  if (s == W_OK && !waot_trace_register(c))
    s = werr_set(err, WERR_RESOURCE, "too many AOT modules loaded at once");
  if (s != W_OK) {
    waot_unload(c);
    return s;
  }
  d->bind(&waot_rt_helpers);
  m->aot = c;
  m->aot_free = waot_unload;
  return W_OK;
}

void waot_bind_func(const struct waot_code *c, uint32_t i, wfuncinst *f) {
  f->code = NULL;
  f->aot_fn = c->desc->typed[i];
  f->aot_slots = c->desc->slots[i];
}
