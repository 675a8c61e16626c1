/* main.c — the `weft` command line: load a module, instantiate it, call one export with
 * arguments parsed from the command line, and print the results (minimal version). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: weft [options] FILE.wasm [ARGS...]\n"
          "Loads and instantiates FILE.wasm, then calls an exported function with ARGS\n"
          "converted to its parameter types, and prints each result on its own line.\n"
          "  --function NAME    function to call (default: _start, else main)\n"
          "  --bounds-checks    explicit bounds checks instead of guard pages\n"
          "  --stack-size=N     value stack size in bytes per thread (default 1 MiB)\n"
          "  --version          print the version\n"
          "  -h, --help         this text\n"
          "Arguments: i32/i64 as decimal (signed or unsigned) or 0x hex; f32/f64 as C\n"
          "floating literals (also nan, inf); references as null or a number.\n"
          "Results: i32/i64 as signed decimal (e.g. 42, -1), f32 with %%.9g and f64 with\n"
          "%%.17g, references as null or ref:0xADDR; one value per line.\n"
          "Errors go to stderr as \"weft: error: MESSAGE\" (traps add a backtrace); the exit\n"
          "status is 1 on any error, else 0.\n");
}

/* Prints an error (and, for traps, its backtrace) and returns exit status 1. */
static int report(const weft_error *err, const char *what) {
  fprintf(stderr, "weft: error: %s%s%s\n", what ? what : "", what ? ": " : "", err->message);
  if (err->kind == WEFT_ERR_TRAP && err->backtrace[0]) fputs(err->backtrace, stderr);
  return 1;
}

/* Reads a whole file into memory; NULL (errno set) on failure. */
static uint8_t *read_file(const char *path, size_t *len) {
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
  if (ferror(f)) { free(buf); fclose(f); errno = EIO; return NULL; }
  fclose(f);
  *len = n;
  return buf;
}

/* Converts one command-line argument to a value of type t; 0 if it does not parse. */
static int parse_arg(const char *s, weft_valtype t, weft_slot *out) {
  char *end;
  memset(out, 0, sizeof *out);
  errno = 0;
  switch (t) {
  case WEFT_I32:
  case WEFT_I64: {
    /* Negative numbers go through strtoll, others through strtoull, so both signed and
     * unsigned spellings of the full range work; the value then wraps to the width. */
    uint64_t v = s[0] == '-' ? (uint64_t)strtoll(s, &end, 0) : (uint64_t)strtoull(s, &end, 0);
    if (!*s || *end || errno) return 0;
    if (t == WEFT_I32) {
      if (s[0] == '-' ? (int64_t)v < INT32_MIN : v > UINT32_MAX) return 0;
      out->i32 = (uint32_t)v;
    } else {
      out->i64 = v;
    }
    return 1;
  }
  case WEFT_F32:
    out->f32 = strtof(s, &end);
    return *s && !*end;
  case WEFT_F64:
    out->f64 = strtod(s, &end);
    return *s && !*end;
  case WEFT_FUNCREF:
    return strcmp(s, "null") == 0; /* no way to name a function from the command line */
  case WEFT_EXTERNREF:
    if (strcmp(s, "null") == 0) return 1;
    out->ref = (uintptr_t)strtoull(s, &end, 0);
    return *s && !*end && !errno;
  }
  return 0;
}

/* Prints one result value on its own line. */
static void print_value(weft_valtype t, weft_slot v) {
  switch (t) {
  case WEFT_I32: printf("%" PRId32 "\n", (int32_t)v.i32); break;
  case WEFT_I64: printf("%" PRId64 "\n", (int64_t)v.i64); break;
  case WEFT_F32: printf("%.9g\n", (double)v.f32); break;
  case WEFT_F64: printf("%.17g\n", v.f64); break;
  case WEFT_FUNCREF:
  case WEFT_EXTERNREF:
    if (v.ref) printf("ref:0x%" PRIxPTR "\n", v.ref);
    else printf("null\n");
    break;
  }
}

