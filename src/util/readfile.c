/* readfile.c — wutil_read_file (readfile.h). */
#include "readfile.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

uint8_t *wutil_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) { free(buf); fclose(f); errno = ENOMEM; return NULL; }
      buf = nb;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0) break;
  }
  if (ferror(f)) { int e = errno ? errno : EIO; free(buf); fclose(f); errno = e; return NULL; }
  fclose(f);
  *len = n;
  return buf;
}
