/* test_sandbox_ops.c — the host side of WASI's path functions (src/wasi/sandbox_ops.c)
 * against a scratch tree under $TMPDIR, in both resolver modes: WASI errno results
 * (ENOTCAPABLE, EEXIST, ENOTDIR, ENOTEMPTY, ELOOP, EINVAL, ENOENT), filestat layout,
 * set_times, link/rename/symlink/readlink/unlink/rmdir, and fd_readdir records with
 * d_next cookies and a truncated last record. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/sandbox.h"
#include "wasi/sandbox_ops.h"
#include "wtest.h"

static char o_root[512];  /* scratch: sb/ is the base, secret lies outside it */
static int o_base = -1;

/* Little-endian 64-bit read. */
static uint64_t get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

/* Little-endian 32-bit read. */
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define P(s) (s), strlen(s)

/* Creates the scratch tree: sb/{f, d/, e/x}, secret. */
static bool ops_setup(void) {
  wt_scratch_template(o_root, sizeof o_root, "sbops");
  if (!mkdtemp(o_root)) return false;
  char p[700];
  snprintf(p, sizeof p, "%s/sb", o_root);
  if (mkdir(p, 0755) != 0) return false;
  o_base = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  snprintf(p, sizeof p, "%s/secret", o_root);
  int fd = open(p, O_WRONLY | O_CREAT, 0644);
  if (fd >= 0) close(fd);
  return o_base >= 0;
}

/* Removes the scratch tree. */
static void ops_teardown(void) {
  close(o_base);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", o_root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", o_root);
}

/* Reads the whole directory `path` (beneath the base) with buffers of `cap` bytes,
 * resuming from each last complete record's d_next; returns the number of names seen
 * and whether "x1".."x5" all appeared exactly once. */
static int read_all(const char *path, uint32_t cap, bool *all_once) {
  int fd = -1;
  uint8_t ft = 0;
  if (wso_open(o_base, false, P(path), WSO_O_DIRECTORY, 0, true, false, &fd, &ft)) return -1;
  uint8_t *buf = malloc(cap);
  int seen[5] = {0}, names = 0;
  uint64_t cookie = 0;
  for (int rounds = 0; rounds < 1000; rounds++) {
    uint32_t used = 0;
    if (wso_readdir(fd, buf, cap, cookie, &used)) break;
    uint32_t off = 0;
    bool progressed = false;
    while (off + WSO_DIRENT_SIZE <= used) {
      uint32_t nl = get32(buf + off + 16);
      if (off + WSO_DIRENT_SIZE + nl > used) break;  /* truncated: re-read from cookie */
      const char *nm = (const char *)buf + off + WSO_DIRENT_SIZE;
      if (nl == 2 && nm[0] == 'x' && nm[1] >= '1' && nm[1] <= '5') seen[nm[1] - '1']++;
      names++;
      cookie = get64(buf + off);
      off += WSO_DIRENT_SIZE + nl;
      progressed = true;
    }
    if (used < cap) break;  /* the end of the directory */
    if (!progressed) break;  /* buffer too small for one record */
  }
  free(buf);
  close(fd);
  *all_once = true;
  for (int i = 0; i < 5; i++) *all_once = *all_once && seen[i] == 1;
  return names;
}

