/* test_sandbox.c — the WASI sandbox (src/wasi/sandbox.c) against a scratch tree under
 * $TMPDIR, once with openat2 and once with the component walk (wsb_force_fallback):
 * "../" and absolute escapes, symlinks to /etc and above the base (also ones created as a
 * guest would), chains, loops, trailing slashes, EEXIST/ENOTDIR/ENOTEMPTY, a rename across
 * directories, and a symlink swapped by a second thread during repeated opens. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/sandbox.h"
#include "wtest.h"

static char g_root[512];  /* the scratch directory: sb/ (the base) and outside files */
static int g_base = -1;   /* an fd of <root>/sb */

/* Writes `text` into file <root>/rel. */
static void put_file(const char *rel, const char *text) {
  char p[700];
  snprintf(p, sizeof p, "%s/%s", g_root, rel);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (write(fd, text, strlen(text)) < 0) perror("write");
    close(fd);
  }
}

/* Creates directory <root>/rel. */
static void put_dir(const char *rel) {
  char p[700];
  snprintf(p, sizeof p, "%s/%s", g_root, rel);
  mkdir(p, 0755);
}

/* Creates symlink <root>/rel -> target. */
static void put_link(const char *target, const char *rel) {
  char p[700];
  snprintf(p, sizeof p, "%s/%s", g_root, rel);
  if (symlink(target, p) != 0) perror("symlink");
}

/* Opens path beneath the base; the errno/WSB code, and the fd closed. */
static int try_open(const char *path, int flags, bool follow) {
  int fd = -1;
  int err = wsb_open(g_base, path, strlen(path), flags, 0644, follow, &fd);
  if (!err) close(fd);
  return err;
}

/* Opens path read-only (following) and returns its first bytes in buf ("" on failure). */
static int read_through(const char *path, char *buf, size_t cap) {
  int fd = -1;
  buf[0] = 0;
  int err = wsb_open(g_base, path, strlen(path), O_RDONLY, 0, true, &fd);
  if (err) return err;
  ssize_t n = read(fd, buf, cap - 1);
  buf[n > 0 ? n : 0] = 0;
  close(fd);
  return 0;
}

/* Builds the scratch tree. */
static bool setup(void) {
  wt_scratch_template(g_root, sizeof g_root, "sandbox");
  if (!mkdtemp(g_root)) return false;
  put_dir("sb");
  put_dir("sb/a");
  put_dir("sb/a/b");
  put_dir("sb/d");
  put_dir("out");
  put_dir("out/b");
  put_file("sb/a/b/file.txt", "inside");
  put_file("sb/f", "f");
  put_file("secret", "SECRET");
  put_file("out/b/file.txt", "OUTSIDE");
  put_link("/etc", "sb/ln_etc");
  put_link("../secret", "sb/ln_up");
  put_link("a", "sb/ln_a");
  put_link("chain2", "sb/chain1");
  put_link("a/b", "sb/chain2");
  put_link("loop2", "sb/loop1");
  put_link("loop1", "sb/loop2");
  put_link("a/..", "sb/ln_dotdot_ok");
  put_link("../../..", "sb/a/b/up3");
  put_link("../created_outside", "sb/ln_create");
  put_link(g_root, "sb/ln_abs_root");
  char p[700];
  snprintf(p, sizeof p, "%s/sb", g_root);
  g_base = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return g_base >= 0;
}

/* Removes the scratch tree. */
static void teardown(void) {
  close(g_base);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_root);
}

/* The swapper thread's state: flips sb/race between an inside and outside target. */
static atomic_int g_stop;
/* How many swaps the swapper has made. */
static atomic_int g_swaps;

/* Repeatedly replaces sb/race (atomically, by rename) with links to "a", "../out" and the
 * absolute path of out/. */
static void *swapper(void *arg) {
  (void)arg;
  char abs_out[600];
  snprintf(abs_out, sizeof abs_out, "%s/out", g_root);
  const char *targets[3] = {"a", "../out", abs_out};
  for (unsigned i = 0; !atomic_load(&g_stop); i++) {
    unlinkat(g_base, "race_tmp", 0);
    if (symlinkat(targets[i % 3], g_base, "race_tmp") != 0) continue;
    if (renameat(g_base, "race_tmp", g_base, "race") == 0) atomic_fetch_add(&g_swaps, 1);
  }
  return NULL;
}

