/* test_printf.c — libc-builtin's printf engine (src/libc/printf_engine.c) against the host's
 * snprintf for a table of formats, with the arguments laid out in a fake linear memory as
 * clang's wasm32 va_list does (each aligned to its size); and its checks: arguments or %s
 * strings past the end of memory fail with LBF_OOB instead of being read. */
#include <stdlib.h>
#include <sys/types.h>
#include "libc/printf_engine.h"
#include "wtest.h"

#define MEM_SIZE 4096
static uint8_t mem[MEM_SIZE];
static uint32_t va_at, va_end_, str_end;

static void va_reset(void) {
  va_at = va_end_ = 64;
  str_end = 2048;
}
static void push(const void *v, uint32_t size) {
  va_end_ = (va_end_ + size - 1) & ~(size - 1);
  memcpy(mem + va_end_, v, size);
  va_end_ += size;
}
static int pi(int32_t v) { push(&v, 4); return 0; }
static int pl(int64_t v) { push(&v, 8); return 0; }
static int pd(double v) { push(&v, 8); return 0; }
static int ps(const char *s) {
  uint32_t off = str_end, n = (uint32_t)strlen(s) + 1;
  memcpy(mem + off, s, n);
  str_end += n;
  return pi((int32_t)off);
}

typedef struct {
  lb_sink sink;
  char buf[1024];
  size_t n;
} str_sink;

static int put(lb_sink *s, const char *p, size_t n) {
  str_sink *o = (str_sink *)s;
  if (o->n + n >= sizeof o->buf) return -1;
  memcpy(o->buf + o->n, p, n);
  o->n += n;
  o->buf[o->n] = 0;
  return 0;
}

static int run(const char *fmt, str_sink *o, char *msg, size_t cap) {
  o->sink.put = put;
  o->n = 0;
  o->buf[0] = 0;
  uint64_t count = 0;
  int r = lb_format(fmt, mem, MEM_SIZE, va_at, &o->sink, &count, msg, cap);
  if (r == 0 && count != o->n) return -1;
  return r;
}

/* The table deliberately uses formats the host's checker dislikes (%y, %5%, extra args). */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wpragmas"

static int n_formats;

/* One row: PUSH lays the wasm32 arguments out; the rest are the same values for the host. */
#define ROW(fmt, PUSH, ...)                                                                \
  do {                                                                                     \
    va_reset();                                                                            \
    (void)(PUSH);                                                                          \
    char want[1024], msg[200];                                                             \
    snprintf(want, sizeof want, fmt, __VA_ARGS__);                                         \
    str_sink o;                                                                            \
    int r = run(fmt, &o, msg, sizeof msg);                                                 \
    WT_RECORD(r == 0 && strcmp(o.buf, want) == 0, "format \"%s\": got \"%s\" (%d %s), want \"%s\"", \
              fmt, o.buf, r, msg, want);                                                   \
    n_formats++;                                                                           \
  } while (0)

