/* test_wasi_core.c — the WASI core handlers (src/wasi/) called with argument slots on a
 * 64 KiB fake linear memory: guest pointer validation (EFAULT, never a trap), args and
 * environ layout, clocks, random_get, fd_write/fd_read/pread/pwrite/seek/tell on pipes and a
 * scratch file, fdstat and shrink-only rights, prestat, poll_oneoff clock and fd
 * subscriptions, the socket functions (ENOTSOCK on a pipe, a socketpair round trip), and a
 * blocking fd_read that a stop request ends with "terminated". */
#include "wasi/wasi.h"  /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include "runtime/exec.h"
#include "wtest.h"
#include <unistd.h>

#define MEM 65536u
static uint8_t *m;          /* the fake memory's bytes */
static wmemory mem;
static wasi_call c;

#define I(v) ((weft_slot){.i32 = (uint32_t)(v)})
#define L(v) ((weft_slot){.i64 = (uint64_t)(v)})
enum { IOV = 0x100, OUT = 0x200, BUF = 0x1000, ARR = 0x3000 };

/* Guest fd for a host fd (the table takes it) with the rights weft gives its type. */
static uint32_t add(int host) {
  uint8_t ft = wasi_filetype_of_fd(host);
  uint32_t fd = 0;
  CHECK_EQ(wasi_fd_insert(&c.ctx->fds, wasi_fd_new(host, ft, wasi_rights_for(ft), 0, 0, NULL), &fd), 0);
  return fd;
}

/* One iovec at IOV pointing at BUF with len bytes. */
static void iov(uint32_t len) {
  wasi_st32(m + IOV, BUF);
  wasi_st32(m + IOV + 4, len);
}

static void memory_rule(void) {
  CHECK(wasi_mem(&c, MEM - 4, 4) == m + MEM - 4);
  CHECK(wasi_mem(&c, MEM, 0) != NULL);
  CHECK(wasi_mem(&c, MEM - 4, 5) == NULL);
  CHECK(wasi_mem(&c, MEM + 1, 0) == NULL);
  CHECK(wasi_mem(&c, 1, UINT64_MAX) == NULL);
  CHECK(wasi_mem(&c, UINT32_MAX, 1) == NULL);
  CHECK_EQ(wasi_put32(&c, MEM - 3, 1), WASI_EFAULT);
  CHECK_EQ(wasi_put64(&c, MEM - 8, 1), 0);
  wasi_call nomem = c;
  nomem.mem = NULL;
  CHECK(wasi_mem(&nomem, 0, 0) == NULL);
}

static void args_env(void) {
  weft_slot a[2] = {I(OUT), I(OUT + 4)};
  CHECK_EQ(wasih_args_sizes_get(&c, a), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 2);
  CHECK_EQ(wasi_ld32(m + OUT + 4), 9);   /* "prog\0" "a b\0" */
  weft_slot g[2] = {I(ARR), I(BUF)};
  CHECK_EQ(wasih_args_get(&c, g), 0);
  CHECK_STR((char *)m + wasi_ld32(m + ARR), "prog");
  CHECK_STR((char *)m + wasi_ld32(m + ARR + 4), "a b");
  weft_slot bad[2] = {I(MEM - 4), I(BUF)};
  CHECK_EQ(wasih_args_get(&c, bad), WASI_EFAULT);
  weft_slot bad2[2] = {I(ARR), I(MEM - 3)};
  CHECK_EQ(wasih_args_get(&c, bad2), WASI_EFAULT);
  CHECK_EQ(wasih_environ_sizes_get(&c, a), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 1);
  CHECK_EQ(wasi_ld32(m + OUT + 4), 6);
  CHECK_EQ(wasih_environ_get(&c, g), 0);
  CHECK_STR((char *)m + wasi_ld32(m + ARR), "K=V=W");
  weft_slot far[2] = {I(MEM), I(OUT)};
  CHECK_EQ(wasih_environ_sizes_get(&c, far), WASI_EFAULT);
}