/* Every check, in the current resolver mode. */
static void run_checks(bool walk) {
  wsb_force_fallback(walk);
  CHECK_EQ(wsb_uses_openat2(), !walk);
  char buf[64];

  /* plain opens */
  CHECK_EQ(read_through("a/b/file.txt", buf, sizeof buf), 0);
  CHECK_STR(buf, "inside");
  CHECK_EQ(read_through("a/../a/./b//file.txt", buf, sizeof buf), 0);
  CHECK_STR(buf, "inside");
  CHECK_EQ(try_open(".", O_RDONLY | O_DIRECTORY, false), 0);

  /* "../" and absolute paths */
  CHECK_EQ(try_open("../secret", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("a/../../secret", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("a/b/../../../sb/f", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("..", O_RDONLY | O_DIRECTORY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("/etc/passwd", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("/", O_RDONLY, true), WSB_ENOTCAPABLE);

  /* symlinks pointing outside, through any component */
  CHECK_EQ(try_open("ln_etc/passwd", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("ln_etc", O_RDONLY | O_DIRECTORY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("ln_etc", O_RDONLY, false), ELOOP);  /* not followed: O_NOFOLLOW */
  CHECK_EQ(try_open("ln_up", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("a/b/up3/secret", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("ln_abs_root/secret", O_RDONLY, true), WSB_ENOTCAPABLE);
  CHECK_EQ(try_open("ln_etc/", O_RDONLY, false), WSB_ENOTCAPABLE);  /* '/' follows */

  /* a symlink made the way a guest would (symlinkat in the base), then used */
  CHECK_EQ(symlinkat("a/b/../../../secret", g_base, "mine"), 0);
  CHECK_EQ(try_open("mine", O_RDONLY, true), WSB_ENOTCAPABLE);
  unlinkat(g_base, "mine", 0);

  /* creating through a dangling link that points outside must not create anything */
  CHECK_EQ(try_open("ln_create", O_WRONLY | O_CREAT, true), WSB_ENOTCAPABLE);
  char p[700];
  snprintf(p, sizeof p, "%s/created_outside", g_root);
  CHECK(access(p, F_OK) != 0);

  /* links inside the sandbox work */
  CHECK_EQ(read_through("ln_a/b/file.txt", buf, sizeof buf), 0);
  CHECK_STR(buf, "inside");
  CHECK_EQ(read_through("chain1/file.txt", buf, sizeof buf), 0);
  CHECK_STR(buf, "inside");
  CHECK_EQ(read_through("ln_dotdot_ok/a/b/file.txt", buf, sizeof buf), 0);
  CHECK_STR(buf, "inside");
  CHECK_EQ(read_through("ln_a/../f", buf, sizeof buf), 0);  /* ".." after a link: physical */
  CHECK_STR(buf, "f");

  /* loops */
  CHECK_EQ(try_open("loop1", O_RDONLY, true), ELOOP);
  CHECK_EQ(try_open("loop1/x", O_RDONLY, true), ELOOP);
  CHECK_EQ(try_open("loop1", O_RDONLY, false), ELOOP);

  /* EEXIST, ENOTDIR, ENOENT, EINVAL */
  CHECK_EQ(try_open("f", O_WRONLY | O_CREAT | O_EXCL, true), EEXIST);
  CHECK_EQ(try_open("ln_a", O_WRONLY | O_CREAT | O_EXCL, true), EEXIST);
  CHECK_EQ(try_open("f/x", O_RDONLY, true), ENOTDIR);
  CHECK_EQ(try_open("f/", O_RDONLY, true), ENOTDIR);
  CHECK_EQ(try_open("f", O_RDONLY | O_DIRECTORY, true), ENOTDIR);
  CHECK_EQ(try_open("nope/x", O_RDONLY, true), ENOENT);
  CHECK_EQ(try_open("", O_RDONLY, true), ENOENT);
  CHECK_EQ(wsb_open(g_base, "f\0x", 3, O_RDONLY, 0, true, &(int){0}), EINVAL);
  /* a dangling link inside: O_EXCL never follows it, plain O_CREAT creates its target */
  CHECK_EQ(symlinkat("made_by_link", g_base, "dang"), 0);
  CHECK_EQ(try_open("dang", O_WRONLY | O_CREAT | O_EXCL, true), EEXIST);
  CHECK(faccessat(g_base, "made_by_link", F_OK, AT_SYMLINK_NOFOLLOW) != 0);
  CHECK_EQ(try_open("dang", O_WRONLY | O_CREAT, true), 0);
  CHECK(faccessat(g_base, "made_by_link", F_OK, AT_SYMLINK_NOFOLLOW) == 0);
  unlinkat(g_base, "dang", 0);
  unlinkat(g_base, "made_by_link", 0);
  CHECK_EQ(try_open("new.txt", O_WRONLY | O_CREAT | O_EXCL, true), 0);
  CHECK_EQ(unlinkat(g_base, "new.txt", 0), 0);

  /* wsb_resolve: parent + one name, "." for directories named by "." or ".." */
  wsb_target t;
  CHECK_EQ(wsb_resolve(g_base, "a/b/file.txt", 12, false, &t), 0);
  CHECK_STR(t.name, "file.txt");
  CHECK(faccessat(t.dirfd, t.name, F_OK, AT_SYMLINK_NOFOLLOW) == 0);
  wsb_target_free(&t);
  CHECK_EQ(wsb_resolve(g_base, "a/..", 4, false, &t), 0);
  CHECK_STR(t.name, ".");
  CHECK(faccessat(t.dirfd, "f", F_OK, 0) == 0);  /* the base itself */
  wsb_target_free(&t);
  CHECK_EQ(wsb_resolve(g_base, "a/../..", 7, false, &t), WSB_ENOTCAPABLE);
  CHECK_EQ(t.dirfd, -1);
  CHECK_EQ(wsb_resolve(g_base, "ln_etc", 6, false, &t), 0);  /* the link itself */
  CHECK_STR(t.name, "ln_etc");
  wsb_target_free(&t);
  CHECK_EQ(wsb_resolve(g_base, "ln_etc", 6, true, &t), WSB_ENOTCAPABLE);
  CHECK_EQ(wsb_resolve(g_base, "chain1", 6, true, &t), 0);  /* followed to a/b */
  CHECK_STR(t.name, "b");
  wsb_target_free(&t);

  /* ENOTEMPTY and a rename across directories, through resolved targets */
  wsb_target from, to;
  CHECK_EQ(wsb_resolve(g_base, "a", 1, false, &t), 0);
  CHECK(unlinkat(t.dirfd, t.name, AT_REMOVEDIR) != 0 && errno == ENOTEMPTY);
  wsb_target_free(&t);
  CHECK_EQ(wsb_resolve(g_base, "a/b/file.txt", 12, false, &from), 0);
  CHECK_EQ(wsb_resolve(g_base, "d/moved.txt", 11, false, &to), 0);
  CHECK_EQ(renameat(from.dirfd, from.name, to.dirfd, to.name), 0);
  CHECK_EQ(read_through("d/moved.txt", buf, sizeof buf), 0);
  CHECK_STR(buf, "inside");
  CHECK_EQ(renameat(to.dirfd, to.name, from.dirfd, from.name), 0);
  wsb_target_free(&from);
  wsb_target_free(&to);

  /* procfs magic links (a preopen of /proc/self): refused, never followed to "/" */
  int proc = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc >= 0) {
    int fd = -1;
    int err = wsb_open(proc, "root/etc/passwd", 15, O_RDONLY, 0, true, &fd);
    CHECK(err == WSB_ENOTCAPABLE || err == ELOOP);
    err = wsb_open(proc, "cwd", 3, O_RDONLY | O_DIRECTORY, 0, true, &fd);
    CHECK(err == WSB_ENOTCAPABLE || err == ELOOP);
    err = wsb_open(proc, "fd/0", 4, O_RDONLY, 0, true, &fd);
    CHECK(err != 0);
    if (!err) close(fd);
    close(proc);
  }

  /* a symlink swapped during repeated opens never opens outside */
  atomic_store(&g_stop, 0);
  atomic_store(&g_swaps, 0);
  CHECK_EQ(symlinkat("a", g_base, "race"), 0);
  pthread_t th;
  struct stat ast;
  CHECK_EQ(fstatat(g_base, "a", &ast, 0), 0);
  ino_t a_ino = ast.st_ino;
  CHECK_EQ(pthread_create(&th, NULL, swapper, NULL), 0);
  int inside = 0, outside = 0, refused = 0, opens = 0;
  while (atomic_load(&g_swaps) == 0) sched_yield();
  /* at least 4000 opens and 200 swaps (at most 100,000 opens on a starved machine) */
  for (; opens < 4000 || (atomic_load(&g_swaps) < 200 && opens < 100000); opens++) {
    int err = read_through("race/b/file.txt", buf, sizeof buf);
    if (err == 0 && strcmp(buf, "inside") == 0) inside++;
    else if (err == 0) outside++;
    else refused++;
    int fd = -1;  /* the last component: only ever sb/a when it opens at all */
    if (wsb_open(g_base, "race", 4, O_RDONLY | O_DIRECTORY, 0, true, &fd) == 0) {
      struct stat sb;
      if (fstat(fd, &sb) != 0 || sb.st_ino != a_ino) outside++;
      close(fd);
    }
  }
  atomic_store(&g_stop, 1);
  pthread_join(th, NULL);
  if (getenv("WEFT_SANDBOX_VERBOSE")) fprintf(stderr, "race: %d inside, %d refused\n", inside, refused);
  CHECK_EQ(outside, 0);
  CHECK(inside + refused == opens);
  unlinkat(g_base, "race", 0);
  unlinkat(g_base, "race_tmp", 0);
}

/* The group: both resolver modes. */
void test_sandbox(void) {
  if (!setup()) {
    WT_RECORD(0, "cannot create the scratch tree under $TMPDIR");
    return;
  }
  run_checks(false);
  run_checks(true);
  wsb_force_fallback(false);
  teardown();
}
