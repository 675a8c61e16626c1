/* sandbox.h — resolving untrusted guest paths beneath a directory fd (the WASI sandbox).
 *
 * Every WASI path function names a file as (directory fd, relative path). The sandbox turns
 * that into (parent directory fd, one final name) such that the parent is guaranteed to lie
 * beneath the base directory, and the name is a single component that is never ".." and
 * never contains '/'. Callers then act on the name with *at() calls that do not follow a
 * final symlink (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW), so a symlink swapped in after the check
 * can at worst be acted on itself — never followed out of the sandbox.
 *
 * Two resolvers implement the directory part:
 *   - openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, when the kernel has it;
 *   - a component-by-component walk with openat(O_PATH | O_NOFOLLOW), reading symlinks
 *     through the fd that was opened (so the link read is the link checked) and splicing
 *     their targets, with ".." handled by popping a stack of opened directories.
 * The walk is used when openat2 returns ENOSYS, when WEFT_WASI_NO_OPENAT2 is set in the
 * environment (read once), or after wsb_force_fallback(true) (the unit tests run both).
 *
 * Errors are host errno values (positive; 0 is success) except WSB_ENOTCAPABLE, which means
 * "would escape the sandbox" (absolute path, ".." above the base, a symlink pointing
 * outside); wasi_path.c maps both to WASI errno. Thread-safe: no shared mutable state but
 * two atomic flags. */
#ifndef WEFT_WASI_SANDBOX_H
#define WEFT_WASI_SANDBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* "Escapes the sandbox": outside the range of host errno values. */
#define WSB_ENOTCAPABLE 4096
/* The most symlinks followed while resolving one path (Linux's own limit is 40). */
#define WSB_MAX_SYMLINKS 40
/* The longest guest path accepted (ENAMETOOLONG beyond). */
#define WSB_PATH_MAX 4096

/* A resolved path: act on `name` inside `dirfd`. Both are owned (wsb_target_free). */
typedef struct {
  int dirfd;   /* an O_PATH (or plain) directory fd beneath the base; -1 when empty */
  char *name;  /* one component: never "..", never containing '/'; "." for the dir itself */
  bool slash;  /* the guest path ended in '/': the target must be a directory */
} wsb_target;

/* Resolves guest path [path, path+len) beneath base. follow: a symlink as the last
 * component is followed (WASI's lookupflags.symlink_follow; a trailing '/' also follows).
 * Every other component's symlinks are always followed, beneath base. On success fills t
 * (free it with wsb_target_free) and returns 0; else an errno or WSB_ENOTCAPABLE, t empty.
 * Rejects: an empty path (ENOENT), an embedded NUL (EINVAL), an absolute path or symlink
 * target and ".." above base (WSB_ENOTCAPABLE), over WSB_MAX_SYMLINKS links (ELOOP). */
int wsb_resolve(int base, const char *path, size_t len, bool follow, wsb_target *t);

/* Frees what wsb_resolve filled (idempotent). */
void wsb_target_free(wsb_target *t);

/* Opens guest path beneath base with host open flags `oflags` (O_CLOEXEC is added; a final
 * symlink is followed only when follow is true, and then only beneath base) and `mode` for
 * O_CREAT. On success *fd_out is the new fd and 0 is returned; else an errno or
 * WSB_ENOTCAPABLE. */
int wsb_open(int base, const char *path, size_t len, int oflags, mode_t mode, bool follow,
             int *fd_out);

/* Forces (true) or unforces the component walk instead of openat2 (tests; thread-safe). */
void wsb_force_fallback(bool on);
/* True when the next resolution will use openat2 (kernel has it and nothing forces the walk). */
bool wsb_uses_openat2(void);

#endif
