/* lb_stdio.c — libc-builtin's output functions: the printf family, puts, putchar.
 *
 * stdout is the host's (buffered by the host C library; one printf call is written under
 * the stream's lock, so concurrent threads' lines do not interleave mid-call). It is
 * flushed by exit and abort, when a stdio function traps, and at process exit.
 * sprintf/vsprintf write into linear memory checking every byte against the memory's end:
 * they cannot know the destination buffer's size, so an overflow that stays inside memory
 * is the program's bug, as in C; one that reaches the end traps. snprintf writes at most
 * `size` bytes (NUL included) and returns the full length. */
#define _POSIX_C_SOURCE 200809L /* flockfile, sigjmp_buf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libc_internal.h"
#include "printf_engine.h"

void lb_stdout_flush(void) { fflush(stdout); }

/* Host copy of the format string at off (so another thread rewriting it cannot make the
 * formatter run past its terminator). *heap is set when the copy was malloc'ed. */
static const char *copy_fmt(lb_ctx *c, const char *fn, uint32_t off, char *small, size_t cap,
                            char **heap) {
  uint32_t len;
  const char *s = lb_str(c, fn, off, &len);
  *heap = NULL;
  if (!s) return NULL;
  char *d = small;
  if (len >= cap) {
    d = *heap = malloc((size_t)len + 1);
    if (!d) {
      lb_trap(c->exec, "%s: out of host memory", fn);
      return NULL;
    }
  }
  memcpy(d, s, len);
  d[len] = 0;
  return d;
}

/* Runs the formatter; on a bad argument sets the trap message and returns false. */
static bool format(lb_ctx *c, const char *fn, uint32_t fmt_off, uint32_t va, lb_sink *out,
                   uint64_t *count, int *code) {
  char small[256], *heap, msg[200];
  const char *fmt = copy_fmt(c, fn, fmt_off, small, sizeof small, &heap);
  if (!fmt) return false;
  *code = lb_format(fmt, c->mem->base, lb_mem_size(c), va, out, count, msg, sizeof msg);
  free(heap);
  if (*code == LBF_OOB) lb_trap(c->exec, "out of bounds memory access: %s: %s", fn, msg);
  else if (*code == LBF_BAD || *code == LBF_NOMEM) lb_trap(c->exec, "%s: %s", fn, msg);
  return *code == LBF_OK || *code == LBF_SINK;
}

static int32_t result_of(uint64_t count) { return count > INT32_MAX ? -1 : (int32_t)count; }

/* ---- stdout ---- */

/* Output of one printf: collected on the host and written when the call succeeds, so a
 * call that traps on a bad argument prints nothing (unless it produced more than the
 * buffer holds, which is written as it fills). */
typedef struct {
  lb_sink sink;
  char buf[8192];
  size_t n;
  bool werr;
} file_sink;

static int put_stdout(lb_sink *s, const char *p, size_t n) {
  file_sink *f = (file_sink *)s;
  while (n) {
    if (f->n == sizeof f->buf) {
      f->werr |= fwrite(f->buf, 1, f->n, stdout) != f->n;
      f->n = 0;
    }
    size_t k = sizeof f->buf - f->n < n ? sizeof f->buf - f->n : n;
    memcpy(f->buf + f->n, p, k);
    f->n += k;
    p += k;
    n -= k;
  }
  return 0;
}

static wtrap do_printf(weft_exec *exec, weft_slot *s, const char *fn) {
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  file_sink *out = malloc(sizeof *out);
  if (!out) return lb_trap(exec, "%s: out of host memory", fn);
  out->sink.put = put_stdout;
  out->n = 0;
  out->werr = false;
  uint64_t count = 0;
  int code;
  flockfile(stdout);
  bool ok = format(&c, fn, s[0].i32, s[1].i32, &out->sink, &count, &code);
  if (ok) out->werr |= fwrite(out->buf, 1, out->n, stdout) != out->n;
  funlockfile(stdout);
  bool werr = out->werr;
  free(out);
  if (!ok) {
    lb_stdout_flush();
    return WEFT_TRAP_HOST;
  }
  s[0].i32 = (uint32_t)(werr ? -1 : result_of(count));
  return WEFT_TRAP_NONE;
}