static void table(void) {
  ROW("plain text %%", 0, 0);
  ROW("%d %i %d %d", (pi(0), pi(42), pi(-42), pi(2147483647)), 0, 42, -42, 2147483647);
  ROW("%d|%u|%u", (pi(INT32_MIN), pi(0), pi(-1)), INT32_MIN, 0u, 4294967295u);
  ROW("%x %X %o", (pi((int32_t)0xdeadbeef), pi((int32_t)0xdeadbeef), pi(0777)), 0xdeadbeefu,
      0xdeadbeefu, 0777u);
  ROW("%#x %#X %#o %#x %#o %#.0o", (pi(255), pi(255), pi(8), pi(0), pi(0), pi(0)), 255u, 255u, 8u,
      0u, 0u, 0u);
  ROW("%5d|%-5d|%05d|%+d|% d|%+d|%+5d|%-+5d|", (pi(42), pi(42), pi(42), pi(42), pi(42), pi(-42),
      pi(3), pi(3)), 42, 42, 42, 42, 42, -42, 3, 3);
  ROW("%.3d|%.0d|%8.3d|%-8.3d|%08.3d|%.0x|", (pi(7), pi(0), pi(-7), pi(7), pi(7), pi(0)), 7, 0,
      -7, 7, 7, 0u);
  ROW("%*d|%-*d|%.*d|%*d|%.*d|", (pi(6), pi(1), pi(6), pi(2), pi(4), pi(3), pi(-6), pi(4),
      pi(-1), pi(5)), 6, 1, 6, 2, 4, 3, -6, 4, -1, 5);
  ROW("%hhd %hhu %hd %hu %hhx", (pi(300), pi(300), pi(70000), pi(70000), pi(-1)), 300, 300,
      70000, 70000, -1);
  ROW("%ld %lu %lx %zu %zd %td", (pi(123456789), pi((int32_t)4000000000u), pi(0xabcdef),
      pi(12345), pi(-5), pi(99)), 123456789L, 4000000000UL, 0xabcdefUL, (size_t)12345,
      (ssize_t)-5, (ptrdiff_t)99);
  ROW("%lld %llu %llx %llX %jd", (pl(INT64_MIN), pl(-1), pl(0x123456789abcdefLL),
      pl(0xfedcba987654321LL), pl(-77)), (long long)INT64_MIN, 18446744073709551615ULL,
      0x123456789abcdefULL, 0xfedcba987654321ULL, (intmax_t)-77);
  ROW("%d %lld %d", (pi(1), pl(2), pi(3)), 1, 2LL, 3);   /* 8-byte alignment in between */
  ROW("%c%c%c|%3c|%-3c|", (pi('a'), pi('b'), pi('c'), pi('x'), pi('y')), 'a', 'b', 'c', 'x', 'y');
  ROW("%s|%10s|%-10s|%.3s|%10.2s|%-6.4s|%s|", (ps("str"), ps("right"), ps("left"),
      ps("truncate"), ps("ab"), ps("abcdefg"), ps("")), "str", "right", "left", "truncate", "ab",
      "abcdefg", "");
  ROW("%.*s|%*s|", (pi(2), ps("precision"), pi(-4), ps("w")), 2, "precision", -4, "w");
  ROW("%f %f %f %f", (pd(0.0), pd(1.5), pd(-2.25), pd(1234567.891)), 0.0, 1.5, -2.25,
      1234567.891);
  ROW("%.0f %.1f %.2f %.10f", (pd(2.5), pd(0.05), pd(1.005), pd(3.14159265358979)), 2.5, 0.05,
      1.005, 3.14159265358979);
  ROW("%10.3f|%-10.3f|%010.3f|%+.2f|% .2f|%+010.1f|", (pd(3.14159), pd(3.14159), pd(-3.14159),
      pd(2.0), pd(2.0), pd(2.5)), 3.14159, 3.14159, -3.14159, 2.0, 2.0, 2.5);
  ROW("%e %E %.2e %.0e %#.0e", (pd(12345.678), pd(0.000123), pd(-1e100), pd(5e-5), pd(5e-5)),
      12345.678, 0.000123, -1e100, 5e-5, 5e-5);
  ROW("%g %g %g %g %g %G %.3g %#g", (pd(100000.0), pd(1000000.0), pd(0.0001), pd(0.00001),
      pd(123.456), pd(1e-10), pd(3.14159), pd(1.0)), 100000.0, 1000000.0, 0.0001, 0.00001,
      123.456, 1e-10, 3.14159, 1.0);
  ROW("%f %F %e %g %08f|%-8f|%08.2f", (pd(1.0 / 0.0), pd(-1.0 / 0.0), pd(0.0 / 0.0),
      pd(-1.0 / 0.0), pd(1.0 / 0.0), pd(-1.0 / 0.0), pd(-0.0)), 1.0 / 0.0, -1.0 / 0.0,
      0.0 / 0.0, -1.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0, -0.0);
  ROW("%a %A %.2a %012a", (pd(1.0), pd(-0.5), pd(3.1), pd(1.5)), 1.0, -0.5, 3.1, 1.5);
  ROW("%*.*f|%-*.*e|", (pi(12), pi(3), pd(2.71828), pi(12), pi(2), pd(2.71828)), 12, 3, 2.71828,
      12, 2, 2.71828);
  ROW("%.15g %.17g %f", (pd(0.1), pd(0.1), pd(1e20)), 0.1, 0.1, 1e20);
  ROW("%d %s %.2f %c %x %lld|%5%|", (pi(1), ps("two"), pd(3.0), pi('4'), pi(5), pl(6)), 1,
      "two", 3.0, '4', 5u, 6LL);
  ROW("%lc|%llu", (pi('z'), pl(7)), 'z', 7ULL);
}

