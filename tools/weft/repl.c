/* repl.c — `weft --repl`: call exports interactively, one "NAME ARGS..." line at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_WORDS 256

int cli_repl(weft_instance *inst, weft_exec *exec) {
  bool tty = isatty(STDIN_FILENO) != 0;
  char *line = NULL;
  size_t cap = 0;
  int status = 0;
  for (;;) {
    if (tty) {
      printf("webassembly> ");
      fflush(stdout);
    }
    if (getline(&line, &cap, stdin) < 0) break;
    char *words[MAX_WORDS];
    int n = 0;
    for (char *save = NULL, *w = strtok_r(line, " \t\r\n", &save); w;
         w = strtok_r(NULL, " \t\r\n", &save)) {
      if (n == MAX_WORDS) { n = -1; break; }
      words[n++] = w;
    }
    if (n < 0) { fprintf(stderr, "weft: error: too many arguments (at most %d)\n", MAX_WORDS - 1); continue; }
    if (n == 0) continue;
    if (strcmp(words[0], "__exit__") == 0) break;
    weft_func *f = weft_instance_func(inst, words[0]);
    if (!f) {
      fprintf(stderr, "weft: error: no exported function \"%s\"\n", words[0]);
      continue;
    }
    bool exited = false;
    int code = 0;
    cli_call_and_print(exec, f, words[0], words + 1, n - 1, &exited, &code);
    fflush(stdout);
    if (exited) { status = code; break; }
  }
  if (tty) printf("\n");
  free(line);
  return status;
}
