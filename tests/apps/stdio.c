/* stdio.c — printf, sprintf, snprintf, vprintf, vsprintf, vsnprintf, puts, putchar. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int my_vprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

static int my_vsprintf(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsprintf(buf, fmt, ap);
  va_end(ap);
  return n;
}

static int my_vsnprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int main(void) {
  char buf[64];
  int n = printf("printf: %d %s %c %x %.2f\n", 42, "str", 'c', 255, 3.14159);
  printf("printf returned %d\n", n);
  n = sprintf(buf, "[%5d|%-5s]", 7, "ab");
  printf("sprintf: %s (%d)\n", buf, n);
  memset(buf, '#', sizeof buf);
  n = snprintf(buf, 6, "%s", "truncated");
  printf("snprintf: %s (%d) next byte %s\n", buf, n, buf[6] == '#' ? "untouched" : "written");
  n = snprintf(NULL, 0, "%d", 123456);
  printf("snprintf(NULL, 0): %d\n", n);
  n = my_vprintf("vprintf: %d-%d-%d\n", 1, 2, 3);
  printf("vprintf returned %d\n", n);
  n = my_vsprintf(buf, "%s+%s", "left", "right");
  printf("vsprintf: %s (%d)\n", buf, n);
  n = my_vsnprintf(buf, 4, "%d", 987654);
  printf("vsnprintf: %s (%d)\n", buf, n);
  n = puts("puts line");
  printf("puts returned non-negative: %s\n", n >= 0 ? "yes" : "no");
  n = putchar('X');
  putchar('\n');
  printf("putchar returned %d\n", n);
  return 0;
}