static void special_cases(void) {
  str_sink o;
  char msg[200];
  /* %p: glibc's forms for a 32-bit pointer */
  va_reset();
  pi(0);
  pi(0x10);
  pi(0x10);
  CHECK_EQ(run("%p %p %8p|", &o, msg, sizeof msg), 0);
  CHECK_STR(o.buf, "(nil) 0x10     0x10|");
  /* a NULL %s prints (null), as glibc does */
  va_reset();
  pi(0);
  CHECK_EQ(run("[%s]", &o, msg, sizeof msg), 0);
  CHECK_STR(o.buf, "[(null)]");
  /* long double (binary128, 16-byte aligned) */
  va_reset();
  pi(1);
  uint8_t q[16] = {0};
  q[14] = 0xFF;
  q[15] = 0x3F;                                  /* 1.0L */
  va_end_ = (va_end_ + 15) & ~15u;
  memcpy(mem + va_end_, q, 16);
  va_end_ += 16;
  CHECK_EQ(run("%d %Lf", &o, msg, sizeof msg), 0);
  CHECK_STR(o.buf, "1 1.000000");
  /* a lone trailing % and an unknown conversion are printed as written */
  va_reset();
  CHECK_EQ(run("%y and 100%", &o, msg, sizeof msg), 0);
  CHECK_STR(o.buf, "%y and 100%");
  /* %n is refused */
  va_reset();
  pi(8);
  CHECK_EQ(run("x%n", &o, msg, sizeof msg), LBF_BAD);
  CHECK_CONTAINS(msg, "%n is not supported");
  /* huge widths are padded in chunks, not buffered: the sink (1 KiB) refuses */
  va_reset();
  pi(1);
  CHECK_EQ(run("%100000d", &o, msg, sizeof msg), LBF_SINK);
}

static void bad_inputs(void) {
  str_sink o;
  char msg[200];
  /* the va_list at the last 4 bytes, three ints wanted */
  va_at = MEM_SIZE - 4;
  CHECK_EQ(run("%d %d %d", &o, msg, sizeof msg), LBF_OOB);
  CHECK_CONTAINS(msg, "lies outside memory");
  /* an 8-byte argument straddling the end */
  va_at = MEM_SIZE - 8;
  CHECK_EQ(run("%d %lld", &o, msg, sizeof msg), LBF_OOB);
  /* a va_list far outside memory */
  va_at = 0xFFFFFFF0u;
  CHECK_EQ(run("%d", &o, msg, sizeof msg), LBF_OOB);
  /* %s of a string with no NUL before the end of memory */
  memset(mem + MEM_SIZE - 8, 'x', 8);
  va_reset();
  pi(MEM_SIZE - 8);
  CHECK_EQ(run("%s", &o, msg, sizeof msg), LBF_OOB);
  CHECK_CONTAINS(msg, "no NUL before the end of memory");
  /* ... but with a precision that stops inside memory it is fine */
  va_reset();
  pi(MEM_SIZE - 8);
  CHECK_EQ(run("%.8s|", &o, msg, sizeof msg), 0);
  CHECK_STR(o.buf, "xxxxxxxx|");
  va_reset();
  pi(MEM_SIZE - 8);
  CHECK_EQ(run("%.9s|", &o, msg, sizeof msg), LBF_OOB);
  /* %s pointer beyond memory */
  va_reset();
  pi(MEM_SIZE + 100);
  CHECK_EQ(run("%s", &o, msg, sizeof msg), LBF_OOB);
  memset(mem + MEM_SIZE - 8, 0, 8);
}

void test_printf(void) {
  table();
  CHECK(n_formats >= 25);
  special_cases();
  bad_inputs();
}
