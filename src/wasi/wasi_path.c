/* wasi_path.c — WASI's path functions and fd_readdir: the guest side. Each handler looks up
 * its directory fd with the rights the function needs (EBADF / ENOTCAPABLE), checks every
 * guest pointer and length (EFAULT), then runs the host side in sandbox_ops.c, where every
 * path is resolved beneath that directory (sandbox.c). Paths are copied out of guest
 * memory before they are checked (another thread may change shared memory meanwhile).
 * Thread-safe: directory entries are held by reference for the whole call. */
#include <string.h>

#include "sandbox_ops.h"
#include "wasi.h"
#include <unistd.h> /* after wasi.h: unistd's W_OK macro would clash with werr.h's enum */

/* The guest bytes [ptr, ptr+len), or NULL (the caller returns WASI_EFAULT). */
static const char *guest_str(wasi_call *c, uint32_t ptr, uint32_t len) {
  return (const char *)wasi_mem(c, ptr, len);
}

/* Looks up directory fd `fd` with rights `need`: 0 and *out referenced, or the errno. */
static uint16_t dir_get(wasi_call *c, uint32_t fd, uint64_t need, wasi_fd **out) {
  return wasi_fd_get(&c->ctx->fds, fd, need, out);
}

/* Shared shape of the one-path, one-directory functions: look up, check, run op. */
typedef uint16_t (*one_path_op)(int base, const char *path, size_t len);

/* Runs op on (fd, path) after checking `need` and the path's bounds. */
static uint16_t one_path(wasi_call *c, const weft_slot *a, uint64_t need, one_path_op op) {
  wasi_fd *d;
  uint16_t r = dir_get(c, a[0].i32, need, &d);
  if (r) return r;
  const char *p = guest_str(c, a[1].i32, a[2].i32);
  r = p ? op(d->host, p, a[2].i32) : WASI_EFAULT;
  wasi_fd_put(d);
  return r;
}

/* path_create_directory(fd, path, path_len). */
uint16_t wasih_path_create_directory(wasi_call *c, const weft_slot *a) {
  return one_path(c, a, WASI_R_PATH_CREATE_DIRECTORY, wso_mkdir);
}

/* path_remove_directory(fd, path, path_len). */
uint16_t wasih_path_remove_directory(wasi_call *c, const weft_slot *a) {
  return one_path(c, a, WASI_R_PATH_REMOVE_DIRECTORY, wso_rmdir);
}

/* path_unlink_file(fd, path, path_len). */
uint16_t wasih_path_unlink_file(wasi_call *c, const weft_slot *a) {
  return one_path(c, a, WASI_R_PATH_UNLINK_FILE, wso_unlink);
}

/* path_filestat_get(fd, lookupflags, path, path_len, filestat*). */
uint16_t wasih_path_filestat_get(wasi_call *c, const weft_slot *a) {
  wasi_fd *d;
  uint16_t r = dir_get(c, a[0].i32, WASI_R_PATH_FILESTAT_GET, &d);
  if (r) return r;
  const char *p = guest_str(c, a[2].i32, a[3].i32);
  uint8_t *out = wasi_mem(c, a[4].i32, WSO_FILESTAT_SIZE);
  uint8_t st[WSO_FILESTAT_SIZE];
  if (!p || !out) r = WASI_EFAULT;
  else r = wso_stat(d->host, a[1].i32 & WSO_LOOKUP_SYMLINK_FOLLOW, p, a[3].i32, st);
  if (!r) memcpy(out, st, sizeof st);
  wasi_fd_put(d);
  return r;
}

