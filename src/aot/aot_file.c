/* aot_file.c — the .aot container (layout in aot.h): writing, and parsing with every header
 * field checked. The header comes from a file and is untrusted: no field is used before it
 * is checked, and every refusal says which field is wrong and what to do. (The shared
 * object it carries is trusted by design: loading a .aot runs its code.) */
#include <stdio.h>
#include <string.h>
#include "aot.h"
#include "aot_abi.h"

bool waot_is_aot(const uint8_t *bytes, size_t len) {
  return bytes && len >= 8 && memcmp(bytes, WAOT_MAGIC, 8) == 0;
}

uint64_t waot_hash(const uint8_t *bytes, size_t len) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < len; i++) {
    h ^= bytes[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

const char *waot_host_triple(void) {
#if defined(__x86_64__)
#define WAOT_ARCH "x86_64"
#elif defined(__aarch64__)
#define WAOT_ARCH "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define WAOT_ARCH "riscv64"
#elif defined(__i386__)
#define WAOT_ARCH "i686"
#elif defined(__arm__)
#define WAOT_ARCH "arm"
#else
#define WAOT_ARCH "unknown"
#endif
#if defined(__linux__)
#define WAOT_OS "linux"
#elif defined(__APPLE__)
#define WAOT_OS "darwin"
#elif defined(__FreeBSD__)
#define WAOT_OS "freebsd"
#elif defined(_WIN32)
#define WAOT_OS "windows"
#else
#define WAOT_OS "unknown"
#endif
  return WAOT_ARCH "-" WAOT_OS;
}

/* Canonical architecture names (aliases on the left). */
static const char *norm_arch(const char *a, size_t n) {
  static const struct { const char *alias, *name; } tab[] = {
    {"x86_64", "x86_64"}, {"amd64", "x86_64"}, {"x86-64", "x86_64"},
    {"aarch64", "aarch64"}, {"arm64", "aarch64"},
    {"riscv64", "riscv64"}, {"i386", "i686"}, {"i486", "i686"}, {"i586", "i686"},
    {"i686", "i686"},
  };
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
    if (strlen(tab[i].alias) == n && memcmp(tab[i].alias, a, n) == 0) return tab[i].name;
  if (n >= 3 && memcmp(a, "arm", 3) == 0) return "arm";
  return NULL;
}

/* Canonical OS name for a triple component, or NULL if it names no OS. */
static const char *norm_os(const char *s, size_t n) {
  static const struct { const char *prefix, *name; } tab[] = {
    {"linux", "linux"}, {"darwin", "darwin"}, {"macos", "darwin"}, {"freebsd", "freebsd"},
    {"netbsd", "netbsd"}, {"openbsd", "openbsd"}, {"windows", "windows"},
    {"mingw", "windows"}, {"win32", "windows"}, {"android", "linux"},
  };
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
    size_t pl = strlen(tab[i].prefix);
    if (n >= pl && memcmp(s, tab[i].prefix, pl) == 0) return tab[i].name;
  }
  return NULL;
}

/* arch[-vendor]-os[-env] → "arch-os": the arch aliased to its canonical name, the OS found
 * in any later component (x86_64-pc-linux-gnu, aarch64-linux-gnu, arm64-apple-darwin23 →
 * x86_64-linux, aarch64-linux, aarch64-darwin). Unknown parts are kept as written. */
void waot_triple_norm(const char *triple, char *buf, size_t buflen) {
  if (!buflen) return;
  buf[0] = 0;
  if (!triple) triple = "";
  const char *dash = strchr(triple, '-');
  size_t alen = dash ? (size_t)(dash - triple) : strlen(triple);
  const char *arch = norm_arch(triple, alen);
  char archbuf[64];
  if (!arch) {
    snprintf(archbuf, sizeof archbuf, "%.*s", (int)(alen < 63 ? alen : 63), triple);
    arch = archbuf;
  }
  const char *os = NULL;
  for (const char *p = dash; p && !os; p = strchr(p + 1, '-')) {
    const char *c = p + 1, *e = strchr(c, '-');
    os = norm_os(c, e ? (size_t)(e - c) : strlen(c));
  }
  if (os) snprintf(buf, buflen, "%s-%s", arch, os);
  else if (dash) {
    /* no known OS: the last component is the best guess */
    snprintf(buf, buflen, "%s-%s", arch, strrchr(triple, '-') + 1);
  } else snprintf(buf, buflen, "%s-unknown", arch);
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
static uint64_t get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

/* The shared object starts 16-byte aligned (padding after the wasm bytes is zero). */
#define SO_ALIGN 16u

wstatus waot_file_write(FILE *f, const waot_image *img, werr *err) {
  if (!f || !img || (img->wasm_len && !img->wasm) || (img->so_len && !img->so))
    return werr_set(err, WERR_ARG, "waot_file_write: missing image parts");
  uint8_t h[WAOT_HEADER_SIZE];
  memset(h, 0, sizeof h);
  memcpy(h, WAOT_MAGIC, 8);
  uint64_t wasm_off = WAOT_HEADER_SIZE;
  uint64_t so_off = (wasm_off + img->wasm_len + SO_ALIGN - 1) / SO_ALIGN * SO_ALIGN;
  put32(h + 8, WAOT_FORMAT_VERSION);
  put32(h + 12, img->flags);
  put64(h + 16, img->wasm_hash);
  put64(h + 24, wasm_off);
  put64(h + 32, img->wasm_len);
  put64(h + 40, so_off);
  put64(h + 48, img->so_len);
  /* strncpy semantics: NUL-padded, the last byte always NUL */
  size_t tl = strnlen(img->triple, sizeof img->triple);
  memcpy(h + 56, img->triple, tl < 63 ? tl : 63);
  const char *ver = img->weft_version[0] ? img->weft_version : WEFT_VERSION;
  size_t vl = strnlen(ver, 31);
  memcpy(h + 120, ver, vl);
  put32(h + 152, img->abi_version);
  static const uint8_t zeros[SO_ALIGN];
  size_t pad = (size_t)(so_off - wasm_off - img->wasm_len);
  if (fwrite(h, 1, sizeof h, f) != sizeof h ||
      (img->wasm_len && fwrite(img->wasm, 1, img->wasm_len, f) != img->wasm_len) ||
      (pad && fwrite(zeros, 1, pad, f) != pad) ||
      (img->so_len && fwrite(img->so, 1, img->so_len, f) != img->so_len))
    return werr_set(err, WERR_RESOURCE, "writing the .aot file failed");
  return W_OK;
}

/* Copies a NUL-padded header string field for messages: stops at NUL, replaces anything
 * unprintable with '?'. Returns false if the field has no NUL (not a string). */
static bool field_str(const uint8_t *p, size_t n, char *out, size_t outlen) {
  bool terminated = memchr(p, 0, n) != NULL;
  size_t k = 0;
  for (size_t i = 0; i < n && p[i] && k + 1 < outlen; i++)
    out[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
  out[k] = 0;
  return terminated;
}

/* A [off, off+size) range inside a buffer of len bytes, without overflow. */
static bool range_ok(uint64_t off, uint64_t size, size_t len) {
  return off <= len && size <= len - off;
}

#define RECOMPILE "compile the .wasm again with this weft's weftc"

wstatus waot_file_parse(const uint8_t *bytes, size_t len, waot_image *img, werr *err) {
  memset(img, 0, sizeof *img);
  if (!waot_is_aot(bytes, len))
    return werr_set(err, WERR_MALFORMED, "not a .aot file (bad magic): expected \"\\0weftaot\"");
  if (len < 12)
    return werr_set(err, WERR_MALFORMED, ".aot file truncated: %zu bytes, the header alone "
                    "is %u: the file is damaged; " RECOMPILE, len, WAOT_HEADER_SIZE);
  uint32_t fmt = get32(bytes + 8);
  if (fmt != WAOT_FORMAT_VERSION)
    return werr_set(err, WERR_MALFORMED, ".aot container format %u, this weft reads format "
                    "%u: " RECOMPILE, fmt, WAOT_FORMAT_VERSION);
  if (len < WAOT_HEADER_SIZE)
    return werr_set(err, WERR_MALFORMED, ".aot file truncated: %zu bytes, the header alone "
                    "is %u: the file is damaged; " RECOMPILE, len, WAOT_HEADER_SIZE);
  char ver[33], triple[65], norm[80];
  bool ver_ok = field_str(bytes + 120, 32, ver, sizeof ver);
  bool triple_ok = field_str(bytes + 56, 64, triple, sizeof triple);
  if (!ver_ok || !ver[0])
    return werr_set(err, WERR_MALFORMED, ".aot header: the weft version field is not a "
                    "string: the file is damaged; " RECOMPILE);
  if (!triple_ok || !triple[0])
    return werr_set(err, WERR_MALFORMED, ".aot header: the target triple field is not a "
                    "string: the file is damaged; " RECOMPILE);
  /* Compatibility first: a .aot of another weft may lay out everything else differently. */
  if (strcmp(ver, WEFT_VERSION) != 0)
    return werr_set(err, WERR_MALFORMED, ".aot made by weft %s, this is weft %s: recompile "
                    "the .wasm with this weft's weftc", ver, WEFT_VERSION);
  uint32_t abi = get32(bytes + 152);
  if (abi != WAOT_ABI_VERSION)
    return werr_set(err, WERR_MALFORMED, ".aot code uses AOT ABI version %u, this weft "
                    "expects %u: " RECOMPILE, abi, WAOT_ABI_VERSION);
  waot_triple_norm(triple, norm, sizeof norm);
  if (strcmp(norm, waot_host_triple()) != 0)
    return werr_set(err, WERR_MALFORMED, ".aot compiled for %s, this weft runs on %s: "
                    "compile the .wasm again with weftc --target=%s (or without --target)",
                    norm, waot_host_triple(), waot_host_triple());
  if (get32(bytes + 156) != 0)
    return werr_set(err, WERR_MALFORMED, ".aot header: reserved field is not 0: the file is "
                    "damaged; " RECOMPILE);
  uint32_t flags = get32(bytes + 12);
  if (flags & ~(uint32_t)(WAOT_F_BOUNDS_CHECKS | WAOT_F_MULTI_THREAD | WAOT_F_ASYNC_INTERRUPT))
    return werr_set(err, WERR_MALFORMED, ".aot header: unknown flags 0x%x: " RECOMPILE, flags);
  uint64_t wasm_off = get64(bytes + 24), wasm_len = get64(bytes + 32);
  uint64_t so_off = get64(bytes + 40), so_len = get64(bytes + 48);
  if (wasm_off < WAOT_HEADER_SIZE || !range_ok(wasm_off, wasm_len, len))
    return werr_set(err, WERR_MALFORMED, ".aot header: the wasm module (offset %llu, %llu "
                    "bytes) lies outside the %zu-byte file: the file is truncated or damaged; "
                    RECOMPILE, (unsigned long long)wasm_off, (unsigned long long)wasm_len, len);
  if (so_off < WAOT_HEADER_SIZE || !range_ok(so_off, so_len, len) || so_len == 0)
    return werr_set(err, WERR_MALFORMED, ".aot header: the shared object (offset %llu, %llu "
                    "bytes) lies outside the %zu-byte file: the file is truncated or damaged; "
                    RECOMPILE, (unsigned long long)so_off, (unsigned long long)so_len, len);
  if (wasm_off < so_off + so_len && so_off < wasm_off + wasm_len)
    return werr_set(err, WERR_MALFORMED, ".aot header: the wasm module and the shared object "
                    "overlap: the file is damaged; " RECOMPILE);
  uint64_t hash = get64(bytes + 16);
  uint64_t actual = waot_hash(bytes + wasm_off, (size_t)wasm_len);
  if (hash != actual)
    return werr_set(err, WERR_MALFORMED, ".aot header: the wasm module's hash 0x%016llx does "
                    "not match the header's 0x%016llx: the file is damaged; " RECOMPILE,
                    (unsigned long long)actual, (unsigned long long)hash);
  img->flags = flags;
  img->wasm_hash = hash;
  memcpy(img->triple, norm, strnlen(norm, sizeof img->triple - 1));
  memcpy(img->weft_version, ver, strnlen(ver, sizeof img->weft_version - 1));
  img->abi_version = abi;
  img->wasm = bytes + wasm_off;
  img->wasm_len = (size_t)wasm_len;
  img->so = bytes + so_off;
  img->so_len = (size_t)so_len;
  return W_OK;
}
