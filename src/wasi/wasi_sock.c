/* wasi_sock.c — sock_accept, sock_recv, sock_send, sock_shutdown on fds that are sockets
 * (ENOTSOCK otherwise). Blocking calls wait in stoppable slices (wasi_wait_fd). */
#define _GNU_SOURCE
#include "wasi.h"   /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Looks up a socket fd with rights `need`: EBADF, ENOTSOCK, ENOTCAPABLE or 0 with *e. */
static uint16_t get_sock(wasi_call *c, uint32_t fd, uint64_t need, wasi_fd **e) {
  uint16_t r = wasi_fd_get(&c->ctx->fds, fd, 0, e);
  if (r) return r;
  if ((*e)->filetype != WASI_FT_SOCK_STREAM && (*e)->filetype != WASI_FT_SOCK_DGRAM) r = WASI_ENOTSOCK;
  else if ((atomic_load(&(*e)->rights_base) & need) != need) r = WASI_ENOTCAPABLE;
  if (r) {
    wasi_fd_put(*e);
    *e = NULL;
  }
  return r;
}

/* sock_accept(fd, fdflags, fd_ptr): fdflags may only hold NONBLOCK. */
uint16_t wasih_sock_accept(wasi_call *c, const weft_slot *a) {
  uint32_t flags = a[1].i32;
  wasi_fd *e;
  uint16_t r = get_sock(c, a[0].i32, WASI_R_SOCK_ACCEPT, &e);
  if (r) return r;
  int listening = 0;
  socklen_t ll = sizeof listening;
  if (flags & ~WASI_FDFLAG_NONBLOCK) r = WASI_EINVAL;
  else if (getsockopt(e->host, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ll) != 0 || !listening)
    r = WASI_EINVAL;   /* (waiting for a connection that cannot come would hang) */
  else if (!wasi_mem(c, a[2].i32, 4)) r = WASI_EFAULT;
  else {
    int h;
    do {
      wasi_wait_fd(c, e, POLLIN);
      if (c->trap != WEFT_TRAP_NONE) break;
      h = accept4(e->host, NULL, NULL,
                  SOCK_CLOEXEC | (flags & WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0));
    } while (h < 0 && (errno == EINTR ||
                       (errno == EAGAIN && !(atomic_load(&e->fdflags) & WASI_FDFLAG_NONBLOCK))));
    if (c->trap == WEFT_TRAP_NONE) {
      if (h < 0) r = wasi_errno(errno);
      else {
        uint8_t ft = wasi_filetype_of_fd(h);
        wasi_fd *n = wasi_fd_new(h, ft, wasi_rights_for(ft) & ~WASI_R_SOCK_ACCEPT, 0,
                                 (uint16_t)flags, NULL);
        uint32_t fd = 0;
        if (!n) {
          close(h);
          r = WASI_ENOMEM;
        } else if (!(r = wasi_fd_insert(&c->ctx->fds, n, &fd))) {
          r = wasi_put32(c, a[2].i32, fd);
        }
      }
    }
  }
  wasi_fd_put(e);
  return r;
}

/* sock_recv(fd, iovs, n, riflags, datalen_ptr, roflags_ptr): riflags PEEK 1, WAITALL 2;
 * roflags DATA_TRUNCATED 1. */
uint16_t wasih_sock_recv(wasi_call *c, const weft_slot *a) {
  uint32_t ri = a[3].i32;
  wasi_fd *e;
  uint16_t r = get_sock(c, a[0].i32, WASI_R_FD_READ, &e);
  if (r) return r;
  struct iovec v[WASI_IOV_MAX];
  int n = 0;
  if (ri & ~3u) r = WASI_EINVAL;
  else if (!(r = wasi_iovs(c, a[1].i32, a[2].i32, v, &n)) &&
           (!wasi_mem(c, a[4].i32, 4) || !wasi_mem(c, a[5].i32, 2)))
    r = WASI_EFAULT;
  if (!r) {
    int fl = (ri & 1 ? MSG_PEEK : 0) | (ri & 2 ? MSG_WAITALL : 0);
    struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)n};
    ssize_t got;
    do {
      wasi_wait_fd(c, e, POLLIN);
      if (c->trap != WEFT_TRAP_NONE) break;
      got = recvmsg(e->host, &m, fl);
    } while (got < 0 && errno == EINTR);
    if (c->trap == WEFT_TRAP_NONE) {
      if (got < 0) r = wasi_errno(errno);
      else {
        wasi_put32(c, a[4].i32, (uint32_t)got);
        wasi_st16(wasi_mem(c, a[5].i32, 2), m.msg_flags & MSG_TRUNC ? 1 : 0);
      }
    }
  }
  wasi_fd_put(e);
  return r;
}

/* sock_send(fd, iovs, n, siflags, datalen_ptr): no siflags are defined (must be 0). */
uint16_t wasih_sock_send(wasi_call *c, const weft_slot *a) {
  wasi_fd *e;
  uint16_t r = get_sock(c, a[0].i32, WASI_R_FD_WRITE, &e);
  if (r) return r;
  struct iovec v[WASI_IOV_MAX];
  int n = 0;
  if (a[3].i32 != 0) r = WASI_EINVAL;
  else if (!(r = wasi_iovs(c, a[1].i32, a[2].i32, v, &n)) && !wasi_mem(c, a[4].i32, 4))
    r = WASI_EFAULT;
  if (!r) {
    struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)n};
    ssize_t got;
    do {
      wasi_wait_fd(c, e, POLLOUT);
      if (c->trap != WEFT_TRAP_NONE) break;
      got = sendmsg(e->host, &m, MSG_NOSIGNAL);
    } while (got < 0 && errno == EINTR);
    if (c->trap == WEFT_TRAP_NONE)
      r = got < 0 ? wasi_errno(errno) : wasi_put32(c, a[4].i32, (uint32_t)got);
  }
  wasi_fd_put(e);
  return r;
}

/* sock_shutdown(fd, how): how RD 1, WR 2 (both 3). */
uint16_t wasih_sock_shutdown(wasi_call *c, const weft_slot *a) {
  uint32_t how = a[1].i32;
  wasi_fd *e;
  uint16_t r = get_sock(c, a[0].i32, WASI_R_SOCK_SHUTDOWN, &e);
  if (r) return r;
  if (how == 0 || how > 3) r = WASI_EINVAL;
  else {
    int h = how == 1 ? SHUT_RD : how == 2 ? SHUT_WR : SHUT_RDWR;
    r = shutdown(e->host, h) == 0 ? 0 : wasi_errno(errno);
  }
  wasi_fd_put(e);
  return r;
}