static void clocks_random(void) {
  for (uint32_t id = 0; id < 4; id++) {
    weft_slot a[3] = {I(id), L(1), I(OUT)};
    memset(m + OUT, 0, 8);
    CHECK_EQ(wasih_clock_time_get(&c, a), 0);
    CHECK(wasi_ld64(m + OUT) != 0);
    weft_slot r[2] = {I(id), I(OUT)};
    CHECK_EQ(wasih_clock_res_get(&c, r), 0);
  }
  weft_slot a[3] = {I(4), L(1), I(OUT)};
  CHECK_EQ(wasih_clock_time_get(&c, a), WASI_EINVAL);
  weft_slot b[3] = {I(1), L(1), I(MEM - 4)};
  CHECK_EQ(wasih_clock_time_get(&c, b), WASI_EFAULT);
  memset(m + BUF, 0, 64);
  weft_slot r[2] = {I(BUF), I(64)};
  CHECK_EQ(wasih_random_get(&c, r), 0);
  int nz = 0;
  for (int i = 0; i < 64; i++) nz += m[BUF + i] != 0;
  CHECK(nz > 32);
  weft_slot rb[2] = {I(MEM - 10), I(11)};
  CHECK_EQ(wasih_random_get(&c, rb), WASI_EFAULT);
  CHECK_EQ(wasih_sched_yield(&c, NULL), 0);
  weft_slot pr[1] = {I(2)};
  CHECK_EQ(wasih_proc_raise(&c, pr), WASI_ENOSYS);
}

/* fd_write then fd_read through a pipe; rights, EFAULT and EBADF paths; fdstat. */
static void pipes(void) {
  int p[2];
  if (pipe(p) != 0) return;
  uint32_t rfd = add(p[0]), wfd = add(p[1]);
  memcpy(m + BUF, "hello", 5);
  iov(5);
  weft_slot w[4] = {I(wfd), I(IOV), I(1), I(OUT)};
  CHECK_EQ(wasih_fd_write(&c, w), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 5);
  memset(m + BUF, 0, 16);
  iov(16);
  weft_slot r[4] = {I(rfd), I(IOV), I(1), I(OUT)};
  CHECK_EQ(wasih_fd_read(&c, r), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 5);
  CHECK(memcmp(m + BUF, "hello", 5) == 0);
  /* a buffer running off memory, an iovec array off memory, a bad result pointer */
  wasi_st32(m + IOV, MEM - 2);
  wasi_st32(m + IOV + 4, 3);
  CHECK_EQ(wasih_fd_write(&c, w), WASI_EFAULT);
  weft_slot w2[4] = {I(wfd), I(MEM - 4), I(1), I(OUT)};
  CHECK_EQ(wasih_fd_write(&c, w2), WASI_EFAULT);
  iov(1);
  weft_slot w3[4] = {I(wfd), I(IOV), I(1), I(MEM)};
  CHECK_EQ(wasih_fd_write(&c, w3), WASI_EFAULT);
  weft_slot wb[4] = {I(77), I(IOV), I(1), I(OUT)};
  CHECK_EQ(wasih_fd_write(&c, wb), WASI_EBADF);
  /* pipes do not seek (no rights for it) and are not preopens */
  weft_slot s[4] = {I(rfd), L(0), I(0), I(OUT)};
  CHECK_EQ(wasih_fd_seek(&c, s), WASI_ENOTCAPABLE);
  weft_slot ps[2] = {I(rfd), I(OUT)};
  CHECK_EQ(wasih_fd_prestat_get(&c, ps), WASI_EBADF);
  /* fdstat, then rights only shrink */
  weft_slot fs[2] = {I(wfd), I(OUT)};
  CHECK_EQ(wasih_fd_fdstat_get(&c, fs), 0);
  uint64_t base = wasi_ld64(m + OUT + 8);
  CHECK(base & WASI_R_FD_WRITE);
  CHECK(!(base & WASI_R_FD_SEEK));
  weft_slot grow[3] = {I(wfd), L(base | WASI_R_FD_SEEK), L(0)};
  CHECK_EQ(wasih_fd_fdstat_set_rights(&c, grow), WASI_ENOTCAPABLE);
  weft_slot shrink[3] = {I(wfd), L(base & ~WASI_R_FD_WRITE), L(0)};
  CHECK_EQ(wasih_fd_fdstat_set_rights(&c, shrink), 0);
  iov(1);
  CHECK_EQ(wasih_fd_write(&c, w), WASI_ENOTCAPABLE);
  /* nonblocking read of an empty pipe: EAGAIN */
  weft_slot nb[2] = {I(rfd), I(WASI_FDFLAG_NONBLOCK)};
  CHECK_EQ(wasih_fd_fdstat_set_flags(&c, nb), 0);
  CHECK_EQ(wasih_fd_read(&c, r), WASI_EAGAIN);
  weft_slot badfl[2] = {I(rfd), I(0x40)};
  CHECK_EQ(wasih_fd_fdstat_set_flags(&c, badfl), WASI_EINVAL);
  /* socket functions refuse a pipe */
  weft_slot sh[2] = {I(rfd), I(3)};
  CHECK_EQ(wasih_sock_shutdown(&c, sh), WASI_ENOTSOCK);
  weft_slot cl[1] = {I(rfd)};
  CHECK_EQ(wasih_fd_close(&c, cl), 0);
  CHECK_EQ(wasih_fd_close(&c, cl), WASI_EBADF);
  weft_slot cw[1] = {I(wfd)};
  CHECK_EQ(wasih_fd_close(&c, cw), 0);
}

