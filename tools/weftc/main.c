/* main.c — weftc, weft's ahead-of-time compiler: `weftc [options] -o out.aot in.wasm`
 * translates a validated module to C, compiles that with the system C compiler into a
 * shared object and packs module and code into a .aot file that weft loads like a .wasm.
 * The pipeline is src/aot/aot_compile.c; docs/aot.md and docs/cli.md are the reference. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot/aot.h"
#include "aot/aot_abi.h"
#include "aot/aot_compile.h"
#include "weft.h"
#include "util/readfile.h"
#include <unistd.h>
#undef W_OK /* unistd.h's access() mode; werr.h's W_OK (included above) is meant */

enum { EXIT_ERR = 1, EXIT_USAGE = 2 };

typedef struct {
  waot_compile_opts co;
  const char *in, *out;
  bool emit_c;              /* --emit-c: OUT with .c in place of .aot */
  const char *emit_c_path;  /* --emit-c=FILE */
  bool verbose;
} options;

static void usage(FILE *f) {
  fprintf(f,
    "usage: weftc [options] -o OUT.aot IN.wasm\n"
    "Compiles a WebAssembly module ahead of time: translates it to C, compiles that with\n"
    "the system C compiler into native code and writes OUT.aot (the module and its code),\n"
    "which `weft OUT.aot` runs at native speed.\n"
    "\n"
    "options:\n"
    "  -o FILE                 the .aot file to write (required)\n"
    "  --enable-multi-thread   allow shared memory (threaded programs: required for them)\n"
    "  --opt-level=N           the C compiler's optimisation level 0-3 (default %d)\n"
    "  --target=TRIPLE         compile for another machine (e.g. aarch64-linux-gnu): clang\n"
    "                          gets --target=TRIPLE, else TRIPLE-gcc is used\n"
    "  --cc=COMPILER           the C compiler (default $CC, else cc)\n"
    "  --bounds-checks=0|1     1: explicit bounds checks, for hosts without guard pages\n"
    "                          and for weft --bounds-checks (which refuses code without\n"
    "                          them); default 0\n"
    "  --emit-c[=FILE]         also write the generated C (default: OUT with .c for .aot)\n"
    "  -v                      print what was compiled and how long each step took\n"
    "  --version               print the version\n"
    "  -h, --help              this text\n"
    "\n"
    "Exit status: 0 when OUT.aot was written; 1 when the input cannot be read or is not a\n"
    "valid module, or the C compiler is missing or fails (its first error lines are shown);\n"
    "2 for a usage error.\n"
    "Loading a .aot runs its native code: run only .aot files from a producer you trust.\n",
    WAOT_DEFAULT_OPT_LEVEL);
}

/* Prints a usage error and returns the usage exit status. */
static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "weftc: error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(weftc --help lists the options)\n");
  return EXIT_USAGE;
}

/* Parses the options (in any order, -o anywhere, "--" ends them); returns 1 to go on,
 * 0 to exit with status 0 (--help, --version), or -status. */
static int parse_options(int argc, char **argv, options *o) {
  bool opts_done = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (opts_done || a[0] != '-' || !a[1]) {
      if (o->in) return -usage_error("more than one input file (%s)", a);
      o->in = a;
      continue;
    }
    if (strcmp(a, "--") == 0) { opts_done = true; continue; }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
    if (strcmp(a, "--version") == 0) {
      printf("weftc %s (.aot format %u, ABI %u, host %s)\n", WEFT_VERSION, WAOT_FORMAT_VERSION,
             WAOT_ABI_VERSION, waot_host_triple());
      return 0;
    }
    if (strcmp(a, "-o") == 0) {
      if (i + 1 >= argc) return -usage_error("%s needs a file name", a);
      o->out = argv[++i];
    } else if (strncmp(a, "-o", 2) == 0 && a[2] != '-') {
      o->out = a[2] == '=' ? a + 3 : a + 2;   /* -oFILE, -o=FILE */
    } else if (strcmp(a, "--enable-multi-thread") == 0) {
      o->co.multi_thread = true;
    } else if (strncmp(a, "--opt-level=", 12) == 0) {
      const char *v = a + 12;
      if (!(v[0] >= '0' && v[0] <= '3' && !v[1])) return -usage_error("bad --opt-level '%s' (0 to 3)", v);
      o->co.opt_level = v[0] - '0';
    } else if (strncmp(a, "--target=", 9) == 0) {
      if (!a[9]) return -usage_error("bad --target '%s'", a + 9);
      o->co.target = a + 9;
    } else if (strncmp(a, "--cc=", 5) == 0) {
      if (!a[5]) return -usage_error("bad --cc '%s'", a + 5);
      o->co.cc = a + 5;
    } else if (strcmp(a, "--bounds-checks") == 0 || strcmp(a, "--bounds-checks=1") == 0) {
      o->co.bounds_checks = true;
    } else if (strcmp(a, "--bounds-checks=0") == 0) {
      o->co.bounds_checks = false;
    } else if (strncmp(a, "--bounds-checks=", 16) == 0) {
      return -usage_error("bad --bounds-checks '%s' (0 or 1)", a + 16);
    } else if (strcmp(a, "--emit-c") == 0) {
      o->emit_c = true;
    } else if (strncmp(a, "--emit-c=", 9) == 0) {
      if (!a[9]) return -usage_error("bad --emit-c '%s'", a + 9);
      o->emit_c_path = a + 9;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      o->verbose = true;
    } else {
      return -usage_error("unknown option %s", a);
    }
  }
  if (!o->in) return -usage_error("%s", "no input file given");
  if (!o->out) return -usage_error("%s", "no output file given (-o OUT.aot)");
  return 1;
}


