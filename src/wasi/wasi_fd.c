/* wasi_fd.c — fd metadata and management: fd_close, fd_renumber, fd_fdstat_get,
 * fd_fdstat_set_flags, fd_fdstat_set_rights, fd_prestat_get, fd_prestat_dir_name,
 * fd_advise, fd_allocate, fd_datasync, fd_sync, fd_filestat_get, fd_filestat_set_size,
 * fd_filestat_set_times. */
#define _GNU_SOURCE
#include "wasi.h"   /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sandbox_ops.h"

/* Looks up a[0] with rights `need` into *e (0) or returns the errno. */
static uint16_t get(wasi_call *c, const weft_slot *a, uint64_t need, wasi_fd **e) {
  return wasi_fd_get(&c->ctx->fds, a[0].i32, need, e);
}

uint16_t wasih_fd_close(wasi_call *c, const weft_slot *a) {
  return wasi_fd_remove(&c->ctx->fds, a[0].i32);
}

uint16_t wasih_fd_renumber(wasi_call *c, const weft_slot *a) {
  return wasi_fd_renumber(&c->ctx->fds, a[0].i32, a[1].i32);
}

/* fd_fdstat_get(fd, fdstat_ptr): filetype u8 @0, flags u16 @2, rights u64 @8 and @16. */
uint16_t wasih_fd_fdstat_get(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, 0, &e);
  if (r) return r;
  uint8_t *p = wasi_mem(c, a[1].i32, 24);
  if (p) {
    uint16_t flags = atomic_load(&e->fdflags) & ~(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK);
    int fl = fcntl(e->host, F_GETFL);
    if (fl >= 0 && (fl & O_APPEND)) flags |= WASI_FDFLAG_APPEND;
    if (fl >= 0 && (fl & O_NONBLOCK)) flags |= WASI_FDFLAG_NONBLOCK;
    memset(p, 0, 24);
    p[0] = e->filetype;
    wasi_st16(p + 2, flags);
    wasi_st64(p + 8, atomic_load(&e->rights_base));
    wasi_st64(p + 16, atomic_load(&e->rights_inh));
  }
  wasi_fd_put(e);
  return p ? 0 : WASI_EFAULT;
}

/* fd_fdstat_set_flags(fd, flags): APPEND and NONBLOCK are changed on the host fd; the sync
 * flags cannot be changed after opening on Linux (ENOTSUP); unknown bits are EINVAL. */
uint16_t wasih_fd_fdstat_set_flags(wasi_call *c, const weft_slot *a) {
  uint32_t want = a[1].i32;
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_FDSTAT_SET_FLAGS, &e);
  if (r) return r;
  uint16_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
  int fl = fcntl(e->host, F_GETFL);
  if (want & ~0x1Fu) r = WASI_EINVAL;
  else if ((want & sync) != (atomic_load(&e->fdflags) & sync)) r = WASI_ENOTSUP;
  else if (fl < 0) r = wasi_errno(errno);
  else {
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (want & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (want & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    if (fcntl(e->host, F_SETFL, fl) != 0) r = wasi_errno(errno);
    else atomic_store(&e->fdflags, (uint16_t)want);
  }
  wasi_fd_put(e);
  return r;
}

/* fd_fdstat_set_rights(fd, base, inheriting): rights only ever shrink (ENOTCAPABLE when
 * asked to grow); concurrent calls combine by intersection. */
uint16_t wasih_fd_fdstat_set_rights(wasi_call *c, const weft_slot *a) {
  uint64_t base = a[1].i64, inh = a[2].i64;
  wasi_fd *e;
  uint16_t r = get(c, a, 0, &e);
  if (r) return r;
  if ((base & ~atomic_load(&e->rights_base)) || (inh & ~atomic_load(&e->rights_inh))) {
    r = WASI_ENOTCAPABLE;
  } else {
    atomic_fetch_and(&e->rights_base, base);
    atomic_fetch_and(&e->rights_inh, inh);
  }
  wasi_fd_put(e);
  return r;
}

/* fd_prestat_get(fd, prestat_ptr): tag u8 @0 (0 = dir), name length u32 @4; EBADF for an
 * fd that is not a preopened directory. */
uint16_t wasih_fd_prestat_get(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, 0, &e);
  if (r) return r;
  uint8_t *p = wasi_mem(c, a[1].i32, 8);
  if (!e->preopen) r = WASI_EBADF;
  else if (!p) r = WASI_EFAULT;
  else {
    memset(p, 0, 8);
    wasi_st32(p + 4, e->preopen_len);
  }
  wasi_fd_put(e);
  return r;
}

/* fd_prestat_dir_name(fd, buf, len): the name without a NUL; ENAMETOOLONG when len is
 * shorter than the name. */