/* A scratch file: pwrite/pread/seek/tell/filestat/set_size/allocate/advise/sync. */
static void files(void) {
  char path[600];
  wt_scratch_template(path, sizeof path, "wasi-core");
  int h = mkstemp(path);
  if (h < 0) {
    WT_RECORD(0, "cannot create a scratch file under $TMPDIR (%s)", path);
    return;
  }
  unlink(path);
  uint32_t fd = add(h);
  memcpy(m + BUF, "abcdef", 6);
  iov(6);
  weft_slot pw[5] = {I(fd), I(IOV), I(1), L(10), I(OUT)};
  CHECK_EQ(wasih_fd_pwrite(&c, pw), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 6);
  weft_slot t[2] = {I(fd), I(OUT)};
  CHECK_EQ(wasih_fd_tell(&c, t), 0);
  CHECK_EQ(wasi_ld64(m + OUT), 0);   /* pwrite leaves the position */
  memset(m + BUF, 0, 8);
  iov(3);
  weft_slot pr[5] = {I(fd), I(IOV), I(1), L(12), I(OUT)};
  CHECK_EQ(wasih_fd_pread(&c, pr), 0);
  CHECK(memcmp(m + BUF, "cde", 3) == 0);
  weft_slot se[4] = {I(fd), L(-2), I(2), I(OUT)};
  CHECK_EQ(wasih_fd_seek(&c, se), 0);
  CHECK_EQ(wasi_ld64(m + OUT), 14);
  weft_slot sbad[4] = {I(fd), L(0), I(3), I(OUT)};
  CHECK_EQ(wasih_fd_seek(&c, sbad), WASI_EINVAL);
  weft_slot sneg[4] = {I(fd), L(-100), I(0), I(OUT)};
  CHECK_EQ(wasih_fd_seek(&c, sneg), WASI_EINVAL);
  weft_slot st[2] = {I(fd), I(OUT)};
  CHECK_EQ(wasih_fd_filestat_get(&c, st), 0);
  CHECK_EQ(m[OUT + 16], WASI_FT_REG);
  CHECK_EQ(wasi_ld64(m + OUT + 32), 16);
  weft_slot sz[2] = {I(fd), L(4)};
  CHECK_EQ(wasih_fd_filestat_set_size(&c, sz), 0);
  CHECK_EQ(wasih_fd_filestat_get(&c, st), 0);
  CHECK_EQ(wasi_ld64(m + OUT + 32), 4);
  weft_slot al[3] = {I(fd), L(0), L(100)};
  CHECK_EQ(wasih_fd_allocate(&c, al), 0);
  weft_slot ad[4] = {I(fd), L(0), L(0), I(9)};
  CHECK_EQ(wasih_fd_advise(&c, ad), WASI_EINVAL);
  ad[3] = I(1);
  CHECK_EQ(wasih_fd_advise(&c, ad), 0);
  weft_slot sy[1] = {I(fd)};
  CHECK_EQ(wasih_fd_sync(&c, sy), 0);
  CHECK_EQ(wasih_fd_datasync(&c, sy), 0);
  weft_slot tm[4] = {I(fd), L(5), L(0), I(1 | 2)};
  CHECK_EQ(wasih_fd_filestat_set_times(&c, tm), WASI_EINVAL);
  tm[3] = I(1 | 8);
  CHECK_EQ(wasih_fd_filestat_set_times(&c, tm), 0);
  CHECK_EQ(wasih_fd_filestat_get(&c, st), 0);
  CHECK_EQ(wasi_ld64(m + OUT + 40), 5);   /* atim */
  weft_slot rn[2] = {I(fd), I(0)};
  CHECK_EQ(wasih_fd_renumber(&c, rn), 0);   /* onto stdin's number */
  weft_slot st0[2] = {I(0), I(OUT)};
  CHECK_EQ(wasih_fd_filestat_get(&c, st0), 0);
  CHECK_EQ(wasi_ld64(m + OUT + 32), 100);
  weft_slot cl[1] = {I(0)};
  CHECK_EQ(wasih_fd_close(&c, cl), 0);
}

