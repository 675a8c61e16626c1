/* escape — tries to leave the directory granted with --dir=. : "../", absolute paths, a
 * symbolic link to /etc made by the host, links made by the guest, renames and links
 * out of the preopen. Each must fail (ENOTCAPABLE); paths that stay inside must work. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *en(int e) {
  switch (e) {
  case 0: return "ok";
  case ENOTCAPABLE: return "ENOTCAPABLE";
  case ENOENT: return "ENOENT";
  case EPERM: return "EPERM";
  case EACCES: return "EACCES";
  case ELOOP: return "ELOOP";
  case ENOTDIR: return "ENOTDIR";
  case EEXIST: return "EEXIST";
  default: return strerror(e);
  }
}
#define W(call) printf("%-60s %s\n", #call, en(call))
#define B(call) printf("%-60s %s\n", #call, (call) != 0 ? "blocked" : "ESCAPED")
#define L(call)                                             \
  do {                                                      \
    errno = 0;                                              \
    long r_ = (long)(call);                                 \
    printf("%-60s %s\n", #call, r_ < 0 ? en(errno) : "ok"); \
  } while (0)

static __wasi_fd_t dir;
static __wasi_fd_t fd;
#define RD __WASI_RIGHTS_FD_READ
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

int main(void) {
  for (__wasi_fd_t f = 3; f < 64 && !dir; f++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(f, &ps) != 0) break;
    char name[64] = {0};
    if (ps.u.dir.pr_name_len < sizeof name &&
        __wasi_fd_prestat_dir_name(f, (uint8_t *)name, ps.u.dir.pr_name_len) == 0 &&
        strcmp(name, ".") == 0)
      dir = f;
  }
  printf("preopen found: %s\n", dir ? "yes" : "no");
  /* Inside: fine. */
  W(__wasi_path_open(dir, 0, "data/../data/a.txt", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, 0, "./data/sub/../a.txt", 0, RD, 0, 0, &fd));
  /* Out through "..". */
  W(__wasi_path_open(dir, 0, "..", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, 0, "../etc/passwd", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, 0, "data/../../etc/passwd", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, 0, "data/sub/../../..", 0, RD, 0, 0, &fd));
  /* Absolute paths. */
  W(__wasi_path_open(dir, 0, "/etc/passwd", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, 0, "/", 0, RD, 0, 0, &fd));
  /* The host's link to /etc, and a relative link climbing out. */
  W(__wasi_path_open(dir, FOLLOW, "etclink", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, 0, "etclink/passwd", 0, RD, 0, 0, &fd));
  W(__wasi_path_open(dir, FOLLOW, "data/uplink", 0, RD, 0, 0, &fd));
  __wasi_filestat_t st;
  W(__wasi_path_filestat_get(dir, FOLLOW, "etclink", &st));
  W(__wasi_path_filestat_get(dir, 0, "etclink", &st));
  /* Links made by the guest. */
  /* Creating them may fail or succeed (their text is only a string); following them
   * must fail either way. */
  (void)__wasi_path_symlink("/etc", dir, "g_abs");
  B(__wasi_path_open(dir, 0, "g_abs/passwd", 0, RD, 0, 0, &fd));
  B(__wasi_path_open(dir, FOLLOW, "g_abs", 0, RD, 0, 0, &fd));
  (void)__wasi_path_symlink("../../../../../..", dir, "g_up");
  B(__wasi_path_open(dir, 0, "g_up/etc/passwd", 0, RD, 0, 0, &fd));
  (void)__wasi_path_symlink("data/../..", dir, "data/g_up2");
  B(__wasi_path_open(dir, FOLLOW, "data/g_up2", 0, RD, 0, 0, &fd));
  W(__wasi_path_symlink("data/a.txt", dir, "g_in"));
  W(__wasi_path_open(dir, FOLLOW, "g_in", 0, RD, 0, 0, &fd));
  /* Creating, renaming and linking out. */
  W(__wasi_path_create_directory(dir, "../weft-escape-dir"));
  W(__wasi_path_rename(dir, "data/b.txt", dir, "../weft-escape-b.txt"));
  W(__wasi_path_link(dir, 0, "data/b.txt", dir, "/tmp/weft-escape-link"));
  W(__wasi_path_open(dir, 0, "../weft-escape-new", __WASI_OFLAGS_CREAT, RD, 0, 0, &fd));
  /* (a name that exists nowhere: a broken sandbox must not delete a host file) */
  W(__wasi_path_unlink_file(dir, "etclink/weft-escape-no-such-file"));
  /* Through wasi-libc: absolute paths outside every preopen, and ".." from the root. */
  L(open("/etc/passwd", O_RDONLY));
  L(open("../../../etc/passwd", O_RDONLY));
  L(open("etclink/passwd", O_RDONLY));
  L(access("data/a.txt", R_OK));
  return 0;
}
