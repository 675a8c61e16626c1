/* strings.c — string and memcpy-heavy work: builds records by concatenating words
 * (memcpy), measures them (strlen), reverses, compares (memcmp-like loops), searches for a
 * substring and hashes the results. Exercises byte loads/stores and memory.copy. */
#include "kernel.h"

static const char *const words[] = {
  "weft", "warp", "loom", "shuttle", "heddle", "reed", "bobbin", "spindle",
  "thread", "needle", "fabric", "tapestry", "selvage", "twill", "satin", "damask",
};
#define NWORDS 16
#define RECORD 256
#define NRECORDS 512

static char records[NRECORDS][RECORD];
static char scratch[RECORD];

static size_t slen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static int scmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char)*a - (unsigned char)*b;
}

static int contains(const char *hay, const char *needle) {
  size_t nl = slen(needle), hl = slen(hay);
  for (size_t i = 0; i + nl <= hl; i++) {
    size_t j = 0;
    while (j < nl && hay[i + j] == needle[j]) j++;
    if (j == nl) return 1;
  }
  return 0;
}

static uint32_t fnv1a(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
  return h;
}

long long bench(int n) {
  uint32_t seed = 7;
  long long acc = 0;
  for (int rep = 0; rep < n; rep++) {
    /* Build every record from random words joined by '-'. */
    for (int r = 0; r < NRECORDS; r++) {
      size_t len = 0;
      for (;;) {
        seed = seed * 1664525u + 1013904223u;
        const char *w = words[(seed >> 24) % NWORDS];
        size_t wl = slen(w);
        if (len + wl + 2 > RECORD) break;
        k_memcpy(records[r] + len, w, wl);
        len += wl;
        records[r][len++] = '-';
      }
      records[r][len] = 0;
    }
    /* Reverse a copy of each record, compare neighbours, search, hash. */
    for (int r = 0; r < NRECORDS; r++) {
      size_t len = slen(records[r]);
      k_memcpy(scratch, records[r], len + 1);
      for (size_t i = 0, j = len - 1; i < j; i++, j--) {
        char t = scratch[i]; scratch[i] = scratch[j]; scratch[j] = t;
      }
      int c = scmp(records[r], records[(r + 1) % NRECORDS]);
      acc += (c > 0) - (c < 0);
      acc += contains(records[r], "reed-loom") * 3 + contains(scratch, "tfew");
      acc = (acc * 131 + fnv1a(scratch, len)) & 0xFFFFFFFFFFFFll;
    }
  }
  return acc;
}

KERNEL_CHECK(2)