/* poll_oneoff: a relative clock, an absolute one already past, a readable pipe. */
static void poll_subs(void) {
  enum { SUBS = 0x4000, EVS = 0x5000 };
  memset(m + SUBS, 0, 48 * 2);
  wasi_st64(m + SUBS, 42);
  m[SUBS + 8] = 0;
  wasi_st32(m + SUBS + 16, 1);
  wasi_st64(m + SUBS + 24, 20000000);   /* 20 ms */
  uint64_t t0 = 0, t1 = 0;
  wasi_clock_now(1, &t0);
  weft_slot a[4] = {I(SUBS), I(EVS), I(1), I(OUT)};
  CHECK_EQ(wasih_poll_oneoff(&c, a), 0);
  wasi_clock_now(1, &t1);
  CHECK_EQ(wasi_ld32(m + OUT), 1);
  CHECK_EQ(wasi_ld64(m + EVS), 42);
  CHECK_EQ(m[EVS + 10], 0);
  CHECK(t1 - t0 >= 19000000);
  weft_slot z[4] = {I(SUBS), I(EVS), I(0), I(OUT)};
  CHECK_EQ(wasih_poll_oneoff(&c, z), WASI_EINVAL);
  weft_slot f[4] = {I(SUBS), I(MEM - 16), I(1), I(OUT)};
  CHECK_EQ(wasih_poll_oneoff(&c, f), WASI_EFAULT);
  /* a pipe with 3 bytes plus a 10 s clock: the fd event comes at once */
  int p[2];
  if (pipe(p) != 0) return;
  CHECK_EQ(write(p[1], "xyz", 3), 3);
  uint32_t rfd = add(p[0]);
  wasi_st64(m + SUBS, 1);
  wasi_st64(m + SUBS + 24, 10000000000ull);
  wasi_st64(m + SUBS + 48, 2);
  m[SUBS + 48 + 8] = 1;
  wasi_st32(m + SUBS + 48 + 16, rfd);
  weft_slot b[4] = {I(SUBS), I(EVS), I(2), I(OUT)};
  CHECK_EQ(wasih_poll_oneoff(&c, b), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 1);
  CHECK_EQ(wasi_ld64(m + EVS), 2);
  CHECK_EQ(m[EVS + 10], 1);
  CHECK_EQ(wasi_ld64(m + EVS + 16), 3);
  /* an unknown fd is reported as an event with EBADF */
  wasi_st32(m + SUBS + 48 + 16, 999);
  CHECK_EQ(wasih_poll_oneoff(&c, b), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 1);
  CHECK_EQ(m[EVS + 8] | m[EVS + 9] << 8, WASI_EBADF);
  close(p[1]);
  weft_slot cl[1] = {I(rfd)};
  CHECK_EQ(wasih_fd_close(&c, cl), 0);
}