uint16_t wasih_fd_prestat_dir_name(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, 0, &e);
  if (r) return r;
  uint32_t len = a[2].i32;
  uint8_t *p = wasi_mem(c, a[1].i32, len);
  if (!e->preopen) r = WASI_EBADF;
  else if (!p) r = WASI_EFAULT;
  else if (len < e->preopen_len) r = WASI_ENAMETOOLONG;
  else memcpy(p, e->preopen, e->preopen_len);
  wasi_fd_put(e);
  return r;
}

/* fd_advise(fd, offset, len, advice). */
uint16_t wasih_fd_advise(wasi_call *c, const weft_slot *a) {
  static const int adv[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                            POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_ADVISE, &e);
  if (r) return r;
  uint32_t advice = a[3].i32;
  if (advice > 5 || a[1].i64 > INT64_MAX || a[2].i64 > INT64_MAX) r = WASI_EINVAL;
  else if (e->filetype == WASI_FT_DIR) r = WASI_EBADF;
  else {
    int err = posix_fadvise(e->host, (off_t)a[1].i64, (off_t)a[2].i64, adv[advice]);
    r = err == ESPIPE ? WASI_ESPIPE : wasi_errno(err);
  }
  wasi_fd_put(e);
  return r;
}

/* fd_allocate(fd, offset, len). */
uint16_t wasih_fd_allocate(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_ALLOCATE, &e);
  if (r) return r;
  uint64_t off = a[1].i64, len = a[2].i64;
  if (len == 0 || off > INT64_MAX || len > INT64_MAX - off) r = WASI_EINVAL;
  else r = wasi_errno(posix_fallocate(e->host, (off_t)off, (off_t)len));
  wasi_fd_put(e);
  return r;
}

uint16_t wasih_fd_datasync(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_DATASYNC, &e);
  if (r) return r;
  r = fdatasync(e->host) == 0 ? 0 : wasi_errno(errno);
  wasi_fd_put(e);
  return r;
}

uint16_t wasih_fd_sync(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_SYNC, &e);
  if (r) return r;
  r = fsync(e->host) == 0 ? 0 : wasi_errno(errno);
  wasi_fd_put(e);
  return r;
}

/* fd_filestat_get(fd, filestat_ptr): 64 bytes in the spec's layout. */
uint16_t wasih_fd_filestat_get(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_FILESTAT_GET, &e);
  if (r) return r;
  uint8_t *p = wasi_mem(c, a[1].i32, WSO_FILESTAT_SIZE);
  struct stat st;
  if (!p) r = WASI_EFAULT;
  else if (fstat(e->host, &st) != 0) r = wasi_errno(errno);
  else {
    uint8_t buf[WSO_FILESTAT_SIZE];
    wso_filestat_encode(&st, buf);
    buf[16] = e->filetype == WASI_FT_SOCK_DGRAM ? WASI_FT_SOCK_DGRAM : buf[16];
    memcpy(p, buf, sizeof buf);
  }
  wasi_fd_put(e);
  return r;
}

uint16_t wasih_fd_filestat_set_size(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_FILESTAT_SET_SIZE, &e);
  if (r) return r;
  if (a[1].i64 > INT64_MAX) r = WASI_EINVAL;
  else r = ftruncate(e->host, (off_t)a[1].i64) == 0 ? 0 : wasi_errno(errno);
  wasi_fd_put(e);
  return r;
}

/* A timespec for one of fd_filestat_set_times' two times: given (set), now, or unchanged;
 * false when both set and now are asked (EINVAL). */
static bool one_time(uint64_t ns, bool set, bool now, struct timespec *ts) {
  if (set && now) return false;
  if (now) *ts = (struct timespec){0, UTIME_NOW};
  else if (set) *ts = (struct timespec){(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
  else *ts = (struct timespec){0, UTIME_OMIT};
  return true;
}

/* fd_filestat_set_times(fd, atim, mtim, fstflags). */
uint16_t wasih_fd_filestat_set_times(wasi_call *c, const weft_slot *a) {
  uint32_t fl = a[3].i32;
  wasi_fd *e;
  uint16_t r = get(c, a, WASI_R_FD_FILESTAT_SET_TIMES, &e);
  if (r) return r;
  struct timespec ts[2];
  if ((fl & ~0xFu) || !one_time(a[1].i64, fl & 1, fl & 2, &ts[0]) ||
      !one_time(a[2].i64, fl & 4, fl & 8, &ts[1]))
    r = WASI_EINVAL;
  else r = futimens(e->host, ts) == 0 ? 0 : wasi_errno(errno);
  wasi_fd_put(e);
  return r;
}
