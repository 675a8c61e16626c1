/* test_aot_file.c — the .aot container (src/aot/aot_file.c): hash, triples, write/parse
 * round trip, one crafted header per refusal (message checked), and untrusted bytes
 * (every truncation, every single-byte change of the header, random headers) never
 * crashing the parser or weft_module_new. */
#define _GNU_SOURCE
#include <stdio.h>
#include "wtest.h"
#include "aot/aot.h"
#include "aot/aot_abi.h"

/* (module (func (export "f") (result i32) i32.const 7)) */
static const uint8_t mod_f[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
  0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06,
  0x01, 0x04, 0x00, 0x41, 0x07, 0x0b,
};
static const uint8_t fake_so[40] = "\x7f" "ELF not really a shared object";

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* A valid image in a malloc'd buffer. */
static uint8_t *make(size_t *len) {
  waot_image img;
  memset(&img, 0, sizeof img);
  img.flags = WAOT_F_MULTI_THREAD;
  img.wasm_hash = waot_hash(mod_f, sizeof mod_f);
  snprintf(img.triple, sizeof img.triple, "%s", waot_host_triple());
  snprintf(img.weft_version, sizeof img.weft_version, "%s", WEFT_VERSION);
  img.abi_version = WAOT_ABI_VERSION;
  img.wasm = mod_f;
  img.wasm_len = sizeof mod_f;
  img.so = fake_so;
  img.so_len = sizeof fake_so;
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  werr e;
  wstatus s = waot_file_write(f, &img, &e);
  fclose(f);
  CHECK(s == W_OK);
  *len = n;
  return (uint8_t *)buf;
}

/* Parses bytes, expecting a refusal whose message contains `want`. */
static void refused(const uint8_t *b, size_t len, const char *want) {
  waot_image img;
  werr e;
  werr_clear(&e);
  wstatus s = waot_file_parse(b, len, &img, &e);
  CHECK(s == W_ERR && e.kind == WERR_MALFORMED);
  CHECK_CONTAINS(e.msg, want);
}

static void test_basics(void) {
  CHECK_EQ_U64(waot_hash((const uint8_t *)"", 0), 0xcbf29ce484222325ull);
  CHECK_EQ_U64(waot_hash((const uint8_t *)"a", 1), 0xaf63dc4c8601ec8cull);
  CHECK_EQ_U64(waot_hash((const uint8_t *)"foobar", 6), 0x85944171f73967e8ull);
#if defined(__x86_64__) && defined(__linux__)
  CHECK_STR(waot_host_triple(), "x86_64-linux");
#elif defined(__aarch64__) && defined(__linux__)
  CHECK_STR(waot_host_triple(), "aarch64-linux");
#endif
  static const char *const tr[][2] = {
    {"x86_64-pc-linux-gnu", "x86_64-linux"},   {"x86_64-linux-gnu", "x86_64-linux"},
    {"x86_64-linux", "x86_64-linux"},          {"aarch64-linux-gnu", "aarch64-linux"},
    {"aarch64-unknown-linux-musl", "aarch64-linux"}, {"arm64-apple-darwin23", "aarch64-darwin"},
    {"amd64-unknown-freebsd14", "x86_64-freebsd"},   {"riscv64-unknown-linux-gnu", "riscv64-linux"},
    {"armv7-unknown-linux-gnueabihf", "arm-linux"},  {"x86_64-w64-mingw32", "x86_64-windows"},
    {"i686-pc-linux-gnu", "i686-linux"},       {"x86_64", "x86_64-unknown"},
    {"", "-unknown"},                          {"sparc64-foo-bar", "sparc64-bar"},
  };
  for (size_t i = 0; i < sizeof tr / sizeof tr[0]; i++) {
    char buf[80];
    waot_triple_norm(tr[i][0], buf, sizeof buf);
    CHECK_STR(buf, tr[i][1]);
  }
  char tiny[4];
  waot_triple_norm("x86_64-pc-linux-gnu", tiny, sizeof tiny);
  CHECK_EQ(strlen(tiny), 3);
  CHECK(!waot_is_aot(mod_f, sizeof mod_f));
  CHECK(!waot_is_aot((const uint8_t *)WAOT_MAGIC, 7));
  CHECK(waot_is_aot((const uint8_t *)WAOT_MAGIC, 8));
  CHECK(!waot_is_aot(NULL, 8));
}