int main(int argc, char **argv) {
  const char *func_name = NULL;
  weft_config cfg;
  memset(&cfg, 0, sizeof cfg);
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
    if (strcmp(a, "--version") == 0) { printf("weft %s\n", WEFT_VERSION); return 0; }
    if (strcmp(a, "--bounds-checks") == 0) cfg.bounds_checks = true;
    else if (strcmp(a, "--function") == 0 && i + 1 < argc) func_name = argv[++i];
    else if (strncmp(a, "--function=", 11) == 0) func_name = a + 11;
    else if (strncmp(a, "--stack-size=", 13) == 0) {
      char *end;
      errno = 0;
      unsigned long long n = strtoull(a + 13, &end, 0);
      if (!a[13] || *end || errno || n == 0 || n > UINT32_MAX) {
        fprintf(stderr, "weft: error: bad --stack-size '%s'\n", a + 13);
        return 1;
      }
      cfg.value_stack_bytes = (uint32_t)n;
    } else {
      fprintf(stderr, "weft: error: unknown option %s\n", a);
      usage(stderr);
      return 1;
    }
  }
  if (i >= argc) { usage(stderr); return 1; }
  const char *path = argv[i++];
  int nargs = argc - i;
  char **args = argv + i;

  size_t len = 0;
  uint8_t *bytes = read_file(path, &len);
  if (!bytes) { fprintf(stderr, "weft: error: cannot read %s: %s\n", path, strerror(errno)); return 1; }
  int status = 1;
  weft_error err;
  memset(&err, 0, sizeof err);
  weft_runtime *rt = weft_runtime_new(&cfg);
  weft_module *mod = NULL;
  weft_instance *inst = NULL;
  weft_exec *exec = NULL;
  weft_slot *vals = NULL;
  if (!rt) { fprintf(stderr, "weft: error: cannot create the runtime\n"); goto out; }
  if (!(mod = weft_module_new(rt, bytes, len, &err))) { status = report(&err, path); goto out; }
  if (!(exec = weft_exec_new(rt))) { fprintf(stderr, "weft: error: cannot create an execution environment\n"); goto out; }
  if (!(inst = weft_instantiate(rt, mod, exec, &err))) { status = report(&err, NULL); goto out; }
  weft_func *f = NULL;
  if (func_name) f = weft_instance_func(inst, func_name);
  else if ((f = weft_instance_func(inst, "_start"))) func_name = "_start";
  else if ((f = weft_instance_func(inst, "main"))) func_name = "main";
  if (!f) {
    if (func_name) fprintf(stderr, "weft: error: no exported function \"%s\"\n", func_name);
    else fprintf(stderr, "weft: error: no _start or main export; use --function NAME\n");
    goto out;
  }
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f);
  if ((uint32_t)nargs != np) {
    fprintf(stderr, "weft: error: \"%s\" takes %u argument%s, got %d\n", func_name, np, np == 1 ? "" : "s", nargs);
    goto out;
  }
  vals = calloc(np + 1, sizeof *vals); /* +1: calloc(0) may return NULL */
  if (!vals) { fprintf(stderr, "weft: error: out of memory\n"); goto out; }
  for (uint32_t k = 0; k < np; k++) {
    if (!parse_arg(args[k], weft_func_param_type(f, k), &vals[k])) {
      fprintf(stderr, "weft: error: argument %u '%s' is not a valid value of its parameter type\n", k + 1, args[k]);
      goto out;
    }
  }
  weft_slot *results = calloc(nr + 1, sizeof *results);
  if (!results) { fprintf(stderr, "weft: error: out of memory\n"); goto out; }
  if (weft_call(exec, f, vals, np, results, nr, &err) != WEFT_OK) {
    status = report(&err, NULL);
    free(results);
    goto out;
  }
  for (uint32_t k = 0; k < nr; k++) print_value(weft_func_result_type(f, k), results[k]);
  free(results);
  status = 0;
out:
  fflush(stdout);
  free(vals);
  if (inst) weft_instance_delete(inst);
  if (mod) weft_module_delete(mod);
  if (exec) weft_exec_delete(exec);
  if (rt) weft_runtime_delete(rt);
  free(bytes);
  return status;
}
