/* sandbox.c — guest path resolution beneath a directory fd; see sandbox.h for the model.
 *
 * Invariants kept by every function here:
 *   - no path string containing ".." or a symlink is ever handed to the kernel without
 *     RESOLVE_BENEATH (openat2 mode); in walk mode the kernel only ever sees one component
 *     at a time, opened with O_NOFOLLOW, and ".." never reaches it (the walk pops its stack);
 *   - symlink targets are never followed by the kernel in walk mode: they are read
 *     (readlinkat) and spliced into the remaining path, counted against WSB_MAX_SYMLINKS;
 *   - the returned directory fd is beneath base and the returned name is one component. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* 1 forces the walk (tests or WEFT_WASI_NO_OPENAT2); 0 not forced; -1 not yet read. */
static atomic_int g_force = -1;
/* 1 openat2 works, 0 unknown, -1 the kernel lacks it (ENOSYS seen). */
static atomic_int g_have_openat2 = 0;

void wsb_force_fallback(bool on) { atomic_store(&g_force, on ? 1 : 0); }

/* True when the walk is forced (reads the environment on first use). */
static bool forced_walk(void) {
  int f = atomic_load(&g_force);
  if (f < 0) {
    const char *e = getenv("WEFT_WASI_NO_OPENAT2");
    int want = (e && *e && strcmp(e, "0") != 0) ? 1 : 0;
    int expected = -1;
    atomic_compare_exchange_strong(&g_force, &expected, want);
    f = atomic_load(&g_force);
  }
  return f == 1;
}

bool wsb_uses_openat2(void) { return !forced_walk() && atomic_load(&g_have_openat2) >= 0; }

/* openat2 with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS. Returns the fd, or -errno. -ENOSYS
 * (also recorded, so later calls skip it) means "use the walk"; EAGAIN (a concurrent rename
 * raced a ".." lookup) is retried a few times, then reported as -ENOSYS for the walk. */
static int beneath_openat2(int base, const char *path, int flags, mode_t mode) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)(unsigned)(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? (uint64_t)mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int tries = 0; tries < 8; tries++) {
    long r = syscall(SYS_openat2, base, path, &how, sizeof how);
    if (r >= 0) {
      atomic_store(&g_have_openat2, 1);
      return (int)r;
    }
    int e = errno;
    if (e == ENOSYS) {
      atomic_store(&g_have_openat2, -1);
      return -ENOSYS;
    }
    if (e == EXDEV) return -WSB_ENOTCAPABLE;
    if (e != EAGAIN && e != EINTR) return -e;
  }
  return -ENOSYS;
}

/* A growable stack of directory fds for the walk; slot 0 is base (not owned). */
typedef struct {
  int *fd;
  size_t n, cap;
} fdstack;

/* Closes every owned fd and frees the stack. */
static void fdstack_free(fdstack *s) {
  for (size_t i = 1; i < s->n; i++) close(s->fd[i]);
  free(s->fd);
  s->fd = NULL;
  s->n = s->cap = 0;
}

/* Pushes an owned fd; on allocation failure closes it and returns ENOMEM. */
static int fdstack_push(fdstack *s, int fd) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    int *p = realloc(s->fd, cap * sizeof *p);
    if (!p) {
      close(fd);
      return ENOMEM;
    }
    s->fd = p;
    s->cap = cap;
  }
  s->fd[s->n++] = fd;
  return 0;
}

/* Reads the symlink `name` in dir (name "" with AT_EMPTY_PATH semantics: dir is the link
 * itself) into a new NUL-terminated string *out. 0, or an errno; an absolute target is
 * WSB_ENOTCAPABLE and an empty one ENOENT. */
static int read_link(int dir, const char *name, char **out) {
  char *buf = malloc(WSB_PATH_MAX + 1);
  if (!buf) return ENOMEM;
  ssize_t n = readlinkat(dir, name, buf, WSB_PATH_MAX + 1);
  if (n < 0) {
    int e = errno;
    free(buf);
    return e;
  }
  if (n > WSB_PATH_MAX) {
    free(buf);
    return ENAMETOOLONG;
  }
  buf[n] = 0;
  if (n == 0) {
    free(buf);
    return ENOENT;
  }
  if (buf[0] == '/') {
    free(buf);
    return WSB_ENOTCAPABLE;
  }
  *out = buf;
  return 0;
}

