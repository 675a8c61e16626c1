/* printf_table.c — a table of printf formats. run-apps.sh builds this file twice, for weft
 * (libc-builtin's printf) and natively with gcc (the host C library), and compares the two
 * outputs byte for byte. Every value fits both ILP32 (wasm32) and LP64. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#define ROW(...) do { printf("%-3d|", ++row); printf(__VA_ARGS__); printf("|\n"); } while (0)

int main(void) {
  int row = 0;
  /* integers */
  ROW("%d %i %d %d", 0, 42, -42, 2147483647);
  ROW("%d", -2147483647 - 1);
  ROW("%u %u", 0u, 4294967295u);
  ROW("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
  ROW("%#x %#X %#o %#x", 255u, 255u, 8u, 0u);
  ROW("%5d|%-5d|%05d|%+d|% d|%+d", 42, 42, 42, 42, 42, -42);
  ROW("%.3d|%.0d|%8.3d|%-8.3d|%08.3d", 7, 0, -7, 7, 7);
  ROW("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3);
  ROW("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
  ROW("%ld %lu %lx", 123456789L, 4000000000UL, 0xabcdefUL);
  ROW("%lld %llu %llx %llX", -9223372036854775807LL - 1, 18446744073709551615ULL,
      0x123456789abcdefULL, 0xfedcba987654321ULL);
  ROW("%zu %zd %zx", (size_t)12345, (ptrdiff_t)-5, (size_t)0xbeef);
  ROW("%jd %td", (intmax_t)-77, (ptrdiff_t)99);
  /* characters and strings */
  ROW("%c%c%c|%3c|%-3c", 'a', 'b', 'c', 'x', 'y');
  ROW("%s|%10s|%-10s|%.3s|%10.2s|%-6.4s", "str", "right", "left", "truncate", "ab", "abcdefg");
  ROW("%s", "");
  ROW("%.*s|%*s", 2, "precision", -4, "w");
  ROW("100%% %c", '%');
  /* floating point */
  ROW("%f %f %f %f", 0.0, 1.5, -2.25, 1234567.891);
  ROW("%.0f %.1f %.2f %.10f", 2.5, 0.05, 1.005, 3.14159265358979);
  ROW("%10.3f|%-10.3f|%010.3f|%+.2f|% .2f", 3.14159, 3.14159, -3.14159, 2.0, 2.0);
  ROW("%e %E %.2e %.0e", 12345.678, 0.000123, -1e100, 5e-5);
  ROW("%g %g %g %g %g", 100000.0, 1000000.0, 0.0001, 0.00001, 123.456);
  ROW("%G %.3g %#g %g", 1e-10, 3.14159, 1.0, 0.0);
  ROW("%f %f %e %g", 1e300 * 1e10, -1e300 * 1e10, 1e300 * 1e10, -1e300 * 1e10);
  ROW("%F %E %G", 1e300 * 1e10, 1e300 * 1e10, -1e300 * 1e10);
  ROW("%.3f %.3f", 0.0005, 0.0015);
  ROW("%f", 1e20);
  ROW("%.15g %.17g", 0.1, 0.1);
  ROW("%a %A", 1.0, -0.5);
  ROW("%8.2e|%-12.4E|", 31415.9265, 0.000271828);
  /* mixed */
  ROW("%d %s %.2f %c %x %lld", 1, "two", 3.0, '4', 5u, 6LL);
  ROW("%-4d|%4s|%-6.1f|", 12, "ab", 9.87);
  return 0;
}