static void test_round_trip(void) {
  size_t len;
  uint8_t *b = make(&len);
  CHECK(waot_is_aot(b, len));
  CHECK_EQ(len % 1, 0);
  waot_image img;
  werr e;
  werr_clear(&e);
  CHECK(waot_file_parse(b, len, &img, &e) == W_OK);
  CHECK_EQ(img.flags, WAOT_F_MULTI_THREAD);
  CHECK_EQ_U64(img.wasm_hash, waot_hash(mod_f, sizeof mod_f));
  CHECK_STR(img.triple, waot_host_triple());
  CHECK_STR(img.weft_version, WEFT_VERSION);
  CHECK_EQ(img.abi_version, WAOT_ABI_VERSION);
  CHECK(img.wasm == b + WAOT_HEADER_SIZE && img.wasm_len == sizeof mod_f);
  CHECK(img.wasm_len && memcmp(img.wasm, mod_f, sizeof mod_f) == 0);
  CHECK(img.so_len == sizeof fake_so && memcmp(img.so, fake_so, sizeof fake_so) == 0);
  CHECK_EQ((uintptr_t)(img.so - b) % 16, 0);   /* the shared object is 16-byte aligned */
  CHECK_EQ(len, (size_t)(img.so - b) + sizeof fake_so);
  /* exact header bytes */
  CHECK(memcmp(b, "\0weftaot", 8) == 0);
  CHECK_EQ(b[8], WAOT_FORMAT_VERSION);
  CHECK_EQ(b[12], WAOT_F_MULTI_THREAD);
  CHECK_EQ(b[24], WAOT_HEADER_SIZE);
  CHECK_EQ(b[32], sizeof mod_f);
  CHECK_STR((const char *)b + 56, waot_host_triple());
  CHECK_STR((const char *)b + 120, WEFT_VERSION);
  CHECK_EQ(b[152], WAOT_ABI_VERSION);
  /* a foreign but equivalent triple spelling is accepted (normalised) */
  uint8_t *c = malloc(len);
  memcpy(c, b, len);
  memset(c + 56, 0, 64);
#if defined(__x86_64__) && defined(__linux__)
  memcpy(c + 56, "x86_64-pc-linux-gnu", 19);
  CHECK(waot_file_parse(c, len, &img, &e) == W_OK);
  CHECK_STR(img.triple, "x86_64-linux");
#endif
  free(c);
  free(b);
}

static void test_refusals(void) {
  size_t len;
  uint8_t *b = make(&len);
  uint8_t *c = malloc(len + 64);
#define FRESH() memcpy(c, b, len)
  refused(mod_f, sizeof mod_f, "bad magic");
  FRESH();
  refused(c, 11, "truncated");
  refused(c, WAOT_HEADER_SIZE - 1, "truncated");
  FRESH();
  put32(c + 8, 2);
  refused(c, len, "container format 2, this weft reads format 1");
  FRESH();
  memset(c + 120, 0, 32);
  memcpy(c + 120, "0.0.9", 5);
  refused(c, len, "made by weft 0.0.9, this is weft " WEFT_VERSION ": recompile");
  FRESH();
  memset(c + 120, 'x', 32);   /* no NUL */
  refused(c, len, "weft version field is not a string");
  FRESH();
  memset(c + 120, 0, 32);
  refused(c, len, "weft version field is not a string");
  FRESH();
  memset(c + 120, 0, 32);
  memcpy(c + 120, "0.1\x01\x02", 5);   /* unprintable bytes are not echoed */
  refused(c, len, "made by weft 0.1??");
  FRESH();
  put32(c + 152, WAOT_ABI_VERSION + 1);
  refused(c, len, "AOT ABI version");
  FRESH();
  memset(c + 56, 0, 64);
#if defined(__aarch64__)
  memcpy(c + 56, "x86_64-pc-linux-gnu", 19);
  refused(c, len, ".aot compiled for x86_64-linux, this weft runs on aarch64-linux: compile "
                  "the .wasm again with weftc --target=aarch64-linux");
#else
  memcpy(c + 56, "aarch64-linux-gnu", 17);
  char want[200];
  snprintf(want, sizeof want, ".aot compiled for aarch64-linux, this weft runs on %s: compile "
           "the .wasm again with weftc --target=%s", waot_host_triple(), waot_host_triple());
  refused(c, len, want);
#endif
  FRESH();
  memset(c + 56, 'a', 64);
  refused(c, len, "target triple field is not a string");
  FRESH();
  put32(c + 156, 1);
  refused(c, len, "reserved field");
  FRESH();
  put32(c + 12, 0x80);
  refused(c, len, "unknown flags 0x80");
  FRESH();
  put64(c + 24, 100);   /* inside the header */
  refused(c, len, "the wasm module (offset 100");
  FRESH();
  put64(c + 24, len);
  refused(c, len, "the wasm module");
  FRESH();
  put64(c + 32, UINT64_MAX - 100);   /* offset + size wraps */
  refused(c, len, "lies outside");
  FRESH();
  put64(c + 24, UINT64_MAX);
  refused(c, len, "lies outside");
  FRESH();
  put64(c + 40, len + 1);
  refused(c, len, "the shared object (offset");
  FRESH();
  put64(c + 48, UINT64_MAX);
  refused(c, len, "the shared object");
  FRESH();
  put64(c + 48, 0);
  refused(c, len, "the shared object");
  FRESH();
  put64(c + 40, WAOT_HEADER_SIZE);   /* on top of the wasm bytes */
  put64(c + 48, 16);
  refused(c, len, "overlap");
  FRESH();
  put64(c + 16, 12345);
  refused(c, len, "hash");
  FRESH();
  c[WAOT_HEADER_SIZE + 20] ^= 1;   /* the wasm bytes changed */
  refused(c, len, "does not match");
  /* the truncated file: shared object cut short */
  FRESH();
  refused(c, len - 1, "the shared object");
#undef FRESH
  free(c);
  free(b);
}

