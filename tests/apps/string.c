/* string.c — memcmp, memcpy, memmove, memset, memchr, strlen, strnlen, strcmp, strncmp,
 * strcasecmp, strncasecmp, strcpy, strncpy, strcat, strncat, strchr, strrchr, strstr,
 * strpbrk, strspn, strcspn, strdup, strndup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Keeps the compiler from evaluating calls at compile time. */
static const char *volatile opaque_str(const char *s) { return s; }

static int sign(int v) { return v < 0 ? -1 : v > 0; }

int main(void) {
  char buf[32], dst[32];
  const char *hello = opaque_str("hello, world");

  printf("strlen: %d %d\n", (int)strlen(hello), (int)strlen(opaque_str("")));
  printf("strcmp: %d %d %d\n", sign(strcmp(hello, "hello")), sign(strcmp("abc", opaque_str("abd"))),
         sign(strcmp(hello, opaque_str("hello, world"))));
  printf("strncmp: %d %d\n", sign(strncmp(hello, opaque_str("help"), 3)),
         sign(strncmp(hello, opaque_str("help"), 4)));
  printf("strncasecmp: %d %d\n", sign(strncasecmp(opaque_str("HeLLo"), "hello", 5)),
         sign(strncasecmp(opaque_str("ABC"), "abd", 3)));

  printf("strcpy: %s\n", strcpy(buf, hello) == buf ? buf : "wrong return");
  memset(dst, 'z', sizeof dst);
  strncpy(dst, opaque_str("ab"), 5);
  printf("strncpy pads: %d %d %d %c\n", dst[2], dst[3], dst[4], dst[5]);
  strncpy(dst, hello, 5);
  dst[5] = 0;
  printf("strncpy truncates: %s\n", dst);

  printf("strchr: %s | %s\n", strchr(hello, 'w'), strchr(hello, 'q') ? "found" : "NULL");
  printf("strchr NUL: %d\n", (int)(strchr(hello, 0) - hello));
  printf("strstr: %s | %s\n", strstr(hello, opaque_str("lo,")), strstr(hello, "xyz") ? "found" : "NULL");
  printf("strspn: %d strcspn: %d\n", (int)strspn(hello, opaque_str("leh")),
         (int)strcspn(hello, opaque_str(" ,")));

  char *copy = strdup(hello);
  printf("strdup: %s (%s)\n", copy, copy != hello ? "new block" : "same pointer");
  free(copy);

  memset(buf, 0, sizeof buf);
  memcpy(buf, opaque_str("0123456789"), 10);
  printf("memcpy: %s\n", buf);
  memmove(buf + 2, buf, 6);
  printf("memmove forward: %s\n", buf);
  memmove(buf, buf + 4, 6);
  printf("memmove back: %s\n", buf);
  memset(buf + 1, '-', 3);
  printf("memset: %s\n", buf);
  printf("memcmp: %d %d %d\n", sign(memcmp(buf, "0", 1) - 0), sign(memcmp(opaque_str("ab"), "ac", 2)),
         sign(memcmp(opaque_str("ab\0x"), "ab\0y", 4)));
  printf("strnlen: %d %d\n", (int)strnlen(hello, 5), (int)strnlen(hello, 100));
  printf("strcasecmp: %d %d %d\n", sign(strcasecmp(opaque_str("HELLO, World"), hello)),
         sign(strcasecmp(opaque_str("a"), "B")), sign(strcasecmp(opaque_str("b"), "A")));
  strcpy(dst, opaque_str("cat"));
  strcat(dst, opaque_str("-a-"));
  strncat(dst, hello, 4);
  strncat(dst, opaque_str("!"), 10);
  printf("strcat/strncat: %s\n", dst);
  printf("strrchr: %s | %s\n", strrchr(hello, 'o'), strrchr(hello, 'q') ? "found" : "NULL");
  printf("strpbrk: %s | %s\n", strpbrk(hello, opaque_str("wr,")), strpbrk(hello, "xyz") ? "found" : "NULL");
  char *part = strndup(hello, 4), *whole = strndup(hello, 100);
  printf("strndup: %s %s\n", part, whole);
  free(part);
  free(whole);
  const char *m = memchr(hello, ',', 12);
  printf("memchr: %d %s\n", (int)(m - hello), memchr(hello, '!', 12) ? "found" : "NULL");
  return 0;
}
