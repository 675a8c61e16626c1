/* leb128.h — bounded LEB128 readers implementing the spec's exact rules: at most
 * ceil(N/7) bytes, and unused bits of the last byte must be a sign/zero extension.
 * Each returns the number of bytes consumed, or 0 on error with *why set to the
 * spec's message ("integer representation too long", "integer too large",
 * "unexpected end"). */
#ifndef WEFT_LEB128_H
#define WEFT_LEB128_H
#include <stddef.h>
#include <stdint.h>

size_t wleb_u32(const uint8_t *p, const uint8_t *end, uint32_t *out, const char **why);
size_t wleb_s32(const uint8_t *p, const uint8_t *end, int32_t *out, const char **why);
size_t wleb_u64(const uint8_t *p, const uint8_t *end, uint64_t *out, const char **why);
size_t wleb_s64(const uint8_t *p, const uint8_t *end, int64_t *out, const char **why);
/* s33 as used by block types (a type index when non-negative). */
size_t wleb_s33(const uint8_t *p, const uint8_t *end, int64_t *out, const char **why);

#endif
