/* wasi_fdio.c — data transfer on fds: fd_read, fd_write, fd_pread, fd_pwrite, fd_seek,
 * fd_tell, with the shared iovec validation and the stoppable wait for blocking fds. */
#define _GNU_SOURCE
#include "wasi.h"   /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

uint16_t wasi_iovs(wasi_call *c, uint32_t iovs, uint32_t n, struct iovec *out, int *nout) {
  const uint8_t *arr = wasi_mem(c, iovs, (uint64_t)n * 8);
  if (!arr) return WASI_EFAULT;
  int k = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = wasi_ld32(arr + 8 * (uint64_t)i), len = wasi_ld32(arr + 8 * (uint64_t)i + 4);
    uint8_t *p = wasi_mem(c, buf, len);
    if (!p) return WASI_EFAULT;
    if (k < WASI_IOV_MAX) out[k++] = (struct iovec){p, len};
  }
  *nout = k;
  return 0;
}

uint16_t wasi_wait_fd(wasi_call *c, wasi_fd *e, short events) {
  if (e->filetype == WASI_FT_REG || e->filetype == WASI_FT_DIR ||
      (atomic_load(&e->fdflags) & WASI_FDFLAG_NONBLOCK))
    return 0;
  for (;;) {
    if (wasi_stop_requested(c)) return 0;
    struct pollfd p = {.fd = e->host, .events = events};
    int r = poll(&p, 1, WASI_STOP_SLICE_MS);
    if (r > 0) return 0;   /* ready, hung up or in error: the transfer reports which */
    if (r < 0 && errno != EINTR) return 0;
  }
}

/* writev/pwritev that never raises SIGPIPE in the host: SIGPIPE is blocked on this thread
 * for the call and a SIGPIPE it caused is consumed; the guest sees EPIPE. */
static ssize_t write_nosig(int fd, const struct iovec *v, int n, bool at, uint64_t off) {
  sigset_t pipe, old, pending;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE);
  ssize_t r = at ? pwritev(fd, v, n, (off_t)off) : writev(fd, v, n);
  int err = errno;
  if (r < 0 && err == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    sigtimedwait(&pipe, NULL, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  errno = err;
  return r;
}

/* The four transfers: read/write, at the current position or at an offset. */
static uint16_t xfer(wasi_call *c, const weft_slot *a, bool write, bool at) {
  wasi_fd *e;
  uint64_t need = write ? WASI_R_FD_WRITE : WASI_R_FD_READ;
  if (at) need |= WASI_R_FD_SEEK;
  uint16_t r = wasi_fd_get(&c->ctx->fds, a[0].i32, need, &e);
  if (r) return r;
  uint32_t pout = at ? a[4].i32 : a[3].i32;
  uint64_t off = at ? a[3].i64 : 0;
  struct iovec v[WASI_IOV_MAX];
  int n = 0;
  r = wasi_iovs(c, a[1].i32, a[2].i32, v, &n);
  if (!r && !wasi_mem(c, pout, 4)) r = WASI_EFAULT;
  if (!r && at && off > INT64_MAX) r = WASI_EINVAL;
  if (!r && e->filetype == WASI_FT_DIR) r = WASI_EISDIR;
  if (!r && !at) wasi_wait_fd(c, e, write ? POLLOUT : POLLIN);
  ssize_t got = 0;
  if (!r && c->trap == WEFT_TRAP_NONE) {
    do {
      if (write) got = write_nosig(e->host, v, n, at, off);
      else got = at ? preadv(e->host, v, n, (off_t)off) : readv(e->host, v, n);
    } while (got < 0 && errno == EINTR && !wasi_stop_requested(c));
    if (got < 0) r = wasi_errno(errno);
    else r = wasi_put32(c, pout, (uint32_t)got);
  }
  wasi_fd_put(e);
  return r;
}

uint16_t wasih_fd_read(wasi_call *c, const weft_slot *a) { return xfer(c, a, false, false); }
uint16_t wasih_fd_write(wasi_call *c, const weft_slot *a) { return xfer(c, a, true, false); }
uint16_t wasih_fd_pread(wasi_call *c, const weft_slot *a) { return xfer(c, a, false, true); }
uint16_t wasih_fd_pwrite(wasi_call *c, const weft_slot *a) { return xfer(c, a, true, true); }

/* fd_seek(fd, offset, whence, newoffset_ptr). Asking for the position only (0, CUR) needs
 * fd_tell or fd_seek; moving needs fd_seek. */
uint16_t wasih_fd_seek(wasi_call *c, const weft_slot *a) {
  int64_t off = (int64_t)a[1].i64;
  uint32_t whence = a[2].i32 & 0xFF, pout = a[3].i32;
  bool tell_only = off == 0 && whence == 1;
  wasi_fd *e;
  uint16_t r = wasi_fd_get(&c->ctx->fds, a[0].i32, 0, &e);
  if (r) return r;
  uint64_t have = atomic_load(&e->rights_base);
  int hw = whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : whence == 2 ? SEEK_END : -1;
  if (!(have & WASI_R_FD_SEEK) && !(tell_only && (have & WASI_R_FD_TELL))) r = WASI_ENOTCAPABLE;
  else if (hw < 0 || a[2].i32 > 0xFF) r = WASI_EINVAL;
  else if (!wasi_mem(c, pout, 8)) r = WASI_EFAULT;
  else {
    off_t pos = lseek(e->host, (off_t)off, hw);
    r = pos < 0 ? wasi_errno(errno) : wasi_put64(c, pout, (uint64_t)pos);
  }
  wasi_fd_put(e);
  return r;
}

/* fd_tell(fd, offset_ptr). */
uint16_t wasih_fd_tell(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = wasi_fd_get(&c->ctx->fds, a[0].i32, WASI_R_FD_TELL, &e);
  if (r) return r;
  if (!wasi_mem(c, a[1].i32, 8)) r = WASI_EFAULT;
  else {
    off_t pos = lseek(e->host, 0, SEEK_CUR);
    r = pos < 0 ? wasi_errno(errno) : wasi_put64(c, a[1].i32, (uint64_t)pos);
  }
  wasi_fd_put(e);
  return r;
}
