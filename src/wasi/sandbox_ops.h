/* sandbox_ops.h — the host side of WASI's path functions and fd_readdir, on host fds.
 *
 * Each function takes already-validated host data (a directory fd from the WASI fd table,
 * the guest's path bytes copied or pointed to after a bounds check) and returns a WASI
 * errno (0 = success). Every path goes through the sandbox (sandbox.h), and every final
 * action is an *at() call on one name that does not follow a final symlink, so nothing
 * here can reach outside the base directory. Rights are checked by the caller
 * (wasi_path.c); this layer only maps semantics and errors. Thread-safe (no state). */
#ifndef WEFT_WASI_SANDBOX_OPS_H
#define WEFT_WASI_SANDBOX_OPS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* WASI preview1 errno values used by this layer (the spec's numbering). */
enum {
  WSO_SUCCESS = 0, WSO_E2BIG = 1, WSO_EACCES = 2, WSO_EAGAIN = 6, WSO_EBADF = 8,
  WSO_EBUSY = 10, WSO_EDQUOT = 19, WSO_EEXIST = 20, WSO_EFAULT = 21, WSO_EFBIG = 22,
  WSO_EILSEQ = 25, WSO_EINTR = 27, WSO_EINVAL = 28, WSO_EIO = 29, WSO_EISDIR = 31,
  WSO_ELOOP = 32, WSO_EMFILE = 33, WSO_EMLINK = 34, WSO_ENAMETOOLONG = 37,
  WSO_ENFILE = 41, WSO_ENODEV = 43, WSO_ENOENT = 44, WSO_ENOMEM = 48, WSO_ENOSPC = 51,
  WSO_ENOSYS = 52, WSO_ENOTDIR = 54, WSO_ENOTEMPTY = 55, WSO_ENOTSUP = 58, WSO_ENXIO = 60,
  WSO_EOVERFLOW = 61, WSO_EPERM = 63, WSO_EROFS = 69, WSO_ETXTBSY = 74, WSO_EXDEV = 75,
  WSO_ENOTCAPABLE = 76
};

/* WASI filetype values. */
enum {
  WSO_FT_UNKNOWN = 0, WSO_FT_BLOCK = 1, WSO_FT_CHAR = 2, WSO_FT_DIR = 3, WSO_FT_REG = 4,
  WSO_FT_SOCK_DGRAM = 5, WSO_FT_SOCK_STREAM = 6, WSO_FT_SYMLINK = 7
};

/* oflags, fdflags, lookupflags and fstflags bits. */
#define WSO_O_CREAT 1u
#define WSO_O_DIRECTORY 2u
#define WSO_O_EXCL 4u
#define WSO_O_TRUNC 8u
#define WSO_FD_APPEND 1u
#define WSO_FD_DSYNC 2u
#define WSO_FD_NONBLOCK 4u
#define WSO_FD_RSYNC 8u
#define WSO_FD_SYNC 16u
#define WSO_LOOKUP_SYMLINK_FOLLOW 1u
#define WSO_FST_ATIM 1u
#define WSO_FST_ATIM_NOW 2u
#define WSO_FST_MTIM 4u
#define WSO_FST_MTIM_NOW 8u

/* Size of a WASI filestat record and of a dirent header. */
#define WSO_FILESTAT_SIZE 64
#define WSO_DIRENT_SIZE 24

/* Maps a host errno (or the sandbox's WSB_ENOTCAPABLE) to a WASI errno. */
uint16_t wso_errno(int host);
/* The WASI filetype of a host st_mode. */
uint8_t wso_filetype(mode_t mode);
/* Writes a WASI filestat (64 bytes, little-endian, spec layout) for a host stat. */
void wso_filestat_encode(const struct stat *st, uint8_t out[WSO_FILESTAT_SIZE]);

/* path_create_directory. */
uint16_t wso_mkdir(int base, const char *path, size_t len);
/* path_filestat_get: follow = lookupflags.symlink_follow. */
uint16_t wso_stat(int base, bool follow, const char *path, size_t len,
                  uint8_t out[WSO_FILESTAT_SIZE]);
/* path_filestat_set_times (fstflags checked: ATIM with ATIM_NOW, or MTIM with MTIM_NOW,
 * or unknown bits are EINVAL). */
uint16_t wso_set_times(int base, bool follow, const char *path, size_t len, uint64_t atim,
                       uint64_t mtim, uint16_t fstflags);
/* path_link: old (resolved with old_follow) becomes also new. */
uint16_t wso_link(int obase, bool old_follow, const char *opath, size_t olen, int nbase,
                  const char *npath, size_t nlen);
/* path_open's host part: oflags/fdflags as WASI bits (unknown bits EINVAL); read/write say
 * which access the granted rights need. On success *fd is a new host fd and *filetype its
 * WASI filetype. */
uint16_t wso_open(int base, bool follow, const char *path, size_t len, uint16_t oflags,
                  uint16_t fdflags, bool read, bool write, int *fd, uint8_t *filetype);
/* path_readlink: copies at most cap bytes of the link's target (not NUL-terminated,
 * truncated silently as the spec allows) into buf; *used gets the count. */
uint16_t wso_readlink(int base, const char *path, size_t len, uint8_t *buf, uint32_t cap,
                      uint32_t *used);
/* path_remove_directory. */
uint16_t wso_rmdir(int base, const char *path, size_t len);
/* path_rename. */
uint16_t wso_rename(int obase, const char *opath, size_t olen, int nbase, const char *npath,
                    size_t nlen);
/* path_symlink: stores target as given (resolution through it stays beneath any base). */
uint16_t wso_symlink(const char *target, size_t tlen, int base, const char *path,
                     size_t len);
/* path_unlink_file. */
uint16_t wso_unlink(int base, const char *path, size_t len);
/* fd_readdir: fills buf with dirent records (header + name) starting after `cookie`
 * (0 = the start; each record's d_next is the cookie of the next), the last one truncated
 * when cap runs out; *used = bytes written (== cap means "maybe more"). */
uint16_t wso_readdir(int fd, uint8_t *buf, uint32_t cap, uint64_t cookie, uint32_t *used);

#endif
