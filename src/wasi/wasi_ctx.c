/* wasi_ctx.c — the per-program WASI context (see wasi.h): creation from weft_wasi_options
 * (args, environment, stdio, preopened directories), lookup from a calling instance, and
 * the public weft_wasi_* calls that attach it and read the exit code. */
#define _GNU_SOURCE
#include "wasi.h"   /* first: werr.h\'s W_OK clashes with unistd.h\'s macro */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../runtime/runtime.h"

/* Copies n strings (NULL entries become ""); false when out of memory. */
static bool copy_strs(char ***out, const char *const *in, uint32_t n) {
  *out = calloc(n + 1, sizeof **out);
  if (!*out) return false;
  for (uint32_t i = 0; i < n; i++)
    if (!((*out)[i] = strdup(in && in[i] ? in[i] : ""))) return false;
  return true;
}

static void free_strs(char **s, uint32_t n) {
  for (uint32_t i = 0; s && i < n; i++) free(s[i]);
  free(s);
}

uint8_t wasi_filetype_of_fd(int host) {
  struct stat st;
  if (fstat(host, &st) != 0) return WASI_FT_UNKNOWN;
  uint8_t ft = wasi_filetype_of_mode(st.st_mode);
  if (ft == WASI_FT_SOCK_STREAM) {
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(host, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
      ft = WASI_FT_SOCK_DGRAM;
  }
  return ft;
}

/* The rights a file of type ft gets when weft opens it for the program: seeking and telling
 * only on what can seek (wasi-libc's isatty looks for a character device without them). */
uint64_t wasi_rights_for(uint8_t ft) {
  if (ft == WASI_FT_DIR) return WASI_R_DIR_ALL;
  uint64_t r = WASI_R_FILE_ALL;
  if (ft != WASI_FT_REG && ft != WASI_FT_BLOCK) r &= ~(WASI_R_FD_SEEK | WASI_R_FD_TELL);
  if (ft == WASI_FT_SOCK_STREAM || ft == WASI_FT_SOCK_DGRAM)
    r |= WASI_R_SOCK_SHUTDOWN | WASI_R_SOCK_ACCEPT;
  return r;
}

/* Adds a duplicate of host stdio fd `fd` as the same guest fd (skipped when closed). */
static bool add_stdio(wasi_ctx *c, int fd) {
  int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (h < 0) return true;
  uint8_t ft = wasi_filetype_of_fd(h);
  int fl = fcntl(h, F_GETFL);
  uint16_t flags = fl >= 0 && (fl & O_APPEND) ? WASI_FDFLAG_APPEND : 0;
  wasi_fd *e = wasi_fd_new(h, ft, wasi_rights_for(ft), 0, flags, NULL);
  if (!e) {
    close(h);
    return false;
  }
  return wasi_fd_insert_at(&c->fds, e, (uint32_t)fd) == 0;
}

wasi_ctx *wasi_ctx_new(const weft_wasi_options *o, char *why, size_t whylen) {
  weft_wasi_options none = {0};
  if (!o) o = &none;
  wasi_ctx *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(why, whylen, "out of memory");
    return NULL;
  }
  wasi_fdtab_init(&c->fds);
  c->argc = o->argc;
  c->nenv = o->nenv;
  if (!copy_strs(&c->argv, o->argv, o->argc) || !copy_strs(&c->env, o->env, o->nenv))
    goto oom;
  for (int fd = 0; fd < 3; fd++)
    if (!add_stdio(c, fd)) goto oom;
  for (uint32_t i = 0; i < o->npreopens; i++) {
    const char *host = o->preopen_host[i];
    const char *guest = o->preopen_guest && o->preopen_guest[i] ? o->preopen_guest[i] : host;
    int h = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (h < 0) {
      snprintf(why, whylen, "cannot open the directory '%s' to preopen: %s", host,
               strerror(errno));
      wasi_ctx_free(c);
      return NULL;
    }
    wasi_fd *e = wasi_fd_new(h, WASI_FT_DIR, WASI_R_DIR_ALL, WASI_R_DIR_ALL | WASI_R_FILE_ALL,
                             0, guest);
    if (!e) {
      close(h);
      goto oom;
    }
    if (wasi_fd_insert_at(&c->fds, e, 3 + i) != 0) goto oom;
  }
  return c;
oom:
  snprintf(why, whylen, "out of memory creating the WASI context");
  wasi_ctx_free(c);
  return NULL;
}

void wasi_ctx_free(wasi_ctx *c) {
  if (!c) return;
  free_strs(c->argv, c->argc);
  free_strs(c->env, c->nenv);
  wasi_fdtab_free(&c->fds);
  free(c);
}

wasi_ctx *wasi_ctx_of(winstance *inst) {
  if (!inst) return NULL;
  if (inst->thread_parent) inst = inst->thread_parent;
  wasi_ctx *c = atomic_load_explicit(&inst->wasi, memory_order_acquire);
  if (c) return c;
  char why[128];
  wasi_ctx *fresh = wasi_ctx_new(NULL, why, sizeof why);
  if (!fresh) return NULL;
  /* Two threads may race to create it: the first one wins, the other frees its copy. */
  if (!atomic_compare_exchange_strong(&inst->wasi, &c, fresh)) {
    wasi_ctx_free(fresh);
    return c;
  }
  return fresh;
}

weft_status weft_wasi_attach(weft_instance *inst, const weft_wasi_options *opts,
                             weft_error *err) {
  if (!inst || inst->thread_parent) {
    wrt_error_set(err, WEFT_ERR_ARG, "weft_wasi_attach: needs a program's main instance");
    return WEFT_FAIL;
  }
  char why[512];
  wasi_ctx *c = wasi_ctx_new(opts, why, sizeof why);
  if (!c) {
    wrt_error_set(err, WEFT_ERR_ARG, "%s", why);
    return WEFT_FAIL;
  }
  /* Attaching is the embedder's setup step: no WASI call of this program runs now. */
  wasi_ctx_free(atomic_exchange(&inst->wasi, c));
  return WEFT_OK;
}

int32_t weft_wasi_exit_code(weft_instance *inst) {
  if (!inst) return 0;
  if (inst->thread_parent) inst = inst->thread_parent;
  wasi_ctx *c = atomic_load(&inst->wasi);
  return c ? atomic_load(&c->exit_code) : 0;
}

bool weft_module_is_wasi(const weft_module *m) {
  static const char name[] = "wasi_snapshot_preview1";
  for (uint32_t i = 0; m && i < m->nimports; i++)
    if (m->imports[i].module_len == sizeof name - 1 &&
        memcmp(m->imports[i].module, name, sizeof name - 1) == 0)
      return true;
  return false;
}