/* sock_send / sock_recv / sock_shutdown on a socketpair. */
static void sockets(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return;
  uint32_t a = add(sv[0]), b = add(sv[1]);
  memcpy(m + BUF, "ping", 4);
  iov(4);
  weft_slot s[5] = {I(a), I(IOV), I(1), I(0), I(OUT)};
  CHECK_EQ(wasih_sock_send(&c, s), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 4);
  s[3] = I(1);
  CHECK_EQ(wasih_sock_send(&c, s), WASI_EINVAL);
  memset(m + BUF, 0, 8);
  iov(8);
  weft_slot r[6] = {I(b), I(IOV), I(1), I(0), I(OUT), I(OUT + 4)};
  CHECK_EQ(wasih_sock_recv(&c, r), 0);
  CHECK_EQ(wasi_ld32(m + OUT), 4);
  CHECK(memcmp(m + BUF, "ping", 4) == 0);
  weft_slot sh[2] = {I(a), I(0)};
  CHECK_EQ(wasih_sock_shutdown(&c, sh), WASI_EINVAL);
  sh[1] = I(2);
  CHECK_EQ(wasih_sock_shutdown(&c, sh), 0);
  CHECK_EQ(wasih_sock_recv(&c, r), 0);   /* end of stream */
  CHECK_EQ(wasi_ld32(m + OUT), 0);
  weft_slot ac[3] = {I(a), I(0), I(OUT)};
  /* regression: accept on a socket that is not listening waited forever; now EINVAL */
  CHECK_EQ(wasih_sock_accept(&c, ac), WASI_EINVAL);
  weft_slot ca[1] = {I(a)}, cb[1] = {I(b)};
  CHECK_EQ(wasih_fd_close(&c, ca), 0);
  CHECK_EQ(wasih_fd_close(&c, cb), 0);
}

/* Regression: a thread blocked in fd_read on an empty pipe must end when asked to stop. */
static void stoppable(weft_exec *exec) {
  int p[2];
  if (pipe(p) != 0) return;
  uint32_t rfd = add(p[0]);
  iov(4);
  atomic_store(&exec->suspend, 1);
  weft_slot r[4] = {I(rfd), I(IOV), I(1), I(OUT)};
  c.trap = WEFT_TRAP_NONE;
  wasih_fd_read(&c, r);
  CHECK_EQ(c.trap, WEFT_TRAP_TERMINATED);
  c.trap = WEFT_TRAP_NONE;
  enum { SUBS = 0x4000, EVS = 0x5000 };
  memset(m + SUBS, 0, 48);
  wasi_st64(m + SUBS + 24, 60000000000ull);   /* 60 s */
  wasi_st32(m + SUBS + 16, 1);
  weft_slot a[4] = {I(SUBS), I(EVS), I(1), I(OUT)};
  wasih_poll_oneoff(&c, a);
  CHECK_EQ(c.trap, WEFT_TRAP_TERMINATED);
  c.trap = WEFT_TRAP_NONE;
  atomic_store(&exec->suspend, 0);
  close(p[1]);
  weft_slot cl[1] = {I(rfd)};
  CHECK_EQ(wasih_fd_close(&c, cl), 0);
}

void test_wasi_core(void) {
  const char *argv[2] = {"prog", "a b"}, *env[1] = {"K=V=W"};
  weft_wasi_options o = {.argc = 2, .argv = argv, .nenv = 1, .env = env};
  char why[256];
  wasi_ctx *ctx = wasi_ctx_new(&o, why, sizeof why);
  weft_runtime *rt = weft_runtime_new(NULL);
  weft_exec *exec = rt ? weft_exec_new(rt) : NULL;
  m = calloc(1, MEM);
  CHECK(ctx && exec && m);
  if (ctx && exec && m) {
    mem.base = m;
    atomic_store(&mem.size, MEM);
    c = (wasi_call){.exec = exec, .ctx = ctx, .mem = &mem};
    memory_rule();
    args_env();
    clocks_random();
    pipes();
    files();
    poll_subs();
    sockets();
    stoppable(exec);
    /* a missing preopen directory fails context creation with a message */
    const char *bad[1] = {"/nonexistent/weft-wasi"};
    weft_wasi_options ob = {.npreopens = 1, .preopen_host = bad};
    CHECK(wasi_ctx_new(&ob, why, sizeof why) == NULL);
    CHECK_CONTAINS(why, "/nonexistent/weft-wasi");
  }
  wasi_ctx_free(ctx);
  if (exec) weft_exec_delete(exec);
  if (rt) weft_runtime_delete(rt);
  free(m);
}