/* path_filestat_set_times(fd, lookupflags, path, path_len, atim, mtim, fst_flags). */
uint16_t wasih_path_filestat_set_times(wasi_call *c, const weft_slot *a) {
  wasi_fd *d;
  uint16_t r = dir_get(c, a[0].i32, WASI_R_PATH_FILESTAT_SET_TIMES, &d);
  if (r) return r;
  const char *p = guest_str(c, a[2].i32, a[3].i32);
  if (!p) r = WASI_EFAULT;
  else if (a[6].i32 > 0xFFFF) r = WASI_EINVAL;
  else
    r = wso_set_times(d->host, a[1].i32 & WSO_LOOKUP_SYMLINK_FOLLOW, p, a[3].i32, a[4].i64,
                      a[5].i64, (uint16_t)a[6].i32);
  wasi_fd_put(d);
  return r;
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len). */
uint16_t wasih_path_link(wasi_call *c, const weft_slot *a) {
  wasi_fd *o, *n;
  uint16_t r = dir_get(c, a[0].i32, WASI_R_PATH_LINK_SOURCE, &o);
  if (r) return r;
  r = dir_get(c, a[4].i32, WASI_R_PATH_LINK_TARGET, &n);
  if (r) {
    wasi_fd_put(o);
    return r;
  }
  const char *op = guest_str(c, a[2].i32, a[3].i32);
  const char *np = guest_str(c, a[5].i32, a[6].i32);
  if (!op || !np) r = WASI_EFAULT;
  else
    r = wso_link(o->host, a[1].i32 & WSO_LOOKUP_SYMLINK_FOLLOW, op, a[3].i32, n->host, np,
                 a[6].i32);
  wasi_fd_put(o);
  wasi_fd_put(n);
  return r;
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len). */
uint16_t wasih_path_rename(wasi_call *c, const weft_slot *a) {
  wasi_fd *o, *n;
  uint16_t r = dir_get(c, a[0].i32, WASI_R_PATH_RENAME_SOURCE, &o);
  if (r) return r;
  r = dir_get(c, a[3].i32, WASI_R_PATH_RENAME_TARGET, &n);
  if (r) {
    wasi_fd_put(o);
    return r;
  }
  const char *op = guest_str(c, a[1].i32, a[2].i32);
  const char *np = guest_str(c, a[4].i32, a[5].i32);
  if (!op || !np) r = WASI_EFAULT;
  else r = wso_rename(o->host, op, a[2].i32, n->host, np, a[5].i32);
  wasi_fd_put(o);
  wasi_fd_put(n);
  return r;
}

/* path_symlink(old_path, old_len, fd, new_path, new_len): the link at new_path holds
 * old_path as given. */
uint16_t wasih_path_symlink(wasi_call *c, const weft_slot *a) {
  wasi_fd *d;
  uint16_t r = dir_get(c, a[2].i32, WASI_R_PATH_SYMLINK, &d);
  if (r) return r;
  const char *target = guest_str(c, a[0].i32, a[1].i32);
  const char *np = guest_str(c, a[3].i32, a[4].i32);
  if (!target || !np) r = WASI_EFAULT;
  else r = wso_symlink(target, a[1].i32, d->host, np, a[4].i32);
  wasi_fd_put(d);
  return r;
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused*). */
uint16_t wasih_path_readlink(wasi_call *c, const weft_slot *a) {
  wasi_fd *d;
  uint16_t r = dir_get(c, a[0].i32, WASI_R_PATH_READLINK, &d);
  if (r) return r;
  const char *p = guest_str(c, a[1].i32, a[2].i32);
  uint8_t *buf = wasi_mem(c, a[3].i32, a[4].i32);
  uint8_t *used_p = wasi_mem(c, a[5].i32, 4);
  uint32_t used = 0;
  if (!p || !buf || !used_p) r = WASI_EFAULT;
  else r = wso_readlink(d->host, p, a[2].i32, buf, a[4].i32, &used);
  if (!r) wasi_st32(used_p, used);
  wasi_fd_put(d);
  return r;
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused*). */
uint16_t wasih_fd_readdir(wasi_call *c, const weft_slot *a) {
  wasi_fd *d;
  uint16_t r = dir_get(c, a[0].i32, WASI_R_FD_READDIR, &d);
  if (r) return r;
  uint8_t *buf = wasi_mem(c, a[1].i32, a[2].i32);
  uint8_t *used_p = wasi_mem(c, a[4].i32, 4);
  uint32_t used = 0;
  if (!buf || !used_p) r = WASI_EFAULT;
  else if (d->filetype != WASI_FT_DIR) r = WASI_ENOTDIR;
  else r = wso_readdir(d->host, buf, a[2].i32, a[3].i64, &used);
  if (!r) wasi_st32(used_p, used);
  wasi_fd_put(d);
  return r;
}

