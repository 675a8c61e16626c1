/* values.c — typed command-line arguments and printed results of the `weft` command. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_log_level = CLI_LOG_WARN;

void cli_log(int level, const char *fmt, ...) {
  static const char *const names[] = {"fatal", "error", "warning", "info", "debug", "verbose"};
  if (level > cli_log_level) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "weft: [%s] ", names[level < 0 ? 0 : level > 5 ? 5 : level]);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* Parses "nan:0xPAYLOAD" (optionally signed) into the bits of a float of the given width;
 * false if s is not of that form or the payload does not fit. */
static bool parse_nan_payload(const char *s, int bits, uint64_t *out) {
  bool neg = false;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  if (strncmp(s, "nan:0x", 6) != 0 || !s[6]) return false;
  char *end;
  errno = 0;
  uint64_t payload = strtoull(s + 6, &end, 16);
  int mant = bits == 32 ? 23 : 52;
  if (*end || errno || payload == 0 || payload >> mant) return false;
  uint64_t exp = bits == 32 ? 0xFFull << 23 : 0x7FFull << 52;
  *out = (neg ? 1ull << (bits - 1) : 0) | exp | payload;
  return true;
}

bool cli_parse_value(const char *s, weft_valtype t, weft_slot *out) {
  char *end;
  uint64_t bits;
  memset(out, 0, sizeof *out);
  errno = 0;
  switch (t) {
  case WEFT_I32:
  case WEFT_I64: {
    /* Negative numbers go through strtoll, others through strtoull, so both signed and
     * unsigned spellings of the full range work. */
    uint64_t v = s[0] == '-' ? (uint64_t)strtoll(s, &end, 0) : (uint64_t)strtoull(s, &end, 0);
    if (!*s || *end || errno) return false;
    if (t == WEFT_I32) {
      if (s[0] == '-' ? (int64_t)v < INT32_MIN : v > UINT32_MAX) return false;
      out->i32 = (uint32_t)v;
    } else {
      out->i64 = v;
    }
    return true;
  }
  case WEFT_F32:
    if (parse_nan_payload(s, 32, &bits)) { out->i32 = (uint32_t)bits; return true; }
    out->f32 = strtof(s, &end);
    return *s && !*end;
  case WEFT_F64:
    if (parse_nan_payload(s, 64, &bits)) { out->i64 = bits; return true; }
    out->f64 = strtod(s, &end);
    return *s && !*end;
  case WEFT_FUNCREF:
    return strcmp(s, "null") == 0; /* no way to name a function from the command line */
  case WEFT_EXTERNREF:
    if (strcmp(s, "null") == 0) return true;
    out->ref = (uintptr_t)strtoull(s, &end, 0);
    return *s && !*end && !errno;
  }
  return false;
}

/* The shortest %g spelling of a float that reads back to the same value. */
static void format_float(double v, bool single, char *buf, size_t size) {
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, v);
    if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v) return;
  }
}

void cli_format_value(weft_valtype t, weft_slot v, char *buf, size_t size) {
  char num[64];
  switch (t) {
  case WEFT_I32: snprintf(buf, size, "0x%" PRIx32 ":i32", v.i32); return;
  case WEFT_I64: snprintf(buf, size, "0x%" PRIx64 ":i64", v.i64); return;
  case WEFT_F32:
  case WEFT_F64: {
    bool single = t == WEFT_F32;
    double d = single ? (double)v.f32 : v.f64;
    uint64_t bits = single ? v.i32 : v.i64;
    bool neg = single ? (bits >> 31) & 1 : bits >> 63;
    if (isnan(d)) {
      uint64_t payload = single ? bits & 0x7FFFFF : bits & 0xFFFFFFFFFFFFFull;
      uint64_t canon = single ? 0x400000 : 0x8000000000000ull;
      if (payload == canon) snprintf(num, sizeof num, "%snan", neg ? "-" : "");
      else snprintf(num, sizeof num, "%snan:0x%" PRIx64, neg ? "-" : "", payload);
    } else if (isinf(d)) {
      snprintf(num, sizeof num, "%sinf", neg ? "-" : "");
    } else {
      format_float(d, single, num, sizeof num);
    }
    snprintf(buf, size, "%s:%s", num, single ? "f32" : "f64");
    return;
  }
  case WEFT_FUNCREF:
  case WEFT_EXTERNREF: {
    const char *tn = t == WEFT_FUNCREF ? "funcref" : "externref";
    if (v.ref) snprintf(buf, size, "0x%" PRIxPTR ":%s", v.ref, tn);
    else snprintf(buf, size, "ref.null:%s", tn);
    return;
  }
  }
  snprintf(buf, size, "?");
}

bool cli_parse_args(weft_func *f, const char *fname, char **args, int nargs, weft_slot *vals) {
  uint32_t np = weft_func_param_count(f);
  if ((uint32_t)nargs != np) {
    fprintf(stderr, "weft: error: function \"%s\" takes %u argument%s, got %d\n", fname, np,
            np == 1 ? "" : "s", nargs);
    return false;
  }
  for (uint32_t k = 0; k < np; k++) {
    if (!cli_parse_value(args[k], weft_func_param_type(f, k), &vals[k])) {
      char tn[32];
      weft_slot zero;
      memset(&zero, 0, sizeof zero);
      cli_format_value(weft_func_param_type(f, k), zero, tn, sizeof tn);
      fprintf(stderr, "weft: error: argument %u of \"%s\" ('%s') is not a valid %s\n", k + 1,
              fname, args[k], strchr(tn, ':') + 1);
      return false;
    }
  }
  return true;
}

void cli_print_results(weft_func *f, const weft_slot *results) {
  char buf[96];
  for (uint32_t k = 0; k < weft_func_result_count(f); k++) {
    cli_format_value(weft_func_result_type(f, k), results[k], buf, sizeof buf);
    printf("%s\n", buf);
  }
}

void cli_report_error(const weft_error *err) {
  fflush(stdout);
  if (err->kind == WEFT_ERR_TRAP) {
    fprintf(stderr, "Exception: %s\n", err->message);
    if (err->backtrace[0]) {
      fputs(err->backtrace, stderr);
      size_t n = strlen(err->backtrace);
      if (err->backtrace[n - 1] != '\n') fputc('\n', stderr);
    }
  } else {
    fprintf(stderr, "weft: error: %s\n", err->message);
  }
}

int cli_call_and_print(weft_exec *exec, weft_func *f, const char *fname, char **args,
                       int nargs, bool *exited, int *exit_code) {
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f);
  *exited = false;
  weft_slot *vals = calloc(np + 1, sizeof *vals); /* +1: calloc(0) may return NULL */
  weft_slot *results = calloc(nr + 1, sizeof *results);
  int status = CLI_EXIT_ERROR;
  if (!vals || !results) {
    fprintf(stderr, "weft: error: out of memory\n");
    goto out;
  }
  if (!cli_parse_args(f, fname, args, nargs, vals)) {
    status = CLI_EXIT_USAGE;
    goto out;
  }
  weft_error err;
  memset(&err, 0, sizeof err);
  cli_log(CLI_LOG_INFO, "calling \"%s\"", fname);
  if (weft_call(exec, f, vals, np, results, nr, &err) != WEFT_OK) {
    if (err.kind == WEFT_ERR_TRAP && err.trap == WEFT_TRAP_EXIT) {
      *exited = true;
      *exit_code = weft_exec_exit_code(exec);
      status = 0;
      goto out;
    }
    cli_report_error(&err);
    goto out;
  }
  cli_print_results(f, results);
  status = 0;
out:
  free(vals);
  free(results);
  return status;
}
