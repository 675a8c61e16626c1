/* ctype.c — isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower, isprint,
 * ispunct, isspace, isupper, isxdigit, tolower, toupper over all of ASCII: prints the
 * members of each class. */
#include <ctype.h>
#include <stdio.h>

static void show(const char *name, int (*fn)(int)) {
  printf("%-8s", name);
  for (int c = 0; c < 128; c++) {
    if (!fn(c)) continue;
    if (c > 32 && c < 127) putchar(c);
    else printf("\\x%02x", c);
  }
  printf("\n");
}

int main(void) {
  show("isalnum", isalnum);
  show("isalpha", isalpha);
  show("isblank", isblank);
  show("iscntrl", iscntrl);
  show("isdigit", isdigit);
  show("isgraph", isgraph);
  show("islower", islower);
  show("isprint", isprint);
  show("ispunct", ispunct);
  show("isspace", isspace);
  show("isupper", isupper);
  show("isxdigit", isxdigit);
  printf("tolower: %c%c%c%c toupper: %c%c%c%c\n", tolower('A'), tolower('z'), tolower('5'),
         tolower('@'), toupper('a'), toupper('Z'), toupper('5'), toupper('['));
  printf("EOF: %d %d\n", tolower(-1), toupper(-1));
  return 0;
}
