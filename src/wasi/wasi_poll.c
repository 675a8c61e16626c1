/* wasi_poll.c — poll_oneoff: clock subscriptions (relative or absolute, any of the four
 * clocks) and fd_read/fd_write subscriptions, waited for with poll(2) in slices that check
 * for a stop request, so a program that ends wakes a thread blocked here.
 *
 * Layouts: subscription (48 bytes) userdata u64 @0, tag u8 @8, clock {id u32 @16, timeout
 * u64 @24, precision u64 @32, flags u16 @40} or fd_readwrite {fd u32 @16}; event (32 bytes)
 * userdata u64 @0, error u16 @8, type u8 @10, fd_readwrite {nbytes u64 @16, flags u16
 * @24}. */
#define _GNU_SOURCE
#include "wasi.h"   /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUB_SIZE 48
#define EVT_SIZE 32
#define EV_CLOCK 0
#define EV_FD_READ 1
#define EV_FD_WRITE 2
#define EV_HANGUP 1

/* One subscription, copied out of guest memory. */
typedef struct {
  uint64_t userdata;
  uint8_t tag;
  uint16_t error;                /* non-zero: reported at once with this error */
  uint64_t deadline;             /* clock: monotonic ns when it fires */
  wasi_fd *fd;                   /* fd subscriptions: the referenced entry */
  int pidx;                      /* its index in the pollfd array, -1 for none */
} sub;

/* Fills an event for s with error err (and for fd events nbytes and flags). */
static void put_event(uint8_t *ev, const sub *s, uint16_t err, uint64_t nbytes, uint16_t fl) {
  memset(ev, 0, EVT_SIZE);
  wasi_st64(ev, s->userdata);
  wasi_st16(ev + 8, err);
  ev[10] = s->tag;
  wasi_st64(ev + 16, nbytes);
  wasi_st16(ev + 24, fl);
}

/* Bytes available on a ready fd: FIONREAD, or what lies beyond the position of a file. */
static uint64_t avail(const wasi_fd *e, bool read) {
  if (!read) return 0;
  int n = 0;
  if (e->filetype == WASI_FT_REG) {
    struct stat st;
    off_t pos = lseek(e->host, 0, SEEK_CUR);
    if (fstat(e->host, &st) == 0 && pos >= 0 && st.st_size > pos)
      return (uint64_t)(st.st_size - pos);
    return 0;
  }
  return ioctl(e->host, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

/* Decodes subscription i at p into s (taking fd references). */
static void decode(wasi_call *c, const uint8_t *p, sub *s, uint64_t now) {
  memset(s, 0, sizeof *s);
  s->pidx = -1;
  s->userdata = wasi_ld64(p);
  s->tag = p[8];
  if (s->tag == EV_CLOCK) {
    uint32_t id = wasi_ld32(p + 16);
    uint64_t timeout = wasi_ld64(p + 24), t = 0;
    uint16_t flags = (uint16_t)(p[40] | p[41] << 8);
    if (wasi_clock_now(id, &t) != 0) {
      s->error = WASI_EINVAL;
      return;
    }
    uint64_t rel = flags & 1 ? (timeout > t ? timeout - t : 0) : timeout;
    s->deadline = rel > UINT64_MAX - now ? UINT64_MAX : now + rel;
  } else if (s->tag == EV_FD_READ || s->tag == EV_FD_WRITE) {
    s->error = wasi_fd_get(&c->ctx->fds, wasi_ld32(p + 16), WASI_R_POLL_FD_READWRITE, &s->fd);
  } else {
    s->error = WASI_EINVAL;
  }
}

uint16_t wasih_poll_oneoff(wasi_call *c, const weft_slot *a) {
  uint32_t nsubs = a[2].i32;
  if (nsubs == 0) return WASI_EINVAL;
  const uint8_t *in = wasi_mem(c, a[0].i32, (uint64_t)nsubs * SUB_SIZE);
  uint8_t *out = wasi_mem(c, a[1].i32, (uint64_t)nsubs * EVT_SIZE);
  if (!in || !out || !wasi_mem(c, a[3].i32, 4)) return WASI_EFAULT;
  sub *subs = calloc(nsubs, sizeof *subs);
  struct pollfd *pfd = calloc(nsubs, sizeof *pfd);
  if (!subs || !pfd) {
    free(subs);
    free(pfd);
    return WASI_ENOMEM;
  }
  uint64_t now = 0;
  wasi_clock_now(1, &now);
  uint32_t npfd = 0, nev = 0;
  bool immediate = false;
  for (uint32_t i = 0; i < nsubs; i++) {
    sub *s = &subs[i];
    decode(c, in + (uint64_t)i * SUB_SIZE, s, now);
    if (s->error) immediate = true;
    else if (s->fd) {
      s->pidx = (int)npfd;
      pfd[npfd++] = (struct pollfd){.fd = s->fd->host,
                                    .events = s->tag == EV_FD_READ ? POLLIN : POLLOUT};
    }
  }
  for (;;) {
    uint64_t first = UINT64_MAX;
    for (uint32_t i = 0; i < nsubs; i++)
      if (!subs[i].error && subs[i].tag == EV_CLOCK && subs[i].deadline < first)
        first = subs[i].deadline;
    wasi_clock_now(1, &now);
    int ms = WASI_STOP_SLICE_MS;
    if (immediate || first <= now) ms = 0;
    else if (first - now < (uint64_t)ms * 1000000u) ms = (int)((first - now + 999999) / 1000000);
    int r = poll(pfd, npfd, ms);
    if (r < 0 && errno != EINTR) {
      immediate = true;   /* report every fd subscription with the error */
      for (uint32_t i = 0; i < nsubs; i++)
        if (subs[i].fd) subs[i].error = wasi_errno(errno);
    }
    wasi_clock_now(1, &now);
    bool clock_due = first <= now;
    if (r > 0 || immediate || clock_due) break;
    if (wasi_stop_requested(c)) break;
  }
  if (c->trap == WEFT_TRAP_NONE) {
    for (uint32_t i = 0; i < nsubs; i++) {
      sub *s = &subs[i];
      uint8_t *ev = out + (uint64_t)nev * EVT_SIZE;
      if (s->error) put_event(ev, s, s->error, 0, 0), nev++;
      else if (s->tag == EV_CLOCK && s->deadline <= now) put_event(ev, s, 0, 0, 0), nev++;
      else if (s->fd && pfd[s->pidx].revents) {
        short rv = pfd[s->pidx].revents;
        uint16_t err = rv & POLLNVAL ? WASI_EBADF : 0;
        put_event(ev, s, err, avail(s->fd, s->tag == EV_FD_READ), rv & POLLHUP ? EV_HANGUP : 0);
        nev++;
      }
    }
    wasi_put32(c, a[3].i32, nev);
  }
  for (uint32_t i = 0; i < nsubs; i++) wasi_fd_put(subs[i].fd);
  free(subs);
  free(pfd);
  return 0;
}
