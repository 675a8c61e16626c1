/* walk — lists a directory tree depth-first, entries sorted by name, with type and size
 * (symbolic links are listed, not followed). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *path, int depth) {
  DIR *d = opendir(path);
  if (!d) { perror(path); return 1; }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    struct stat st;
    if (lstat(full, &st) != 0) { perror(full); rc = 1; continue; }
    const char *kind = S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link"
                     : S_ISREG(st.st_mode) ? "file" : "other";
    printf("%*s%s %s", depth * 2, "", kind, names[i]);
    if (S_ISREG(st.st_mode)) printf(" %lld", (long long)st.st_size);
    printf("\n");
    if (S_ISDIR(st.st_mode)) rc |= walk(full, depth + 1);
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) { return walk(argc > 1 ? argv[1] : ".", 0); }
