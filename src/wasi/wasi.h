/* wasi.h — the internal interface of weft's WASI preview1 ("wasi_snapshot_preview1").
 *
 * Files: wasi.def (THE list of functions, an X-macro), wasi_register.c (registration and the
 * trampoline every WASI import goes through), wasi_ctx.c (per-program context: args, env,
 * preopens, exit code), wasi_fdtab.c (the fd table), wasi_errno.c (host errno → WASI),
 * wasi_args.c, wasi_clock.c, wasi_fd*.c, wasi_poll.c, wasi_proc.c, wasi_sock.c (the core
 * functions); wasi_path*.c and sandbox*.c (the path functions and fd_readdir).
 *
 * Context: one wasi_ctx per program, hung on the main instance (winstance.wasi); a thread
 * instance (thread_parent != NULL) uses its parent's. The embedder creates it with
 * weft_wasi_attach; a program whose instance has none gets a default one (stdio only) on
 * its first WASI call.
 *
 * Guest pointers (one rule for every function): a pointer/length pair that does not lie
 * entirely inside the caller's memory 0 makes the function return WASI_EFAULT; nothing
 * traps. Memory never moves and never shrinks, so a range checked once stays valid for the
 * call (another thread may change its bytes: copy what must be checked, e.g. paths).
 *
 * Threads: the fd table has one mutex, held only for lookups and updates, never during
 * I/O. wasi_fd_get returns a referenced entry; the host fd is closed when the last
 * reference goes, so an fd_close racing an fd_read on another thread never makes the read
 * touch a reused host fd. */
#ifndef WEFT_WASI_H
#define WEFT_WASI_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../runtime/rt.h"

/* WASI errno (preview1 numbering). */
enum {
  WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EADDRINUSE = 3,
  WASI_EADDRNOTAVAIL = 4, WASI_EAFNOSUPPORT = 5, WASI_EAGAIN = 6, WASI_EALREADY = 7,
  WASI_EBADF = 8, WASI_EBADMSG = 9, WASI_EBUSY = 10, WASI_ECANCELED = 11, WASI_ECHILD = 12,
  WASI_ECONNABORTED = 13, WASI_ECONNREFUSED = 14, WASI_ECONNRESET = 15, WASI_EDEADLK = 16,
  WASI_EDESTADDRREQ = 17, WASI_EDOM = 18, WASI_EDQUOT = 19, WASI_EEXIST = 20,
  WASI_EFAULT = 21, WASI_EFBIG = 22, WASI_EHOSTUNREACH = 23, WASI_EIDRM = 24,
  WASI_EILSEQ = 25, WASI_EINPROGRESS = 26, WASI_EINTR = 27, WASI_EINVAL = 28, WASI_EIO = 29,
  WASI_EISCONN = 30, WASI_EISDIR = 31, WASI_ELOOP = 32, WASI_EMFILE = 33, WASI_EMLINK = 34,
  WASI_EMSGSIZE = 35, WASI_EMULTIHOP = 36, WASI_ENAMETOOLONG = 37, WASI_ENETDOWN = 38,
  WASI_ENETRESET = 39, WASI_ENETUNREACH = 40, WASI_ENFILE = 41, WASI_ENOBUFS = 42,
  WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOEXEC = 45, WASI_ENOLCK = 46,
  WASI_ENOLINK = 47, WASI_ENOMEM = 48, WASI_ENOMSG = 49, WASI_ENOPROTOOPT = 50,
  WASI_ENOSPC = 51, WASI_ENOSYS = 52, WASI_ENOTCONN = 53, WASI_ENOTDIR = 54,
  WASI_ENOTEMPTY = 55, WASI_ENOTRECOVERABLE = 56, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58,
  WASI_ENOTTY = 59, WASI_ENXIO = 60, WASI_EOVERFLOW = 61, WASI_EOWNERDEAD = 62,
  WASI_EPERM = 63, WASI_EPIPE = 64, WASI_EPROTO = 65, WASI_EPROTONOSUPPORT = 66,
  WASI_EPROTOTYPE = 67, WASI_ERANGE = 68, WASI_EROFS = 69, WASI_ESPIPE = 70,
  WASI_ESRCH = 71, WASI_ESTALE = 72, WASI_ETIMEDOUT = 73, WASI_ETXTBSY = 74,
  WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76
};

