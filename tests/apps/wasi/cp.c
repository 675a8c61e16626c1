/* cp — copies SRC to DST with read/write in 4 KiB blocks, then reads DST back and
 * compares; prints the byte count. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: cp SRC DST\n"); return 2; }
  int in = open(argv[1], O_RDONLY);
  if (in < 0) { perror(argv[1]); return 1; }
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) { perror(argv[2]); return 1; }
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, n - off);
      if (w <= 0) { perror("write"); return 1; }
      off += w;
    }
    total += n;
  }
  if (n < 0) { perror("read"); return 1; }
  close(in);
  close(out);
  FILE *a = fopen(argv[1], "rb"), *b = fopen(argv[2], "rb");
  if (!a || !b) { perror("reopen"); return 1; }
  char x[4096], y[4096];
  size_t na, nb;
  do {
    na = fread(x, 1, sizeof x, a);
    nb = fread(y, 1, sizeof y, b);
    if (na != nb || memcmp(x, y, na) != 0) { printf("copies differ\n"); return 1; }
  } while (na > 0);
  printf("copied %ld bytes from %s to %s\n", total, argv[1], argv[2]);
  return 0;
}