/* Joins the first alen bytes of a, "/" (when both a and b are non-empty), b and suffix
 * into a new string; NULL when out of memory or longer than WSB_PATH_MAX. */
static char *join(const char *a, size_t alen, const char *b, const char *suffix) {
  size_t blen = strlen(b), slen = strlen(suffix);
  if (alen + 1 + blen + slen > WSB_PATH_MAX) return NULL;
  char *r = malloc(alen + 1 + blen + slen + 1);
  if (!r) return NULL;
  memcpy(r, a, alen);
  size_t k = alen;
  if (alen && blen) r[k++] = '/';
  memcpy(r + k, b, blen);
  memcpy(r + k + blen, suffix, slen + 1);
  return r;
}

/* The walk: resolves every component of `path` beneath base, following all symlinks
 * (each counts against *budget), to a directory. *out gets an owned O_PATH fd. */
static int walk_dir(int base, const char *path, int *budget, int *out) {
  fdstack st = {0};
  int err = fdstack_push(&st, base);
  char *rest = strdup(path);
  if (!rest) err = ENOMEM;
  size_t pos = 0;
  while (!err) {
    while (rest[pos] == '/') pos++;
    if (!rest[pos]) break;
    size_t end = pos;
    while (rest[end] && rest[end] != '/') end++;
    size_t clen = end - pos;
    char comp[256];
    if (clen > 255) {
      err = ENAMETOOLONG;
      break;
    }
    memcpy(comp, rest + pos, clen);
    comp[clen] = 0;
    pos = end;
    if (strcmp(comp, ".") == 0) continue;
    if (strcmp(comp, "..") == 0) {
      if (st.n == 1) {
        err = WSB_ENOTCAPABLE;
        break;
      }
      close(st.fd[--st.n]);
      continue;
    }
    int fd = openat(st.fd[st.n - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      err = errno;
      break;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
      err = errno;
      close(fd);
      break;
    }
    if (S_ISDIR(sb.st_mode)) {
      err = fdstack_push(&st, fd);
      continue;
    }
    if (!S_ISLNK(sb.st_mode)) {
      close(fd);
      err = ENOTDIR;
      break;
    }
    if (--*budget < 0) {
      close(fd);
      err = ELOOP;
      break;
    }
    char *target = NULL;
    err = read_link(fd, "", &target);  /* the link we opened, not a later replacement */
    close(fd);
    if (err) break;
    char *next = join(target, strlen(target), rest + pos, "");
    free(target);
    if (!next) {
      err = ENAMETOOLONG;
      break;
    }
    free(rest);
    rest = next;
    pos = 0;
  }
  free(rest);
  if (!err) {
    int top = st.fd[st.n - 1];
    if (st.n == 1) {
      top = fcntl(base, F_DUPFD_CLOEXEC, 0);
      if (top < 0) err = errno;
    } else {
      st.n--;  /* hand the top fd to the caller */
    }
    if (!err) *out = top;
  }
  fdstack_free(&st);
  return err;
}

/* Opens directory `dir` (a relative path; "" is base itself) beneath base as an owned
 * O_PATH fd, with openat2 when available, else the walk. */
static int open_dir(int base, const char *dir, int *budget, int *out) {
  if (!*dir) {
    int fd = fcntl(base, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return errno;
    *out = fd;
    return 0;
  }
  if (wsb_uses_openat2()) {
    int r = beneath_openat2(base, dir, O_PATH | O_DIRECTORY, 0);
    if (r >= 0) {
      *out = r;
      return 0;
    }
    if (r != -ENOSYS) return -r;
  }
  return walk_dir(base, dir, budget, out);
}

/* Copies and checks a guest path: non-empty, no NUL, relative, at most WSB_PATH_MAX. The
 * checks run on the copy: guest memory may be shared and changed by another thread. */
static int copy_path(const char *path, size_t len, char **out) {
  if (len == 0) return ENOENT;
  if (len > WSB_PATH_MAX) return ENAMETOOLONG;
  char *p = malloc(len + 1);
  if (!p) return ENOMEM;
  memcpy(p, path, len);
  p[len] = 0;
  int err = memchr(p, 0, len) ? EINVAL : p[0] == '/' ? WSB_ENOTCAPABLE : 0;
  if (err) {
    free(p);
    return err;
  }
  *out = p;
  return 0;
}

void wsb_target_free(wsb_target *t) {
  if (t->dirfd >= 0) close(t->dirfd);
  free(t->name);
  t->dirfd = -1;
  t->name = NULL;
}

int wsb_resolve(int base, const char *path, size_t len, bool follow, wsb_target *t) {
  t->dirfd = -1;
  t->name = NULL;
  t->slash = false;
  char *buf = NULL;
  int err = copy_path(path, len, &buf);
  if (err) return err;
  int budget = WSB_MAX_SYMLINKS;
  for (;;) {
    size_t n = strlen(buf);
    bool slash = false;
    while (n > 1 && buf[n - 1] == '/') buf[--n] = 0, slash = true;
    char *cut = strrchr(buf, '/');
    const char *last = cut ? cut + 1 : buf;
    size_t dlen = cut ? (size_t)(cut - buf) : 0;
    if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
      /* The target is a directory named by the whole path: act on "." inside it. */
      err = open_dir(base, buf, &budget, &t->dirfd);
      if (!err && !(t->name = strdup("."))) err = ENOMEM;
      t->slash = slash;
      break;
    }
    char *dir = strndup(buf, dlen);
    if (!dir) {
      err = ENOMEM;
      break;
    }
    err = open_dir(base, dir, &budget, &t->dirfd);
    free(dir);
    if (err) break;
    struct stat sb;
    if ((follow || slash) && fstatat(t->dirfd, last, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(sb.st_mode)) {
      char *target = NULL;
      if (--budget < 0) err = ELOOP;
      else err = read_link(t->dirfd, last, &target);
      close(t->dirfd);
      t->dirfd = -1;
      if (err) break;
      /* Resolve the target relative to the link's directory: the kernel and the walk both
       * treat "dir/target" exactly so (".." after a followed link is physical). */
      char *next = join(buf, dlen, target, slash ? "/" : "");
      free(target);
      if (!next) {
        err = ENAMETOOLONG;
        break;
      }
      free(buf);
      buf = next;
      continue;
    }
    if (!(t->name = strdup(last))) err = ENOMEM;
    t->slash = slash;
    break;
  }
  free(buf);
  if (err) wsb_target_free(t);
  return err;
}

int wsb_open(int base, const char *path, size_t len, int oflags, mode_t mode, bool follow,
             int *fd_out) {
  int flags = oflags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
  if (wsb_uses_openat2()) {
    char *buf = NULL;
    int err = copy_path(path, len, &buf);
    if (err) return err;
    int r = beneath_openat2(base, buf, flags, mode);
    free(buf);
    if (r >= 0) {
      *fd_out = r;
      return 0;
    }
    if (r != -ENOSYS) return -r;
  }
  /* The walk: resolve to (dir, name), then open the one name without following. A link
   * swapped in between makes openat fail with ELOOP; retry the whole resolution. */
  /* O_CREAT|O_EXCL never follows a final symlink (POSIX; openat2 does the same). */
  if ((oflags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) follow = false;
  for (int tries = 0; tries < 8; tries++) {
    wsb_target t;
    int err = wsb_resolve(base, path, len, follow, &t);
    if (err) return err;
    int fl = oflags | O_CLOEXEC | O_NOFOLLOW | (t.slash ? O_DIRECTORY : 0);
    int fd = openat(t.dirfd, t.name, fl, mode);
    err = fd < 0 ? errno : 0;
    struct stat sb;
    bool raced = fd < 0 && err == ELOOP && follow &&
                 fstatat(t.dirfd, t.name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode);
    wsb_target_free(&t);
    if (fd >= 0) {
      *fd_out = fd;
      return 0;
    }
    if (!raced) return err;
  }
  return ELOOP;
}