/* filetype. */
enum {
  WASI_FT_UNKNOWN = 0, WASI_FT_BLOCK = 1, WASI_FT_CHAR = 2, WASI_FT_DIR = 3, WASI_FT_REG = 4,
  WASI_FT_SOCK_DGRAM = 5, WASI_FT_SOCK_STREAM = 6, WASI_FT_SYMLINK = 7
};

/* fdflags. */
#define WASI_FDFLAG_APPEND 1u
#define WASI_FDFLAG_DSYNC 2u
#define WASI_FDFLAG_NONBLOCK 4u
#define WASI_FDFLAG_RSYNC 8u
#define WASI_FDFLAG_SYNC 16u

/* rights bits. */
#define WASI_R_FD_DATASYNC (1ull << 0)
#define WASI_R_FD_READ (1ull << 1)
#define WASI_R_FD_SEEK (1ull << 2)
#define WASI_R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WASI_R_FD_SYNC (1ull << 4)
#define WASI_R_FD_TELL (1ull << 5)
#define WASI_R_FD_WRITE (1ull << 6)
#define WASI_R_FD_ADVISE (1ull << 7)
#define WASI_R_FD_ALLOCATE (1ull << 8)
#define WASI_R_PATH_CREATE_DIRECTORY (1ull << 9)
#define WASI_R_PATH_CREATE_FILE (1ull << 10)
#define WASI_R_PATH_LINK_SOURCE (1ull << 11)
#define WASI_R_PATH_LINK_TARGET (1ull << 12)
#define WASI_R_PATH_OPEN (1ull << 13)
#define WASI_R_FD_READDIR (1ull << 14)
#define WASI_R_PATH_READLINK (1ull << 15)
#define WASI_R_PATH_RENAME_SOURCE (1ull << 16)
#define WASI_R_PATH_RENAME_TARGET (1ull << 17)
#define WASI_R_PATH_FILESTAT_GET (1ull << 18)
#define WASI_R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WASI_R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_R_FD_FILESTAT_GET (1ull << 21)
#define WASI_R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WASI_R_PATH_SYMLINK (1ull << 24)
#define WASI_R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WASI_R_PATH_UNLINK_FILE (1ull << 26)
#define WASI_R_POLL_FD_READWRITE (1ull << 27)
#define WASI_R_SOCK_SHUTDOWN (1ull << 28)
#define WASI_R_SOCK_ACCEPT (1ull << 29)
#define WASI_R_ALL ((1ull << 30) - 1)
/* Rights a regular file / a directory can usefully have (the ceilings for each kind). */
#define WASI_R_FILE_ALL                                                                   \
  (WASI_R_FD_DATASYNC | WASI_R_FD_READ | WASI_R_FD_SEEK | WASI_R_FD_FDSTAT_SET_FLAGS |     \
   WASI_R_FD_SYNC | WASI_R_FD_TELL | WASI_R_FD_WRITE | WASI_R_FD_ADVISE |                  \
   WASI_R_FD_ALLOCATE | WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_SIZE |             \
   WASI_R_FD_FILESTAT_SET_TIMES | WASI_R_POLL_FD_READWRITE)
#define WASI_R_DIR_ALL                                                                    \
  (WASI_R_FD_FDSTAT_SET_FLAGS | WASI_R_FD_SYNC | WASI_R_FD_DATASYNC |                      \
   WASI_R_PATH_CREATE_DIRECTORY | WASI_R_PATH_CREATE_FILE | WASI_R_PATH_LINK_SOURCE |       \
   WASI_R_PATH_LINK_TARGET | WASI_R_PATH_OPEN | WASI_R_FD_READDIR | WASI_R_PATH_READLINK |  \
   WASI_R_PATH_RENAME_SOURCE | WASI_R_PATH_RENAME_TARGET | WASI_R_PATH_FILESTAT_GET |       \
   WASI_R_PATH_FILESTAT_SET_SIZE | WASI_R_PATH_FILESTAT_SET_TIMES |                        \
   WASI_R_FD_FILESTAT_GET | WASI_R_FD_FILESTAT_SET_TIMES | WASI_R_PATH_SYMLINK |            \
   WASI_R_PATH_REMOVE_DIRECTORY | WASI_R_PATH_UNLINK_FILE)

