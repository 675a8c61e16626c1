/* sandbox_ops.c — WASI path functions and fd_readdir on host fds (see sandbox_ops.h).
 * Invariant: every action on a guest-named file is an *at() call on a wsb_target (a
 * directory beneath the base plus one name) that does not follow a final symlink. */
#define _GNU_SOURCE
#include "sandbox_ops.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

uint16_t wso_errno(int e) {
  switch (e) {
    case 0: return WSO_SUCCESS;
    case WSB_ENOTCAPABLE: return WSO_ENOTCAPABLE;
    case E2BIG: return WSO_E2BIG;
    case EACCES: return WSO_EACCES;
    case EAGAIN: return WSO_EAGAIN;
    case EBADF: return WSO_EBADF;
    case EBUSY: return WSO_EBUSY;
    case EDQUOT: return WSO_EDQUOT;
    case EEXIST: return WSO_EEXIST;
    case EFAULT: return WSO_EFAULT;
    case EFBIG: return WSO_EFBIG;
    case EILSEQ: return WSO_EILSEQ;
    case EINTR: return WSO_EINTR;
    case EINVAL: return WSO_EINVAL;
    case EIO: return WSO_EIO;
    case EISDIR: return WSO_EISDIR;
    case ELOOP: return WSO_ELOOP;
    case EMFILE: return WSO_EMFILE;
    case EMLINK: return WSO_EMLINK;
    case ENAMETOOLONG: return WSO_ENAMETOOLONG;
    case ENFILE: return WSO_ENFILE;
    case ENODEV: return WSO_ENODEV;
    case ENOENT: return WSO_ENOENT;
    case ENOMEM: return WSO_ENOMEM;
    case ENOSPC: return WSO_ENOSPC;
    case ENOSYS: return WSO_ENOSYS;
    case ENOTDIR: return WSO_ENOTDIR;
    case ENOTEMPTY: return WSO_ENOTEMPTY;
    case EOPNOTSUPP: return WSO_ENOTSUP;
    case ENXIO: return WSO_ENXIO;
    case EOVERFLOW: return WSO_EOVERFLOW;
    case EPERM: return WSO_EPERM;
    case EROFS: return WSO_EROFS;
    case ETXTBSY: return WSO_ETXTBSY;
    case EXDEV: return WSO_EXDEV;
    default: return WSO_EIO;
  }
}

uint8_t wso_filetype(mode_t m) {
  if (S_ISREG(m)) return WSO_FT_REG;
  if (S_ISDIR(m)) return WSO_FT_DIR;
  if (S_ISLNK(m)) return WSO_FT_SYMLINK;
  if (S_ISCHR(m)) return WSO_FT_CHAR;
  if (S_ISBLK(m)) return WSO_FT_BLOCK;
  if (S_ISSOCK(m)) return WSO_FT_SOCK_STREAM;
  return WSO_FT_UNKNOWN;  /* FIFOs have no WASI type */
}

