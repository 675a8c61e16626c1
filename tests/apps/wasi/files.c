/* files — file and directory functions through wasi-libc, success and error paths:
 * EBADF, ENOENT, EEXIST, ENOTDIR, ENOTEMPTY, EISDIR, ENOTCAPABLE (rights), EINVAL.
 * Runs in the scratch directory (--dir=.). Libc calls print errno's name; raw
 * __wasi_* calls print the WASI errno's name. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <wasi/api.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int
weft_proc_raise(int sig);

static const char *en(int e) {
  switch (e) {
  case 0: return "ok";
  case EBADF: return "EBADF";
  case ENOENT: return "ENOENT";
  case EEXIST: return "EEXIST";
  case ENOTDIR: return "ENOTDIR";
  case ENOTEMPTY: return "ENOTEMPTY";
  case EISDIR: return "EISDIR";
  case ENOTCAPABLE: return "ENOTCAPABLE";
  case EINVAL: return "EINVAL";
  case EACCES: return "EACCES";
  case EPERM: return "EPERM";
  case ELOOP: return "ELOOP";
  case ESPIPE: return "ESPIPE";
  case EFAULT: return "EFAULT";
  case ENOTSOCK: return "ENOTSOCK";
  case ENOSYS: return "ENOSYS";
  case ENOTSUP: return "ENOTSUP";
  default: return strerror(e);
  }
}
/* L(call): a libc call returning < 0 (or NULL) on failure. */
#define L(call)                                                              \
  do {                                                                       \
    errno = 0;                                                               \
    long r_ = (long)(call);                                                  \
    printf("%-52s %s\n", #call, r_ < 0 ? en(errno) : "ok");                  \
  } while (0)
/* W(call): a raw WASI call returning an errno. */
#define W(call) printf("%-52s %s\n", #call, en(call))

int main(void) {
  int fd;
  char buf[64];
  /* Success paths. */
  L(mkdir("work", 0755));
  L(fd = open("work/f.txt", O_RDWR | O_CREAT | O_TRUNC, 0644));
  L(write(fd, "hello, wasi\n", 12));
  L(lseek(fd, 7, SEEK_SET));
  memset(buf, 0, sizeof buf);
  L(read(fd, buf, 4));
  printf("read back: %s\n", buf);
  L(pwrite(fd, "WASI", 4, 7));
  memset(buf, 0, sizeof buf);
  L(pread(fd, buf, 12, 0));
  printf("pread: %s", buf);
  struct stat st;
  L(fstat(fd, &st));
  printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  L(ftruncate(fd, 5));
  L(fstat(fd, &st));
  printf("size after ftruncate %lld\n", (long long)st.st_size);
  L(fsync(fd));
  L(fdatasync(fd));
  L(posix_fallocate(fd, 0, 100) == 0 ? 0 : -1);
  L(lseek(fd, 0, SEEK_CUR));
  L(close(fd));
  L(rename("work/f.txt", "work/g.txt"));
  L(link("work/g.txt", "work/h.txt"));
  L(stat("work/h.txt", &st));
  printf("nlink %d\n", (int)st.st_nlink);
  L(symlink("g.txt", "work/s.txt"));
  memset(buf, 0, sizeof buf);
  L(readlink("work/s.txt", buf, sizeof buf - 1));
  printf("readlink: %s\n", buf);
  struct timeval tv[2] = {{1000000000, 0}, {1000000000, 0}};
  L(utimes("work/g.txt", tv));
  L(stat("work/g.txt", &st));
  printf("mtime %lld\n", (long long)st.st_mtim.tv_sec);
  L(unlink("work/s.txt"));
  L(unlink("work/h.txt"));
  L(unlink("work/g.txt"));
  L(rmdir("work"));

  /* Errors through libc. */
  L(read(99, buf, 1));
  L(close(99));
  L(open("data/missing.txt", O_RDONLY));
  L(unlink("data/missing.txt"));
  L(mkdir("data", 0755));
  L(open("data/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
  L(open("data/a.txt/x", O_RDONLY));
  L(opendir("data/a.txt") ? 0 : -1);
  L(rmdir("data/sub"));
  L(rmdir("data/a.txt"));
  L(open("data", O_WRONLY));
  L(unlink("data/sub"));
  L(fd = open("data/a.txt", O_RDONLY));
  L(lseek(fd, -5, SEEK_SET));
  L(write(fd, "x", 1));
  L(close(fd));
  L(read(fd, buf, 1));

  /* Raw WASI: find the preopen ".", then rights and argument checks. */
  __wasi_fd_t dir = 0;
  for (__wasi_fd_t f = 3; f < 64; f++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(f, &ps) != 0) break;
    char name[64] = {0};
    if (ps.u.dir.pr_name_len < sizeof name &&
        __wasi_fd_prestat_dir_name(f, (uint8_t *)name, ps.u.dir.pr_name_len) == 0 &&
        strcmp(name, ".") == 0) { dir = f; break; }
  }
  printf("preopen found: %s\n", dir ? "yes" : "no");
  __wasi_prestat_t ps;
  W(__wasi_fd_prestat_get(1000, &ps));
  __wasi_fd_t rfd = 0;
  W(__wasi_path_open(dir, 0, "data/a.txt", 0,
                     __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL, 0,
                     0, &rfd));
  __wasi_ciovec_t cv = {(const uint8_t *)"x", 1};
  __wasi_size_t nw = 0;
  W(__wasi_fd_write(rfd, &cv, 1, &nw));
  __wasi_filesize_t pos;
  W(__wasi_fd_seek(rfd, 0, 7, &pos));
  W(__wasi_fd_tell(rfd, &pos));
  W(__wasi_fd_close(rfd));
  W(__wasi_fd_close(rfd));
#ifndef NODE_SKIP
  W(__wasi_path_open(dir, 0, "data/a.txt", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &rfd));
#endif
  W(__wasi_path_open(dir, 0, "data/missing", 0, 0, 0, 0, &rfd));
  W(__wasi_path_create_directory(dir, "data/sub"));
  W(__wasi_path_remove_directory(dir, "data/sub"));
  W(__wasi_path_unlink_file(dir, "data/sub"));
  W(__wasi_fd_renumber(dir, 1000));
  W(weft_proc_raise(2));
  /* poll_oneoff: one clock subscription (10 ms) and stdout writable. */
  __wasi_subscription_t sub[2];
  memset(sub, 0, sizeof sub);
  sub[0].userdata = 11;
  sub[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[0].u.u.clock.timeout = 10 * 1000 * 1000;
  __wasi_event_t ev[2];
  __wasi_size_t nev = 0;
  W(__wasi_poll_oneoff(sub, ev, 1, &nev));
  printf("clock event: n=%u userdata=%llu type=%d error=%d\n", (unsigned)nev,
         (unsigned long long)ev[0].userdata, ev[0].type, ev[0].error);
  W(__wasi_poll_oneoff(sub, ev, 0, &nev));
  /* Sockets: fd 1 is not a socket. */
  __wasi_fd_t sfd;
  W(__wasi_sock_accept(1, 0, &sfd));
  W(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR));
  W(__wasi_fd_advise(99, 0, 0, __WASI_ADVICE_NORMAL));
  W(__wasi_fd_fdstat_set_flags(99, 0));
  return 0;
}