/* ---- the fd table ---- */

/* One open guest fd. Immutable after creation except the atomics. Reference counted: the
 * table holds one reference, each wasi_fd_get caller one more (drop with wasi_fd_put). */
typedef struct wasi_fd {
  _Atomic int refs;
  int host;                      /* the host fd, closed when refs reaches 0 */
  uint8_t filetype;              /* WASI_FT_* */
  _Atomic uint16_t fdflags;      /* WASI_FDFLAG_* as last set */
  _Atomic uint64_t rights_base, rights_inh;  /* only ever shrink */
  char *preopen;                 /* a preopened directory's guest path (NUL-terminated,
                                    owned), else NULL */
  uint32_t preopen_len;
} wasi_fd;

/* The table: a growable array of entry pointers (NULL = free slot) under one mutex. */
typedef struct wasi_fdtab {
  wplat_mutex lock;
  wasi_fd **slots;
  uint32_t cap;
} wasi_fdtab;

/* Most fds a program may have open at once (EMFILE beyond). */
#define WASI_FD_MAX 4096u

void wasi_fdtab_init(wasi_fdtab *t);
/* Drops the table's reference to every entry and frees the table. */
void wasi_fdtab_free(wasi_fdtab *t);
/* A new entry (refs 1) for host fd `host`, which it will own; NULL when out of memory
 * (host is then NOT closed). preopen may be NULL. */
wasi_fd *wasi_fd_new(int host, uint8_t filetype, uint64_t base, uint64_t inh, uint16_t fdflags,
                     const char *preopen);
/* Looks fd up and checks that its base rights include `need`: WASI_EBADF (no such fd),
 * WASI_ENOTCAPABLE (missing rights) or 0 with *out referenced (wasi_fd_put it). */
uint16_t wasi_fd_get(wasi_fdtab *t, uint32_t fd, uint64_t need, wasi_fd **out);
/* Drops a reference; the last one closes the host fd and frees the entry. */
void wasi_fd_put(wasi_fd *e);
/* Puts e (whose reference passes to the table) at the lowest free number; 0 with *fd_out,
 * or WASI_EMFILE / WASI_ENOMEM (e is then put). */
uint16_t wasi_fd_insert(wasi_fdtab *t, wasi_fd *e, uint32_t *fd_out);
/* Puts e at exactly `fd` (setup: stdio and preopens); closes what was there. */
uint16_t wasi_fd_insert_at(wasi_fdtab *t, wasi_fd *e, uint32_t fd);
/* fd_close's table part: removes fd (EBADF if absent) and drops the table's reference. */
uint16_t wasi_fd_remove(wasi_fdtab *t, uint32_t fd);
/* fd_renumber: atomically moves `from` to `to`, closing what `to` held. Both must be open
 * (EBADF); from == to is a no-op. */
uint16_t wasi_fd_renumber(wasi_fdtab *t, uint32_t from, uint32_t to);

/* ---- the per-program context ---- */

typedef struct wasi_ctx {
  char **argv;                   /* argc strings, owned */
  uint32_t argc;
  char **env;                    /* nenv "K=V" strings, owned */
  uint32_t nenv;
  wasi_fdtab fds;
  _Atomic int32_t exit_code;     /* proc_exit's code (first proc_exit wins) */
  _Atomic bool exited;
} wasi_ctx;

/* Creates a context from the public options (NULL: stdio only). Preopen directories are
 * opened here; failure returns NULL with a message in why. */
wasi_ctx *wasi_ctx_new(const weft_wasi_options *o, char *why, size_t whylen);
void wasi_ctx_free(wasi_ctx *c);
/* The program's context for an instance (its parent's for a thread instance), creating a
 * default one on first use; NULL only when out of memory. */
wasi_ctx *wasi_ctx_of(winstance *inst);

/* ---- host-function plumbing ---- */