weft_trap lb_printf(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  return do_printf(exec, s, "printf");
}

weft_trap lb_vprintf(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  return do_printf(exec, s, "vprintf");
}

weft_trap lb_puts(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  uint32_t len;
  const char *str = lb_str(&c, "puts", s[0].i32, &len);
  if (!str) return WEFT_TRAP_HOST;
  flockfile(stdout);
  bool ok = fwrite(str, 1, len, stdout) == len && putc('\n', stdout) != EOF;
  funlockfile(stdout);
  s[0].i32 = (uint32_t)(ok ? (len < INT32_MAX ? (int32_t)len + 1 : INT32_MAX) : -1);
  return WEFT_TRAP_NONE;
}

weft_trap lb_putchar(weft_exec *exec, void *att, weft_slot *s) {
  (void)exec;
  (void)att;
  unsigned char ch = (unsigned char)s[0].i32;
  s[0].i32 = putchar(ch) == EOF ? (uint32_t)-1 : ch;
  return WEFT_TRAP_NONE;
}

/* ---- into linear memory ---- */

typedef struct {
  lb_sink sink;
  uint8_t *base;
  uint32_t dst;                  /* destination offset */
  uint64_t limit;                /* bytes that may be stored (snprintf: size - 1) */
  uint64_t avail;                /* bytes from dst to the end of memory */
  uint64_t pos;                  /* bytes produced so far */
  bool oob;
} mem_sink;

static int put_mem(lb_sink *s, const char *p, size_t n) {
  mem_sink *m = (mem_sink *)s;
  uint64_t store = m->pos < m->limit ? m->limit - m->pos : 0;
  if (store > n) store = n;
  if (store) {
    if (m->pos + store > m->avail) {
      m->oob = true;
      return -1;
    }
    memmove(m->base + m->dst + m->pos, p, (size_t)store);
  }
  m->pos += n;
  return 0;
}

/* sprintf (size_limited false) and snprintf. */
static wtrap do_sprintf(weft_exec *exec, uint32_t buf, uint64_t size, bool size_limited,
                        uint32_t fmt, uint32_t va, const char *fn, weft_slot *res) {
  lb_ctx c;
  if (!lb_ctx_init(&c, exec)) return WEFT_TRAP_HOST;
  uint64_t msize = lb_mem_size(&c);
  mem_sink out = {{put_mem}, c.mem->base, buf, size_limited ? (size ? size - 1 : 0) : UINT64_MAX,
                  buf < msize ? msize - buf : 0, 0, false};
  uint64_t count = 0;
  int code;
  bool ok = format(&c, fn, fmt, va, &out.sink, &count, &code);
  if (ok && out.oob) {
    ok = false;
    lb_trap(exec, "out of bounds memory access: %s: the output at 0x%x runs past the end of "
            "memory%s", fn, buf, size_limited ? "" : " (sprintf cannot know the buffer's size)");
  }
  if (ok && (!size_limited || size)) {
    uint64_t at = out.pos < out.limit ? out.pos : out.limit;
    if (at >= out.avail) {
      ok = false;
      lb_trap(exec, "out of bounds memory access: %s: the terminating NUL at 0x%llx lies "
              "outside memory", fn, (unsigned long long)buf + at);
    } else {
      c.mem->base[buf + at] = 0;
    }
  }
  if (!ok) {
    lb_stdout_flush();
    return WEFT_TRAP_HOST;
  }
  res[0].i32 = (uint32_t)result_of(count);
  return WEFT_TRAP_NONE;
}

weft_trap lb_sprintf(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  return do_sprintf(exec, s[0].i32, 0, false, s[1].i32, s[2].i32, "sprintf", s);
}

weft_trap lb_vsprintf(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  return do_sprintf(exec, s[0].i32, 0, false, s[1].i32, s[2].i32, "vsprintf", s);
}

weft_trap lb_snprintf(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  return do_sprintf(exec, s[0].i32, s[1].i32, true, s[2].i32, s[3].i32, "snprintf", s);
}

weft_trap lb_vsnprintf(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  return do_sprintf(exec, s[0].i32, s[1].i32, true, s[2].i32, s[3].i32, "vsnprintf", s);
}
