/* test_sandbox_wasi.c — the guest side of WASI's path functions (src/wasi/wasi_path.c):
 * handlers called with argument slots against a WASI context whose fd 3 preopens a scratch
 * directory under $TMPDIR and a 64 KiB fake linear memory. Rights checks (EBADF,
 * ENOTCAPABLE, inheriting rights intersected), guest pointer checks (EFAULT), escapes,
 * the errno paths and fd_readdir cookies; both resolver modes. */
#include "wasi/wasi.h"  /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "wasi/sandbox.h"
#include "wasi/sandbox_ops.h"
#include "wtest.h"
#include <unistd.h>

static uint8_t *w_mem;      /* the fake linear memory's bytes */
static wmemory w_memory;    /* the fake memory */
static wasi_call w_call;    /* the call every handler gets */
static char w_root[512];    /* scratch dir: sb/ is preopened as fd 3 */

/* Guest offsets used by the tests. */
enum { PATH1 = 0x100, PATH2 = 0x400, OUT = 0x800, BUF = 0x1000, FAR = 0x20000 };

/* Copies a string into guest memory at off; its length. */
static uint32_t gs(uint32_t off, const char *s) {
  memcpy(w_mem + off, s, strlen(s));
  return (uint32_t)strlen(s);
}

/* Slot helpers: i32 and i64 arguments. */
#define I(v) ((weft_slot){.i32 = (uint32_t)(v)})
#define L(v) ((weft_slot){.i64 = (uint64_t)(v)})

/* path_open through the handler: the errno; *fd gets the new guest fd. */
static uint16_t popen_(uint32_t dirfd, uint32_t look, const char *path, uint32_t oflags,
                       uint64_t base, uint64_t inh, uint32_t fdflags, uint32_t *fd) {
  uint32_t n = gs(PATH1, path);
  weft_slot a[9] = {I(dirfd), I(look), I(PATH1), I(n), I(oflags), L(base), L(inh),
                    I(fdflags), I(OUT)};
  uint16_t r = wasih_path_open(&w_call, a);
  if (!r && fd) *fd = wasi_ld32(w_mem + OUT);
  return r;
}

/* A one-path handler (create_directory, remove_directory, unlink_file) on fd 3. */
static uint16_t one(uint16_t (*h)(wasi_call *, const weft_slot *), const char *path) {
  uint32_t n = gs(PATH1, path);
  weft_slot a[3] = {I(3), I(PATH1), I(n)};
  return h(&w_call, a);
}

/* Closes guest fd via the table. */
static void gclose(uint32_t fd) { CHECK_EQ(wasi_fd_remove(&w_call.ctx->fds, fd), 0); }

/* The base rights of guest fd (0 when absent). */
static uint64_t rights_of(uint32_t fd) {
  wasi_fd *e;
  if (wasi_fd_get(&w_call.ctx->fds, fd, 0, &e)) return 0;
  uint64_t r = atomic_load(&e->rights_base);
  wasi_fd_put(e);
  return r;
}