/* One running WASI call: what every handler gets. */
typedef struct wasi_call {
  weft_exec *exec;
  winstance *inst;               /* the calling instance */
  wasi_ctx *ctx;
  wmemory *mem;                  /* the caller's memory 0, or NULL */
  weft_trap trap;                /* set (e.g. by proc_exit, or TERMINATED when a blocking call
                                    was stopped) to end the call with a trap, not an errno */
} wasi_call;

/* Every handler: reads its arguments from a[], returns the WASI errno (0 = success). The
 * trampoline stores it as the i32 result (functions without results ignore it). */
typedef uint16_t (*wasi_handler)(wasi_call *c, const weft_slot *a);

/* Host pointer to guest [off, off+len) in the caller's memory, or NULL (→ WASI_EFAULT). */
uint8_t *wasi_mem(wasi_call *c, uint32_t off, uint64_t len);
/* Little-endian stores/loads into already validated guest bytes. */
void wasi_st16(uint8_t *p, uint16_t v);
void wasi_st32(uint8_t *p, uint32_t v);
void wasi_st64(uint8_t *p, uint64_t v);
uint32_t wasi_ld32(const uint8_t *p);
uint64_t wasi_ld64(const uint8_t *p);
/* Stores v at guest off (4/8 bytes): 0 or WASI_EFAULT. */
uint16_t wasi_put32(wasi_call *c, uint32_t off, uint32_t v);
uint16_t wasi_put64(wasi_call *c, uint32_t off, uint64_t v);

/* Host errno → WASI errno (unknown values → WASI_EIO). */
uint16_t wasi_errno(int host);
/* The WASI filetype of a host st_mode. */
uint8_t wasi_filetype_of_mode(unsigned mode);
/* The WASI filetype of an open host fd (sockets told apart by SO_TYPE). */
uint8_t wasi_filetype_of_fd(int host);
/* The base rights weft grants a file of WASI filetype ft that it opens for the program
 * (no seek/tell on what cannot seek; socket rights on sockets). */
uint64_t wasi_rights_for(uint8_t ft);
/* Reads WASI clock `id` (0 realtime, 1 monotonic, 2 process, 3 thread cputime) in ns:
 * 0, or WASI_EINVAL for an unknown id (wasi_proc.c). */
uint16_t wasi_clock_now(uint32_t id, uint64_t *ns);
/* Longest a blocking call sleeps before re-checking for a stop request (ms). */
#define WASI_STOP_SLICE_MS 50
/* Blocks until e's host fd is ready for `events` (POLLIN/POLLOUT), in slices that check for
 * a stop request: 0 when ready (at once for files that never block, or with NONBLOCK set),
 * else c->trap is TERMINATED (wasi_fdio.c). */
uint16_t wasi_wait_fd(wasi_call *c, wasi_fd *e, short events);
/* Most iovecs one read/write call passes on (the rest is a short read/write). */
#define WASI_IOV_MAX 256
/* Validates a guest iovec array (iovs, n) and every buffer in it (EFAULT), filling host
 * iovecs (at most WASI_IOV_MAX): 0 and *nout (wasi_fdio.c). */
struct iovec;
uint16_t wasi_iovs(wasi_call *c, uint32_t iovs, uint32_t n, struct iovec *out, int *nout);
/* True when the calling thread was asked to stop (program end, cancel): blocking calls
 * poll in slices and give up with c->trap = WEFT_TRAP_TERMINATED when this turns true. */
bool wasi_stop_requested(wasi_call *c);

/* Handler declarations: wasih_NAME for every row of wasi.def. WASI_CORE rows are this
 * directory's core files; WASI_PATH rows are wasi_path*.c's (registered only when
 * WASI_HAVE_PATH is 1, so the build stays green until they exist). */
#define WASI_CORE(name, params, results) uint16_t wasih_##name(wasi_call *c, const weft_slot *a);
#define WASI_PATH(name, params, results) uint16_t wasih_##name(wasi_call *c, const weft_slot *a);
#include "wasi.def"
#undef WASI_CORE
#undef WASI_PATH

/* 1 once wasi_path*.c define every WASI_PATH handler (W2 flips it with their files). */
#ifndef WASI_HAVE_PATH
#define WASI_HAVE_PATH 1
#endif

#endif