/* Every check in the current resolver mode. */
static void ops_checks(bool walk) {
  wsb_force_fallback(walk);
  uint8_t st[WSO_FILESTAT_SIZE];
  int fd = -1;
  uint8_t ft = 0;

  /* wso_errno mapping */
  CHECK_EQ(wso_errno(WSB_ENOTCAPABLE), 76);
  CHECK_EQ(wso_errno(ENOENT), 44);
  CHECK_EQ(wso_errno(EEXIST), 20);
  CHECK_EQ(wso_errno(ENOTEMPTY), 55);

  /* path_create_directory */
  CHECK_EQ(wso_mkdir(o_base, P("d")), WSO_SUCCESS);
  CHECK_EQ(wso_mkdir(o_base, P("d")), WSO_EEXIST);
  CHECK_EQ(wso_mkdir(o_base, P("../evil")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_mkdir(o_base, P("/tmp/evil")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_mkdir(o_base, P("nope/d")), WSO_ENOENT);
  CHECK_EQ(wso_mkdir(o_base, P(".")), WSO_EEXIST);

  /* path_open: creat/excl/trunc/directory, fd flags */
  CHECK_EQ(wso_open(o_base, false, P("f"), WSO_O_CREAT | WSO_O_EXCL, 0, true, true, &fd, &ft),
           WSO_SUCCESS);
  CHECK_EQ(ft, WSO_FT_REG);
  CHECK_EQ(write(fd, "hello", 5), 5);
  close(fd);
  CHECK_EQ(wso_open(o_base, false, P("f"), WSO_O_CREAT | WSO_O_EXCL, 0, true, true, &fd, &ft),
           WSO_EEXIST);
  CHECK_EQ(wso_open(o_base, false, P("f"), WSO_O_DIRECTORY, 0, true, false, &fd, &ft),
           WSO_ENOTDIR);
  CHECK_EQ(wso_open(o_base, false, P("f/x"), 0, 0, true, false, &fd, &ft), WSO_ENOTDIR);
  CHECK_EQ(wso_open(o_base, false, P("f"), 0x10, 0, true, false, &fd, &ft), WSO_EINVAL);
  CHECK_EQ(wso_open(o_base, false, P("f"), 0, 0x20, true, false, &fd, &ft), WSO_EINVAL);
  CHECK_EQ(wso_open(o_base, false, P("d"), WSO_O_DIRECTORY, 0, true, false, &fd, &ft),
           WSO_SUCCESS);
  CHECK_EQ(ft, WSO_FT_DIR);
  close(fd);
  CHECK_EQ(wso_open(o_base, false, P("d"), 0, 0, true, true, &fd, &ft), WSO_EISDIR);
  CHECK_EQ(wso_open(o_base, true, P("../secret"), 0, 0, true, false, &fd, &ft),
           WSO_ENOTCAPABLE);
  CHECK_EQ(wso_open(o_base, false, P("f"), 0, WSO_FD_APPEND, true, true, &fd, &ft),
           WSO_SUCCESS);
  CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0);
  close(fd);

  /* path_filestat_get: layout and follow */
  CHECK_EQ(wso_stat(o_base, false, P("f"), st), WSO_SUCCESS);
  CHECK_EQ(st[16], WSO_FT_REG);
  CHECK_EQ(get64(st + 32), 5);
  CHECK_EQ(get64(st + 24), 1);
  CHECK_EQ(wso_stat(o_base, false, P("f/"), st), WSO_ENOTDIR);
  CHECK_EQ(wso_symlink(P("f"), o_base, P("lf")), WSO_SUCCESS);
  CHECK_EQ(wso_stat(o_base, false, P("lf"), st), WSO_SUCCESS);
  CHECK_EQ(st[16], WSO_FT_SYMLINK);
  CHECK_EQ(wso_stat(o_base, true, P("lf"), st), WSO_SUCCESS);
  CHECK_EQ(st[16], WSO_FT_REG);
  CHECK_EQ(wso_stat(o_base, false, P("nope"), st), WSO_ENOENT);

  /* path_filestat_set_times */
  CHECK_EQ(wso_set_times(o_base, true, P("lf"), 0, 1234000000000ull, WSO_FST_MTIM),
           WSO_SUCCESS);
  CHECK_EQ(wso_stat(o_base, false, P("f"), st), WSO_SUCCESS);
  CHECK_EQ(get64(st + 48), 1234000000000ull);
  CHECK_EQ(wso_set_times(o_base, true, P("f"), 0, 0, WSO_FST_MTIM | WSO_FST_MTIM_NOW),
           WSO_EINVAL);
  CHECK_EQ(wso_set_times(o_base, true, P("f"), 0, 0, 0x10), WSO_EINVAL);

  /* path_symlink stores the target as given; resolution through it never escapes */
  CHECK_EQ(wso_symlink(P("../secret"), o_base, P("esc")), WSO_SUCCESS);
  CHECK_EQ(wso_symlink(P("/etc"), o_base, P("etc")), WSO_SUCCESS);
  uint8_t lb[64];
  uint32_t used = 0;
  CHECK_EQ(wso_readlink(o_base, P("esc"), lb, sizeof lb, &used), WSO_SUCCESS);
  CHECK_EQ(used, 9);
  CHECK(memcmp(lb, "../secret", 9) == 0);
  CHECK_EQ(wso_readlink(o_base, P("esc"), lb, 3, &used), WSO_SUCCESS);  /* truncated */
  CHECK_EQ(used, 3);
  CHECK_EQ(wso_readlink(o_base, P("f"), lb, sizeof lb, &used), WSO_EINVAL);
  CHECK_EQ(wso_stat(o_base, true, P("esc"), st), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_stat(o_base, true, P("etc/passwd"), st), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_open(o_base, true, P("etc/passwd"), 0, 0, true, false, &fd, &ft),
           WSO_ENOTCAPABLE);
  CHECK_EQ(wso_open(o_base, true, P("esc"), WSO_O_TRUNC, 0, true, true, &fd, &ft),
           WSO_ENOTCAPABLE);
  CHECK_EQ(wso_set_times(o_base, true, P("esc"), 0, 0, WSO_FST_MTIM_NOW), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_link(o_base, true, P("esc"), o_base, P("hard")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_symlink(P("x"), o_base, P("esc")), WSO_EEXIST);
  CHECK_EQ(wso_symlink(P("x"), o_base, P("../x")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_symlink(P(""), o_base, P("empty")), WSO_ENOENT);
  CHECK_EQ(wso_symlink(P("lp2"), o_base, P("lp1")), WSO_SUCCESS);
  CHECK_EQ(wso_symlink(P("lp1"), o_base, P("lp2")), WSO_SUCCESS);
  CHECK_EQ(wso_stat(o_base, true, P("lp1"), st), WSO_ELOOP);
  CHECK_EQ(wso_open(o_base, true, P("lp1"), 0, 0, true, false, &fd, &ft), WSO_ELOOP);

  /* path_link */
  CHECK_EQ(wso_link(o_base, false, P("f"), o_base, P("d/f2")), WSO_SUCCESS);
  CHECK_EQ(wso_stat(o_base, false, P("f"), st), WSO_SUCCESS);
  CHECK_EQ(get64(st + 24), 2);
  CHECK_EQ(wso_link(o_base, false, P("f"), o_base, P("d/f2")), WSO_EEXIST);
  CHECK_EQ(wso_link(o_base, false, P("f"), o_base, P("../f3")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_link(o_base, true, P("lf"), o_base, P("d/f3")), WSO_SUCCESS);  /* followed */
  CHECK_EQ(wso_stat(o_base, false, P("d/f3"), st), WSO_SUCCESS);
  CHECK_EQ(st[16], WSO_FT_REG);

  /* path_rename across directories, ENOTEMPTY, ENOTDIR */
  CHECK_EQ(wso_mkdir(o_base, P("e")), WSO_SUCCESS);
  CHECK_EQ(wso_rename(o_base, P("d/f2"), o_base, P("e/moved")), WSO_SUCCESS);
  CHECK_EQ(wso_stat(o_base, false, P("e/moved"), st), WSO_SUCCESS);
  CHECK_EQ(wso_stat(o_base, false, P("d/f2"), st), WSO_ENOENT);
  CHECK_EQ(wso_rename(o_base, P("e/moved"), o_base, P("../stolen")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_rename(o_base, P("../secret"), o_base, P("got")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_rename(o_base, P("f/"), o_base, P("g")), WSO_ENOTDIR);
  CHECK_EQ(wso_rename(o_base, P("d"), o_base, P("e")), WSO_ENOTEMPTY);

  /* path_unlink_file, path_remove_directory */
  CHECK_EQ(wso_unlink(o_base, P("d")), WSO_EISDIR);
  CHECK_EQ(wso_unlink(o_base, P("f/")), WSO_ENOTDIR);
  CHECK_EQ(wso_unlink(o_base, P("../secret")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_unlink(o_base, P("esc")), WSO_SUCCESS);  /* the link, not its target */
  char p[700];
  snprintf(p, sizeof p, "%s/secret", o_root);
  CHECK(access(p, F_OK) == 0);
  CHECK_EQ(wso_rmdir(o_base, P("e")), WSO_ENOTEMPTY);
  CHECK_EQ(wso_rmdir(o_base, P("f")), WSO_ENOTDIR);
  CHECK_EQ(wso_rmdir(o_base, P("..")), WSO_ENOTCAPABLE);
  CHECK_EQ(wso_unlink(o_base, P("e/moved")), WSO_SUCCESS);
  CHECK_EQ(wso_rmdir(o_base, P("e")), WSO_SUCCESS);

  /* fd_readdir: cookies resume, small buffers truncate the last record */
  CHECK_EQ(wso_mkdir(o_base, P("r")), WSO_SUCCESS);
  for (int i = 1; i <= 5; i++) {
    char nm[8];
    snprintf(nm, sizeof nm, "r/x%d", i);
    CHECK_EQ(wso_open(o_base, false, P(nm), WSO_O_CREAT, 0, false, true, &fd, &ft), 0);
    close(fd);
  }
  bool once = false;
  CHECK_EQ(read_all("r", 4096, &once), 7);  /* ".", "..", x1..x5 */
  CHECK(once);
  CHECK_EQ(read_all("r", 30, &once), 7);  /* one record (24 + 2) per call, then resume */
  CHECK(once);
  CHECK_EQ(read_all("r", 40, &once), 7);  /* a full record plus a truncated one */
  CHECK(once);
  uint8_t small[10];
  CHECK_EQ(wso_open(o_base, false, P("r"), WSO_O_DIRECTORY, 0, true, false, &fd, &ft), 0);
  CHECK_EQ(wso_readdir(fd, small, sizeof small, 0, &used), WSO_SUCCESS);
  CHECK_EQ(used, 10);  /* truncated header */
  close(fd);
  CHECK_EQ(wso_open(o_base, false, P("f"), 0, 0, true, false, &fd, &ft), 0);
  CHECK_EQ(wso_readdir(fd, small, sizeof small, 0, &used), WSO_ENOTDIR);
  close(fd);

  /* clean the tree for the other mode */
  for (int i = 1; i <= 5; i++) {
    char nm[8];
    snprintf(nm, sizeof nm, "r/x%d", i);
    CHECK_EQ(wso_unlink(o_base, P(nm)), 0);
  }
  CHECK_EQ(wso_rmdir(o_base, P("r")), 0);
  CHECK_EQ(wso_unlink(o_base, P("d/f3")), 0);
  CHECK_EQ(wso_rmdir(o_base, P("d")), 0);
  const char *files[] = {"f", "lf", "etc", "lp1", "lp2"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    CHECK_EQ(wso_unlink(o_base, P(files[i])), 0);
}

/* The group: both resolver modes. */
void test_sandbox_ops(void) {
  if (!ops_setup()) {
    WT_RECORD(0, "cannot create the scratch tree under $TMPDIR");
    return;
  }
  ops_checks(false);
  ops_checks(true);
  wsb_force_fallback(false);
  ops_teardown();
}