/* Every check in the current resolver mode. */
static void wasi_checks(bool walk) {
  wsb_force_fallback(walk);
  uint32_t fd = 0, fd2 = 0;
  const uint64_t RW = WASI_R_FD_READ | WASI_R_FD_WRITE | WASI_R_FD_SEEK;

  /* fd lookup and rights on the directory */
  CHECK_EQ(popen_(99, 0, "f", WSO_O_CREAT, RW, 0, 0, &fd), WASI_EBADF);
  CHECK_EQ(popen_(1, 0, "f", WSO_O_CREAT, RW, 0, 0, &fd), WASI_ENOTCAPABLE);  /* stdout */

  /* create, then EEXIST, then the new fd's rights: requested & inheriting & file ceiling */
  CHECK_EQ(popen_(3, 0, "f", WSO_O_CREAT | WSO_O_EXCL, RW | WASI_R_PATH_OPEN, 0, 0, &fd), 0);
  CHECK_EQ(rights_of(fd), RW);  /* PATH_OPEN is no file right */
  gclose(fd);
  CHECK_EQ(popen_(3, 0, "f", WSO_O_CREAT | WSO_O_EXCL, RW, 0, 0, &fd), WASI_EEXIST);
  CHECK_EQ(popen_(3, 0, "f", WSO_O_DIRECTORY, RW, 0, 0, &fd), WASI_ENOTDIR);
  CHECK_EQ(popen_(3, 0, "f/g", 0, RW, 0, 0, &fd), WASI_ENOTDIR);
  CHECK_EQ(popen_(3, 0, "nope", 0, RW, 0, 0, &fd), WASI_ENOENT);
  CHECK_EQ(popen_(3, 0, "f", 0x40, RW, 0, 0, &fd), WASI_EINVAL);

  /* escapes */
  CHECK_EQ(popen_(3, 1, "../secret", 0, RW, 0, 0, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(popen_(3, 1, "/etc/passwd", 0, RW, 0, 0, &fd), WASI_ENOTCAPABLE);
  {
    uint32_t t = gs(PATH1, "/etc"), n = gs(PATH2, "etc");
    weft_slot a[5] = {I(PATH1), I(t), I(3), I(PATH2), I(n)};
    CHECK_EQ(wasih_path_symlink(&w_call, a), 0);
  }
  CHECK_EQ(popen_(3, 1, "etc/passwd", 0, RW, 0, 0, &fd), WASI_ENOTCAPABLE);
  CHECK_EQ(popen_(3, 1, "etc", WSO_O_DIRECTORY, WASI_R_FD_READDIR, 0, 0, &fd),
           WASI_ENOTCAPABLE);
  {
    uint32_t n = gs(PATH1, "etc");
    weft_slot a[6] = {I(3), I(PATH1), I(n), I(BUF), I(64), I(OUT)};
    CHECK_EQ(wasih_path_readlink(&w_call, a), 0);
    CHECK_EQ(wasi_ld32(w_mem + OUT), 4);
    CHECK(memcmp(w_mem + BUF, "/etc", 4) == 0);  /* stored as given */
  }
  CHECK_EQ(one(wasih_path_unlink_file, "etc"), 0);

  /* guest pointers: EFAULT, and nothing created */
  {
    weft_slot a[9] = {I(3), I(0), I(0xFFFF), I(2), I(WSO_O_CREAT), L(RW), L(0), I(0), I(OUT)};
    CHECK_EQ(wasih_path_open(&w_call, a), WASI_EFAULT);
    uint32_t n = gs(PATH1, "g");
    weft_slot b[9] = {I(3), I(0), I(PATH1), I(n), I(WSO_O_CREAT), L(RW), L(0), I(0), I(FAR)};
    CHECK_EQ(wasih_path_open(&w_call, b), WASI_EFAULT);
    weft_slot c[5] = {I(3), I(0), I(PATH1), I(n), I(0xFFF0)};
    CHECK_EQ(wasih_path_filestat_get(&w_call, c), WASI_EFAULT);
    CHECK_EQ(one(wasih_path_unlink_file, "g"), WASI_ENOENT);
  }

  /* directories: inheriting rights limit what is opened through them */
  CHECK_EQ(one(wasih_path_create_directory, "d"), 0);
  CHECK_EQ(one(wasih_path_create_directory, "d"), WASI_EEXIST);
  CHECK_EQ(popen_(3, 0, "d", WSO_O_DIRECTORY, WASI_R_PATH_OPEN | WASI_R_FD_READDIR,
                  WASI_R_FD_READ, 0, &fd), 0);
  CHECK_EQ(rights_of(fd), WASI_R_PATH_OPEN | WASI_R_FD_READDIR);
  {
    uint32_t n = gs(PATH1, "sub");
    weft_slot a[3] = {I(fd), I(PATH1), I(n)};
    CHECK_EQ(wasih_path_create_directory(&w_call, a), WASI_ENOTCAPABLE);
  }
  CHECK_EQ(popen_(fd, 0, "../f", 0, RW, 0, 0, &fd2), WASI_ENOTCAPABLE);  /* above d */
  CHECK_EQ(popen_(fd, 0, "x", WSO_O_CREAT, RW, 0, 0, &fd2), WASI_ENOTCAPABLE);  /* no CREATE */
  gclose(fd);
  CHECK_EQ(popen_(3, 0, "d/x", WSO_O_CREAT, RW, 0, 0, &fd2), 0);
  gclose(fd2);
  CHECK_EQ(popen_(3, 0, "d", WSO_O_DIRECTORY, WASI_R_PATH_OPEN, WASI_R_FD_READ, 0, &fd), 0);
  CHECK_EQ(popen_(fd, 0, "x", 0, RW, RW, 0, &fd2), 0);
  CHECK_EQ(rights_of(fd2), WASI_R_FD_READ);  /* intersected with d's inheriting rights */
  gclose(fd2);
  CHECK_EQ(popen_(fd, 0, "x", 0, RW, 0, WASI_FDFLAG_SYNC, &fd2), WASI_ENOTCAPABLE);
  gclose(fd);

  /* ENOTEMPTY, rename across directories, filestat */
  CHECK_EQ(one(wasih_path_remove_directory, "d"), WASI_ENOTEMPTY);
  CHECK_EQ(one(wasih_path_create_directory, "e"), 0);
  {
    uint32_t o = gs(PATH1, "d/x"), n = gs(PATH2, "e/y");
    weft_slot a[6] = {I(3), I(PATH1), I(o), I(3), I(PATH2), I(n)};
    CHECK_EQ(wasih_path_rename(&w_call, a), 0);
    uint32_t o2 = gs(PATH1, "e/y"), n2 = gs(PATH2, "../y");
    weft_slot b[6] = {I(3), I(PATH1), I(o2), I(3), I(PATH2), I(n2)};
    CHECK_EQ(wasih_path_rename(&w_call, b), WASI_ENOTCAPABLE);
    uint32_t p = gs(PATH1, "e/y");
    weft_slot c[5] = {I(3), I(0), I(PATH1), I(p), I(BUF)};
    CHECK_EQ(wasih_path_filestat_get(&w_call, c), 0);
    CHECK_EQ(w_mem[BUF + 16], WASI_FT_REG);
    weft_slot s[7] = {I(3), I(0), I(PATH1), I(p), L(7000000000ull), L(9000000000ull),
                      I(WSO_FST_ATIM | WSO_FST_MTIM)};
    CHECK_EQ(wasih_path_filestat_set_times(&w_call, s), 0);
    CHECK_EQ(wasih_path_filestat_get(&w_call, c), 0);
    CHECK_EQ(wasi_ld64(w_mem + BUF + 48), 9000000000ull);
    uint32_t l = gs(PATH2, "d/hard");
    weft_slot k[7] = {I(3), I(0), I(PATH1), I(p), I(3), I(PATH2), I(l)};
    CHECK_EQ(wasih_path_link(&w_call, k), 0);
    CHECK_EQ(wasih_path_link(&w_call, k), WASI_EEXIST);
  }
  CHECK_EQ(one(wasih_path_unlink_file, "e/y"), 0);
  CHECK_EQ(one(wasih_path_unlink_file, "e"), WASI_EISDIR);
  CHECK_EQ(one(wasih_path_remove_directory, "e"), 0);

  /* fd_readdir with cookies, and EBADF/ENOTDIR/ENOTCAPABLE */
  CHECK_EQ(popen_(3, 0, "d", WSO_O_DIRECTORY, WASI_R_FD_READDIR, 0, 0, &fd), 0);
  {
    weft_slot a[5] = {I(fd), I(BUF), I(4096), L(0), I(OUT)};
    CHECK_EQ(wasih_fd_readdir(&w_call, a), 0);
    uint32_t used = wasi_ld32(w_mem + OUT), off = 0, names = 0;
    uint64_t second = 0;
    uint32_t first_size = WSO_DIRENT_SIZE + wasi_ld32(w_mem + BUF + 16);
    bool hard = false;
    while (off + WSO_DIRENT_SIZE <= used) {
      uint32_t nl = wasi_ld32(w_mem + BUF + off + 16);
      if (nl == 4 && memcmp(w_mem + BUF + off + 24, "hard", 4) == 0) hard = true;
      if (names == 0) second = wasi_ld64(w_mem + BUF + off);
      names++;
      off += WSO_DIRENT_SIZE + nl;
    }
    CHECK_EQ(names, 3);
    CHECK(hard);
    weft_slot b[5] = {I(fd), I(BUF), I(4096), L(second), I(OUT)};  /* resume after #1 */
    CHECK_EQ(wasih_fd_readdir(&w_call, b), 0);
    CHECK_EQ(wasi_ld32(w_mem + OUT), used - first_size);
    weft_slot c[5] = {I(fd), I(BUF), I(30), L(0), I(OUT)};  /* truncated last record */
    CHECK_EQ(wasih_fd_readdir(&w_call, c), 0);
    CHECK_EQ(wasi_ld32(w_mem + OUT), 30);
    weft_slot e[5] = {I(fd), I(0xFFF0), I(4096), L(0), I(OUT)};
    CHECK_EQ(wasih_fd_readdir(&w_call, e), WASI_EFAULT);
    weft_slot f[5] = {I(77), I(BUF), I(64), L(0), I(OUT)};
    CHECK_EQ(wasih_fd_readdir(&w_call, f), WASI_EBADF);
    weft_slot g[5] = {I(1), I(BUF), I(64), L(0), I(OUT)};
    CHECK_EQ(wasih_fd_readdir(&w_call, g), WASI_ENOTCAPABLE);
  }
  gclose(fd);
  CHECK_EQ(one(wasih_path_unlink_file, "d/hard"), 0);
  CHECK_EQ(one(wasih_path_remove_directory, "d"), 0);
  CHECK_EQ(one(wasih_path_unlink_file, "f"), 0);
}

/* One thread of the concurrency check: creates, stats, lists and removes its own files
 * through fd 3 with guest buffers of its own; counts unexpected results in *bad. */
typedef struct {
  int tid;
  int bad;
} worker;

/* Runs 150 rounds of open(create)/filestat/readdir/unlink/close for one worker. */
static void *work(void *arg) {
  worker *w = arg;
  uint32_t g = 0x4000 + (uint32_t)w->tid * 0x2000;  /* path at g, out at g+0x100, buf g+0x200 */
  for (int k = 0; k < 150; k++) {
    char name[32];
    snprintf(name, sizeof name, "t%d_%d", w->tid, k);
    uint32_t n = (uint32_t)strlen(name);
    memcpy(w_mem + g, name, n);
    weft_slot o[9] = {I(3), I(0), I(g), I(n), I(WSO_O_CREAT | WSO_O_EXCL),
                      L(WASI_R_FD_READ | WASI_R_FD_WRITE), L(0), I(0), I(g + 0x100)};
    if (wasih_path_open(&w_call, o) != 0) {
      w->bad++;
      continue;
    }
    uint32_t fd = wasi_ld32(w_mem + g + 0x100);
    weft_slot st[5] = {I(3), I(0), I(g), I(n), I(g + 0x200)};
    if (wasih_path_filestat_get(&w_call, st) != 0) w->bad++;
    weft_slot rd[5] = {I(3), I(g + 0x200), I(0x1000), L(0), I(g + 0x100)};
    if (wasih_fd_readdir(&w_call, rd) != 0) w->bad++;
    weft_slot un[3] = {I(3), I(g), I(n)};
    if (wasih_path_unlink_file(&w_call, un) != 0) w->bad++;
    if (wasi_fd_remove(&w_call.ctx->fds, fd) != 0) w->bad++;
  }
  return NULL;
}

/* Four threads use fd 3 and the fd table at once: no errors, no fds left behind. */
static void concurrency_check(void) {
  pthread_t th[4];
  worker w[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (worker){.tid = i, .bad = 0};
    CHECK_EQ(pthread_create(&th[i], NULL, work, &w[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK_EQ(w[i].bad, 0);
  }
  wasi_fd *e;
  CHECK_EQ(wasi_fd_get(&w_call.ctx->fds, 4, 0, &e), WASI_EBADF);  /* every fd closed */
}

/* The group: a context with fd 3 = <scratch>/sb, both resolver modes. */
void test_sandbox_wasi(void) {
  wt_scratch_template(w_root, sizeof w_root, "sbwasi");
  if (!mkdtemp(w_root)) {
    WT_RECORD(0, "cannot create the scratch tree under $TMPDIR");
    return;
  }
  char sb[600];
  snprintf(sb, sizeof sb, "%s/sb", w_root);
  mkdir(sb, 0755);
  const char *hosts[1] = {sb}, *guests[1] = {"/sb"};
  weft_wasi_options o = {.npreopens = 1, .preopen_host = hosts, .preopen_guest = guests};
  char why[256];
  wasi_ctx *ctx = wasi_ctx_new(&o, why, sizeof why);
  CHECK(ctx != NULL);
  w_mem = calloc(1, 65536);
  if (ctx && w_mem) {
    w_memory.base = w_mem;
    atomic_store(&w_memory.size, 65536);
    w_call = (wasi_call){.ctx = ctx, .mem = &w_memory};
    wasi_checks(false);
    concurrency_check();
    wasi_checks(true);
    concurrency_check();
    wsb_force_fallback(false);
  }
  wasi_ctx_free(ctx);
  free(w_mem);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", w_root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", w_root);
}