/* Stores v little-endian at p. */
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Nanoseconds since the epoch of a timespec (negative times clamp to 0). */
static uint64_t ts_ns(struct timespec t) {
  if (t.tv_sec < 0) return 0;
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void wso_filestat_encode(const struct stat *st, uint8_t out[WSO_FILESTAT_SIZE]) {
  memset(out, 0, WSO_FILESTAT_SIZE);
  put64(out + 0, (uint64_t)st->st_dev);
  put64(out + 8, (uint64_t)st->st_ino);
  out[16] = wso_filetype(st->st_mode);
  put64(out + 24, (uint64_t)st->st_nlink);
  put64(out + 32, (uint64_t)st->st_size);
  put64(out + 40, ts_ns(st->st_atim));
  put64(out + 48, ts_ns(st->st_mtim));
  put64(out + 56, ts_ns(st->st_ctim));
}

uint16_t wso_mkdir(int base, const char *path, size_t len) {
  wsb_target t;
  int e = wsb_resolve(base, path, len, false, &t);
  if (e) return wso_errno(e);
  e = mkdirat(t.dirfd, t.name, 0777) == 0 ? 0 : errno;
  wsb_target_free(&t);
  return wso_errno(e);
}

uint16_t wso_stat(int base, bool follow, const char *path, size_t len,
                  uint8_t out[WSO_FILESTAT_SIZE]) {
  wsb_target t;
  int e = wsb_resolve(base, path, len, follow, &t);
  if (e) return wso_errno(e);
  struct stat st;
  e = fstatat(t.dirfd, t.name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
  if (!e && t.slash && !S_ISDIR(st.st_mode)) e = ENOTDIR;
  wsb_target_free(&t);
  if (!e) wso_filestat_encode(&st, out);
  return wso_errno(e);
}

/* One utimensat time from WASI's value and its SET/NOW bits. */
static struct timespec wasi_time(uint64_t ns, bool set, bool now) {
  struct timespec ts = {0, UTIME_OMIT};
  if (now) ts.tv_nsec = UTIME_NOW;
  else if (set) {
    ts.tv_sec = (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
  }
  return ts;
}

uint16_t wso_set_times(int base, bool follow, const char *path, size_t len, uint64_t atim,
                       uint64_t mtim, uint16_t fst) {
  if ((fst & ~0xFu) || ((fst & WSO_FST_ATIM) && (fst & WSO_FST_ATIM_NOW)) ||
      ((fst & WSO_FST_MTIM) && (fst & WSO_FST_MTIM_NOW)))
    return WSO_EINVAL;
  struct timespec ts[2] = {wasi_time(atim, fst & WSO_FST_ATIM, fst & WSO_FST_ATIM_NOW),
                           wasi_time(mtim, fst & WSO_FST_MTIM, fst & WSO_FST_MTIM_NOW)};
  wsb_target t;
  int e = wsb_resolve(base, path, len, follow, &t);
  if (e) return wso_errno(e);
  e = utimensat(t.dirfd, t.name, ts, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
  wsb_target_free(&t);
  return wso_errno(e);
}

uint16_t wso_link(int obase, bool old_follow, const char *opath, size_t olen, int nbase,
                  const char *npath, size_t nlen) {
  wsb_target o, n;
  int e = wsb_resolve(obase, opath, olen, old_follow, &o);
  if (e) return wso_errno(e);
  e = wsb_resolve(nbase, npath, nlen, false, &n);
  if (e) {
    wsb_target_free(&o);
    return wso_errno(e);
  }
  /* flags 0: a symlink named by o is linked itself (resolution already followed it). */
  e = linkat(o.dirfd, o.name, n.dirfd, n.name, 0) == 0 ? 0 : errno;
  wsb_target_free(&o);
  wsb_target_free(&n);
  return wso_errno(e);
}

uint16_t wso_open(int base, bool follow, const char *path, size_t len, uint16_t oflags,
                  uint16_t fdflags, bool read, bool write, int *fd, uint8_t *filetype) {
  if ((oflags & ~0xFu) || (fdflags & ~0x1Fu)) return WSO_EINVAL;
  if (oflags & WSO_O_TRUNC) write = true;  /* Linux truncates even O_RDONLY opens */
  int fl;
  if (oflags & WSO_O_DIRECTORY) {
    if (oflags & (WSO_O_CREAT | WSO_O_TRUNC)) return WSO_EINVAL;
    fl = O_RDONLY | O_DIRECTORY;
  } else {
    fl = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  }
  if (oflags & WSO_O_CREAT) fl |= O_CREAT;
  if (oflags & WSO_O_EXCL) fl |= O_EXCL;
  if (oflags & WSO_O_TRUNC) fl |= O_TRUNC;
  if (fdflags & WSO_FD_APPEND) fl |= O_APPEND;
  if (fdflags & WSO_FD_DSYNC) fl |= O_DSYNC;
  if (fdflags & WSO_FD_NONBLOCK) fl |= O_NONBLOCK;
  if (fdflags & WSO_FD_RSYNC) fl |= O_RSYNC;
  if (fdflags & WSO_FD_SYNC) fl |= O_SYNC;
  int h = -1;
  int e = wsb_open(base, path, len, fl, 0666, follow, &h);
  if (e) return wso_errno(e);
  struct stat st;
  if (fstat(h, &st) != 0) {
    e = errno;
    close(h);
    return wso_errno(e);
  }
  *fd = h;
  *filetype = wso_filetype(st.st_mode);
  return WSO_SUCCESS;
}

uint16_t wso_readlink(int base, const char *path, size_t len, uint8_t *buf, uint32_t cap,
                      uint32_t *used) {
  wsb_target t;
  int e = wsb_resolve(base, path, len, false, &t);
  if (e) return wso_errno(e);
  ssize_t n = readlinkat(t.dirfd, t.name, (char *)buf, cap);
  e = n < 0 ? errno : 0;
  wsb_target_free(&t);
  if (e) return wso_errno(e);
  *used = (uint32_t)n;
  return WSO_SUCCESS;
}

uint16_t wso_rmdir(int base, const char *path, size_t len) {
  wsb_target t;
  int e = wsb_resolve(base, path, len, false, &t);
  if (e) return wso_errno(e);
  e = unlinkat(t.dirfd, t.name, AT_REMOVEDIR) == 0 ? 0 : errno;
  wsb_target_free(&t);
  if (e == EEXIST) e = ENOTEMPTY;  /* POSIX allows either; WASI programs expect ENOTEMPTY */
  return wso_errno(e);
}

/* ENOTDIR when the path ended in '/' but names a non-directory (the *at() calls below act
 * on the name without its slash). */
static int slash_check(const wsb_target *t) {
  struct stat st;
  if (!t->slash) return 0;
  if (fstatat(t->dirfd, t->name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno;
  return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

uint16_t wso_rename(int obase, const char *opath, size_t olen, int nbase, const char *npath,
                    size_t nlen) {
  wsb_target o, n;
  int e = wsb_resolve(obase, opath, olen, false, &o);
  if (e) return wso_errno(e);
  e = wsb_resolve(nbase, npath, nlen, false, &n);
  if (e) {
    wsb_target_free(&o);
    return wso_errno(e);
  }
  e = slash_check(&o);
  if (!e) e = renameat(o.dirfd, o.name, n.dirfd, n.name) == 0 ? 0 : errno;
  wsb_target_free(&o);
  wsb_target_free(&n);
  return wso_errno(e);
}

uint16_t wso_symlink(const char *target, size_t tlen, int base, const char *path,
                     size_t len) {
  if (tlen == 0) return WSO_ENOENT;
  if (tlen > WSB_PATH_MAX) return WSO_ENAMETOOLONG;
  char *tg = malloc(tlen + 1);  /* copied first: shared guest memory may change */
  if (!tg) return WSO_ENOMEM;
  memcpy(tg, target, tlen);
  tg[tlen] = 0;
  if (memchr(tg, 0, tlen)) {
    free(tg);
    return WSO_EINVAL;
  }
  wsb_target t;
  int e = wsb_resolve(base, path, len, false, &t);
  if (!e) {
    e = symlinkat(tg, t.dirfd, t.name) == 0 ? 0 : errno;
    wsb_target_free(&t);
  }
  free(tg);
  return wso_errno(e);
}

uint16_t wso_unlink(int base, const char *path, size_t len) {
  wsb_target t;
  int e = wsb_resolve(base, path, len, false, &t);
  if (e) return wso_errno(e);
  e = slash_check(&t);
  if (!e && t.slash) e = EISDIR;  /* "dir/": a directory is never unlinked as a file */
  if (!e) e = unlinkat(t.dirfd, t.name, 0) == 0 ? 0 : errno;
  wsb_target_free(&t);
  return wso_errno(e);
}

/* WASI filetype of a readdir entry (stat for DT_UNKNOWN). */
static uint8_t dirent_type(DIR *d, const struct dirent *ent) {
  switch (ent->d_type) {
    case DT_REG: return WSO_FT_REG;
    case DT_DIR: return WSO_FT_DIR;
    case DT_LNK: return WSO_FT_SYMLINK;
    case DT_CHR: return WSO_FT_CHAR;
    case DT_BLK: return WSO_FT_BLOCK;
    case DT_SOCK: return WSO_FT_SOCK_STREAM;
    case DT_UNKNOWN: {
      struct stat st;
      if (fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return wso_filetype(st.st_mode);
      return WSO_FT_UNKNOWN;
    }
    default: return WSO_FT_UNKNOWN;
  }
}

uint16_t wso_readdir(int fd, uint8_t *buf, uint32_t cap, uint64_t cookie, uint32_t *used) {
  /* A private open file description per call: concurrent readers of the same WASI fd do
   * not share a position, and cookies are the kernel's own d_off values. */
  int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return wso_errno(errno);
  DIR *d = fdopendir(dfd);
  if (!d) {
    int e = errno;
    close(dfd);
    return wso_errno(e);
  }
  if (cookie) seekdir(d, (long)cookie);
  uint32_t n = 0;
  int e = 0;
  while (n < cap) {
    errno = 0;
    struct dirent *ent = readdir(d);
    if (!ent) {
      e = errno;
      break;
    }
    size_t namlen = strlen(ent->d_name);
    uint8_t rec[WSO_DIRENT_SIZE];
    memset(rec, 0, sizeof rec);
    put64(rec, (uint64_t)ent->d_off);
    put64(rec + 8, (uint64_t)ent->d_ino);
    for (int i = 0; i < 4; i++) rec[16 + i] = (uint8_t)((uint32_t)namlen >> (8 * i));
    rec[20] = dirent_type(d, ent);
    uint32_t k = cap - n < WSO_DIRENT_SIZE ? cap - n : WSO_DIRENT_SIZE;
    memcpy(buf + n, rec, k);
    n += k;
    k = cap - n < namlen ? cap - n : (uint32_t)namlen;
    memcpy(buf + n, ent->d_name, k);
    n += k;
  }
  closedir(d);
  if (e) return wso_errno(e);
  *used = n;
  return WSO_SUCCESS;
}
