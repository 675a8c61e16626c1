/* libc_internal.h — shared helpers of libc-builtin's host functions (src/libc): the calling
 * instance and its memory, guest-pointer checks that trap with a clear message, and the
 * prototypes of every lb_NAME expanded from libc_builtin.def. */
#ifndef WEFT_LIBC_INTERNAL_H
#define WEFT_LIBC_INTERNAL_H
#include <stdint.h>
#include "../runtime/exec.h"
#include "../util/werr.h"

/* Host-function context: the exec, the calling instance and its memory 0. */
typedef struct {
  wexec *exec;
  winstance *inst;
  wmemory *mem;                  /* NULL when the caller has no memory */
} lb_ctx;

/* Fills ctx for the current host call. False (trap message set) when the caller has no
 * memory; the host function then returns WEFT_TRAP_HOST. */
bool lb_ctx_init(lb_ctx *c, wexec *exec);

/* Sets a WEFT_TRAP_HOST message on the exec and returns WEFT_TRAP_HOST. */
wtrap lb_trap(wexec *e, const char *fmt, ...) W_PRINTF(2, 3);

/* Host pointer to [off, off+len) of the caller's memory; on failure sets an
 * "out of bounds memory access: FN: ..." trap message and returns NULL. */
uint8_t *lb_range(lb_ctx *c, const char *fn, uint32_t off, uint64_t len);
/* Host pointer to the NUL-terminated string at off; NULL (trap message set) when no NUL
 * lies between off and the end of memory. *len_out (optional) gets its length. */
const char *lb_str(lb_ctx *c, const char *fn, uint32_t off, uint32_t *len_out);
/* Length of the string at off, at most max bytes looked at; -1 (trap message set) when
 * fewer than max bytes and no NUL lie before the end of memory. */
int64_t lb_str_n(lb_ctx *c, const char *fn, uint32_t off, uint32_t max);
/* The current memory size in bytes (acquire load). */
uint64_t lb_mem_size(const lb_ctx *c);

/* Flushes libc-builtin's stdout (called on exit, abort and traps of the stdio functions). */
void lb_stdout_flush(void);

/* The app heap of the calling instance (NULL when it has none). */
struct wappheap *lb_heap(lb_ctx *c);

#define LB(name, params, results) weft_trap lb_##name(weft_exec *exec, void *att, weft_slot *s);
#include "libc_builtin.def"
#undef LB

#endif