/* xorshift64* for reproducible random bytes */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rnd_state ^= rnd_state >> 12;
  rnd_state ^= rnd_state << 25;
  rnd_state ^= rnd_state >> 27;
  return rnd_state * 0x2545f4914f6cdd1dull;
}

static void test_untrusted(void) {
  size_t len;
  uint8_t *b = make(&len);
  waot_image img;
  werr e;
  int ok = 0, bad = 0;
  /* every truncation: heap copies of exactly that size, so ASan sees any over-read */
  for (size_t n = 0; n < len; n++) {
    uint8_t *t = malloc(n ? n : 1);
    memcpy(t, b, n);
    if (waot_file_parse(t, n, &img, &e) == W_OK) ok++;
    else bad += e.kind == WERR_MALFORMED;
    free(t);
  }
  CHECK_EQ(ok, 0);
  CHECK_EQ(bad, (int)len);
  /* every byte of the header set to a few values */
  static const uint8_t vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
  int accepted = 0, refused_n = 0;
  uint8_t *t = malloc(len);
  for (size_t i = 0; i < WAOT_HEADER_SIZE; i++) {
    for (size_t v = 0; v < sizeof vals; v++) {
      memcpy(t, b, len);
      t[i] = vals[v];
      wstatus s = waot_file_parse(t, len, &img, &e);
      if (s == W_OK) {
        accepted++;
        /* whatever is accepted is consistent */
        CHECK(img.wasm >= t + WAOT_HEADER_SIZE && img.wasm + img.wasm_len <= t + len);
        CHECK(img.so >= t + WAOT_HEADER_SIZE && img.so + img.so_len <= t + len);
      } else {
        refused_n += e.kind == WERR_MALFORMED && e.msg[0];
      }
    }
  }
  CHECK(accepted > 0 && refused_n > 0);
  CHECK_EQ(accepted + refused_n, WAOT_HEADER_SIZE * (int)sizeof vals);
  /* random headers after a valid magic */
  int crashes_avoided = 0;
  for (int k = 0; k < 20000; k++) {
    memcpy(t, b, len);
    int nflip = 1 + (int)(rnd() % 8);
    for (int f = 0; f < nflip; f++) t[8 + rnd() % (WAOT_HEADER_SIZE - 8)] = (uint8_t)rnd();
    size_t n = (size_t)(rnd() % (len + 1));
    uint8_t *u = malloc(n ? n : 1);
    memcpy(u, t, n);
    wstatus s = waot_file_parse(u, n, &img, &e);
    crashes_avoided += s == W_OK || (e.kind == WERR_MALFORMED && e.msg[0]);
    free(u);
  }
  CHECK_EQ(crashes_avoided, 20000);
  free(t);

  /* the same through weft_module_new: malformed, with the container's message */
  weft_runtime *rt = weft_runtime_new(NULL);
  weft_error err;
  uint8_t *c = malloc(len);
  memcpy(c, b, len);
  put32(c + 8, 7);
  CHECK(!weft_module_new(rt, c, len, &err) && err.kind == WEFT_ERR_MALFORMED);
  CHECK_CONTAINS(err.message, "container format 7");
  /* a valid container whose shared object is not one: refused when loading it */
  CHECK(!weft_module_new(rt, b, len, &err) && err.kind == WEFT_ERR_RESOURCE);
  CHECK_CONTAINS(err.message, "cannot load the AOT code");
  CHECK(!weft_module_new(rt, b, 8, &err) && err.kind == WEFT_ERR_MALFORMED);
  free(c);
  weft_runtime_delete(rt);
  free(b);
}

void test_aot_file(void) {
  test_basics();
  test_round_trip();
  test_refusals();
  test_untrusted();
}