/* The rights path_open needs on the directory, and checks on the requested ones: CREAT
 * needs PATH_CREATE_FILE, TRUNC PATH_FILESTAT_SET_SIZE; DSYNC/RSYNC/SYNC need the sync
 * rights to be inheritable. */
static uint64_t open_needs(uint16_t oflags, uint16_t fdflags, uint64_t *need_inh) {
  uint64_t need = WASI_R_PATH_OPEN;
  if (oflags & WSO_O_CREAT) need |= WASI_R_PATH_CREATE_FILE;
  if (oflags & WSO_O_TRUNC) need |= WASI_R_PATH_FILESTAT_SET_SIZE;
  *need_inh = 0;
  if (fdflags & WASI_FDFLAG_DSYNC) *need_inh |= WASI_R_FD_DATASYNC;
  if (fdflags & (WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)) *need_inh |= WASI_R_FD_SYNC;
  return need;
}

/* path_open(fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags,
 * fd*): the new fd's rights are the requested ones intersected with the directory's
 * inheriting rights, then trimmed to what its file type can use (wasi_rights_for). */
uint16_t wasih_path_open(wasi_call *c, const weft_slot *a) {
  if (a[4].i32 > 0xFFFF || a[7].i32 > 0xFFFF) return WASI_EINVAL;
  uint16_t oflags = (uint16_t)a[4].i32, fdflags = (uint16_t)a[7].i32;
  uint64_t need_inh;
  uint64_t need = open_needs(oflags, fdflags, &need_inh);
  wasi_fd *d;
  uint16_t r = dir_get(c, a[0].i32, need, &d);
  if (r) return r;
  uint64_t inh = atomic_load(&d->rights_inh);
  const char *p = guest_str(c, a[2].i32, a[3].i32);
  uint8_t *fd_out = wasi_mem(c, a[8].i32, 4);
  if (!p || !fd_out) r = WASI_EFAULT;
  else if ((inh & need_inh) != need_inh) r = WASI_ENOTCAPABLE;
  if (r) {
    wasi_fd_put(d);
    return r;
  }
  uint64_t base = a[5].i64 & inh, inherit = a[6].i64 & inh;
  bool rd = base & (WASI_R_FD_READ | WASI_R_FD_READDIR);
  bool wr = base & (WASI_R_FD_WRITE | WASI_R_FD_ALLOCATE | WASI_R_FD_FILESTAT_SET_SIZE);
  int host = -1;
  uint8_t ft = 0;
  r = wso_open(d->host, a[1].i32 & WSO_LOOKUP_SYMLINK_FOLLOW, p, a[3].i32, oflags, fdflags,
               rd, wr, &host, &ft);
  wasi_fd_put(d);
  if (r) return r;
  ft = wasi_filetype_of_fd(host);  /* tells datagram from stream sockets */
  base &= wasi_rights_for(ft);     /* e.g. no seek/tell on a character device */
  wasi_fd *e = wasi_fd_new(host, ft, base, inherit, fdflags, NULL);
  if (!e) {
    close(host);
    return WASI_ENOMEM;
  }
  uint32_t nfd = 0;
  r = wasi_fd_insert(&c->ctx->fds, e, &nfd);
  if (!r) wasi_st32(fd_out, nfd);
  return r;
}
