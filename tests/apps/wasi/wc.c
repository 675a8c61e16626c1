/* wc — counts lines, words and bytes of each file (or stdin), like wc(1). */
#include <ctype.h>
#include <stdio.h>

static int count(FILE *f, const char *name, long *tl, long *tw, long *tc) {
  long l = 0, w = 0, c = 0;
  int ch, inword = 0;
  while ((ch = getc(f)) != EOF) {
    c++;
    if (ch == '\n') l++;
    if (isspace(ch)) inword = 0;
    else if (!inword) { inword = 1; w++; }
  }
  printf("%7ld %7ld %7ld %s\n", l, w, c, name);
  *tl += l; *tw += w; *tc += c;
  return ferror(f) ? 1 : 0;
}

int main(int argc, char **argv) {
  long tl = 0, tw = 0, tc = 0;
  int rc = 0;
  if (argc < 2) return count(stdin, "", &tl, &tw, &tc);
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) { perror(argv[i]); rc = 1; continue; }
    rc |= count(f, argv[i], &tl, &tw, &tc);
    fclose(f);
  }
  if (argc > 2) printf("%7ld %7ld %7ld total\n", tl, tw, tc);
  return rc;
}