/* Writes len bytes to path (replacing it); false with a message on failure. */
static bool write_file(const char *path, const uint8_t *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "weftc: error: cannot create %s: %s\n", path, strerror(errno));
    return false;
  }
  bool ok = fwrite(bytes, 1, len, f) == len;
  int e = errno;
  if (fclose(f) != 0 && ok) { ok = false; e = errno; }
  if (!ok) {
    fprintf(stderr, "weftc: error: writing %s: %s\n", path, strerror(e ? e : EIO));
    unlink(path);
  }
  return ok;
}

/* "1.2 MB", "34.5 KB", "123 bytes" */
static const char *human(size_t n, char *buf, size_t len) {
  if (n >= 1000000) snprintf(buf, len, "%.1f MB", (double)n / 1e6);
  else if (n >= 10000) snprintf(buf, len, "%.1f KB", (double)n / 1e3);
  else snprintf(buf, len, "%zu bytes", n);
  return buf;
}

int main(int argc, char **argv) {
  options o;
  memset(&o, 0, sizeof o);
  waot_compile_opts_init(&o.co);
  int r = parse_options(argc, argv, &o);
  if (r <= 0) return -r;

  char cpath[4096];
  if (o.emit_c_path) {
    o.co.emit_c_path = o.emit_c_path;
  } else if (o.emit_c) {
    size_t l = strlen(o.out);
    if (l > 4 && strcmp(o.out + l - 4, ".aot") == 0) l -= 4;
    if (snprintf(cpath, sizeof cpath, "%.*s.c", (int)l, o.out) >= (int)sizeof cpath)
      return usage_error("output path too long: %s", o.out);
    o.co.emit_c_path = cpath;
  }

  size_t len = 0;
  uint8_t *wasm = wutil_read_file(o.in, &len);
  if (!wasm) {
    fprintf(stderr, "weftc: error: cannot read %s: %s\n", o.in, strerror(errno));
    return EXIT_ERR;
  }
  if (waot_is_aot(wasm, len)) {
    fprintf(stderr, "weftc: error: %s is already a .aot file; weftc compiles .wasm modules\n",
            o.in);
    free(wasm);
    return EXIT_ERR;
  }
  uint8_t *aot = NULL;
  size_t aot_len = 0;
  waot_compile_stats st;
  werr e;
  werr_clear(&e);
  if (waot_compile(wasm, len, &o.co, &aot, &aot_len, &st, &e) != W_OK) {
    const char *what = e.kind == WERR_MALFORMED ? "not a valid WebAssembly binary: "
                       : e.kind == WERR_INVALID ? "invalid module: "
                                                : "";
    fprintf(stderr, "weftc: error: %s: %s%s\n", o.in, what, e.msg);
    if (o.co.emit_c_path && st.c_bytes)
      fprintf(stderr, "weftc: the generated C is in %s\n", o.co.emit_c_path);
    free(wasm);
    return EXIT_ERR;
  }
  free(wasm);
  bool ok = write_file(o.out, aot, aot_len);
  free(aot);
  if (!ok) return EXIT_ERR;
  if (o.verbose) {
    char b1[32], b2[32], b3[32], b4[32];
    double mb = (double)st.wasm_bytes / 1e6;
    fprintf(stderr, "weftc: %s: %s wasm, %u functions -> %s C -> %s native code (%s) -> %s\n",
            o.in, human(st.wasm_bytes, b1, sizeof b1), st.nfuncs, human(st.c_bytes, b2, sizeof b2),
            human(st.so_bytes, b3, sizeof b3), st.cc_cmd, human(st.aot_bytes, b4, sizeof b4));
    fprintf(stderr,
            "weftc: %.3f s emit, %.3f s cc -O%d, %.3f s total (%.1f s per MB of wasm)\n",
            st.emit_s, st.cc_s, o.co.opt_level, st.total_s, mb > 0 ? st.total_s / mb : 0.0);
    if (o.co.emit_c_path) fprintf(stderr, "weftc: the generated C is in %s\n", o.co.emit_c_path);
  }
  return 0;
}
