/* printf_engine.h — libc-builtin's printf formatter. It reads the format from the host, the
 * arguments from a wasm32 va_list in linear memory (each argument aligned to its size:
 * 4-byte ints and pointers, 8-byte long long and double, 16-byte long double), checks every
 * argument and %s string against the memory's bounds, and writes through a sink. */
#ifndef WEFT_PRINTF_ENGINE_H
#define WEFT_PRINTF_ENGINE_H
#include <stddef.h>
#include <stdint.h>

/* Output: put() returns 0 to continue, non-zero to stop (the sink recorded why). */
typedef struct lb_sink {
  int (*put)(struct lb_sink *s, const char *p, size_t n);
} lb_sink;

/* Result codes of lb_format. */
enum {
  LBF_OK = 0,
  LBF_SINK,        /* the sink refused output (its own error) */
  LBF_OOB,         /* an argument or %s string lies outside memory; msg says which */
  LBF_BAD,         /* unsupported or malformed conversion (%n, a bad length); msg says */
  LBF_NOMEM,       /* a host allocation failed */
};

/* Formats fmt (a host string) reading arguments from the va_list at offset `va` of the
 * memory [mem, mem+mem_size). Writes to out; *count gets the number of bytes produced.
 * On failure returns an LBF_* code and a message in msg. */
int lb_format(const char *fmt, const uint8_t *mem, uint64_t mem_size, uint32_t va,
              lb_sink *out, uint64_t *count, char *msg, size_t msgcap);

#endif
