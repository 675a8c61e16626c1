/* main.c — the `weft` command: load a module, link it against libc-builtin, instantiate it
 * with an app heap, and run it (a WASI command's _start, a C program's main with argc/argv,
 * one export with -f, or exports interactively with --repl). docs/cli.md is the reference. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "aot/aot.h"
#include "util/readfile.h"

#define DEFAULT_HEAP (16u << 20)
#define MAX_LIST 256

typedef struct {
  weft_config cfg;
  const char *func_name;    /* -f NAME, or NULL */
  bool repl;
  uint32_t heap_size;
  bool heap_size_given;
  const char *env[MAX_LIST]; /* --env=K=V (kept for WASI) */
  int nenv;
  const char *dirs[MAX_LIST]; /* preopens: host paths (--dir=PATH, --map-dir's HOST) */
  const char *guest[MAX_LIST]; /* and the names the guest sees them by */
  int ndirs;
} options;

static void usage(FILE *f) {
  fprintf(f,
    "usage: weft [options] FILE.wasm [ARGS...]\n"
    "Runs a WebAssembly module: its _start (a WASI command), else its main or\n"
    "__main_argc_argv with ARGS as argv (argv[0] is FILE.wasm); the exit status is\n"
    "main's return value or the code the program passed to exit().\n"
    "\n"
    "options:\n"
    "  -f NAME, --function NAME  call the export NAME instead, with ARGS converted to its\n"
    "                            parameter types; print each result on its own line\n"
    "  --repl                    read lines \"NAME ARGS...\" from stdin and call the exports\n"
    "                            (\"__exit__\" or end of input ends it)\n"
    "  --stack-size=N            value stack bytes per thread (default 1 MiB)\n"
    "  --heap-size=N             app heap bytes for malloc and argv (default 16 MiB,\n"
    "                            0 = none)\n"
    "  --max-threads=N           most threads the program may create (default 4)\n"
    "  --env=KEY=VALUE           environment variable for WASI programs (repeatable)\n"
    "  --dir=PATH                directory WASI programs may open (repeatable)\n"
    "  --map-dir=GUEST::HOST     host directory HOST, seen by WASI programs as GUEST\n"
    "  --bounds-checks           explicit bounds checks instead of guard pages\n"
    "  -v=N                      log level 0-5 (default 2: errors and warnings)\n"
    "  --version                 print the version\n"
    "  -h, --help                this text\n"
    "Sizes N are bytes, with an optional K, M or G suffix (powers of 1024).\n"
    "\n"
    "-f arguments: i32/i64 in decimal (signed or unsigned) or 0x hex; f32/f64 as C\n"
    "literals, nan, inf, -inf or nan:0xPAYLOAD; references as null.\n"
    "-f results, as iwasm prints them: 0x2a:i32, 0xffffffffffffffff:i64, 1.5:f32,\n"
    "-0.1:f64 (shortest form that reads back exactly), nan:f64, ref.null:funcref.\n"
    "\n"
    "Output: stdout belongs to the program (and -f results); diagnostics go to stderr.\n"
    "Exit status: the program's own (main's result or exit()'s code, and 0 after -f or\n"
    "--repl); 1 when the module cannot be read, loaded, linked or instantiated, or a\n"
    "trap ends it (\"Exception: REASON\" and a backtrace on stderr); 2 for a usage error.\n");
}

/* Prints a usage error and returns the usage exit status. */
static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "weft: error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(weft --help lists the options)\n");
  return CLI_EXIT_USAGE;
}

/* Parses a size "N[K|M|G]" into *out (at most UINT32_MAX); false if malformed. */
static bool parse_size(const char *s, uint32_t *out) {
  char *end;
  errno = 0;
  if (!*s || *s == '-') return false;
  unsigned long long n = strtoull(s, &end, 0);
  if (errno) return false;
  unsigned long long mul = 1;
  if (*end == 'K' || *end == 'k') mul = 1ull << 10, end++;
  else if (*end == 'M' || *end == 'm') mul = 1ull << 20, end++;
  else if (*end == 'G' || *end == 'g') mul = 1ull << 30, end++;
  if (*end || n > UINT32_MAX / mul) return false;
  *out = (uint32_t)(n * mul);
  return true;
}

/* Parses the options; returns the index of FILE in argv, 0 to exit with status 0 (--help,
 * --version), or -status to exit with. */
static int parse_options(int argc, char **argv, options *o) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    uint32_t n;
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
    if (strcmp(a, "--version") == 0) { printf("weft %s\n", WEFT_VERSION); return 0; }
    if (strcmp(a, "--bounds-checks") == 0) {
      o->cfg.bounds_checks = true;
    } else if (strcmp(a, "-f") == 0 || strcmp(a, "--function") == 0) {
      if (i + 1 >= argc) return -usage_error("%s needs a function name", a);
      o->func_name = argv[++i];
    } else if (strncmp(a, "--function=", 11) == 0) {
      o->func_name = a + 11;
    } else if (strcmp(a, "--repl") == 0) {
      o->repl = true;
    } else if (strncmp(a, "--stack-size=", 13) == 0) {
      if (!parse_size(a + 13, &n) || n == 0) return -usage_error("bad --stack-size '%s'", a + 13);
      o->cfg.value_stack_bytes = n;
    } else if (strncmp(a, "--heap-size=", 12) == 0) {
      if (!parse_size(a + 12, &n)) return -usage_error("bad --heap-size '%s'", a + 12);
      o->heap_size = n;
      o->heap_size_given = true;
    } else if (strncmp(a, "--max-threads=", 14) == 0) {
      if (!parse_size(a + 14, &n) || n == 0 || n > 65536)
        return -usage_error("bad --max-threads '%s' (1 to 65536)", a + 14);
      o->cfg.max_threads = n;
    } else if (strncmp(a, "--env=", 6) == 0) {
      if (!strchr(a + 6, '=') || a[6] == '=') return -usage_error("bad --env '%s' (KEY=VALUE)", a + 6);
      if (o->nenv == MAX_LIST) return -usage_error("too many --env options%s", "");
      o->env[o->nenv++] = a + 6;
    } else if (strncmp(a, "--dir=", 6) == 0) {
      if (!a[6]) return -usage_error("bad --dir '%s'", a + 6);
      if (o->ndirs == MAX_LIST) return -usage_error("too many --dir options%s", "");
      o->guest[o->ndirs] = a + 6;
      o->dirs[o->ndirs++] = a + 6;
    } else if (strncmp(a, "--map-dir=", 10) == 0) {
      char *sep = strstr(a + 10, "::");
      if (!sep || sep == a + 10 || !sep[2]) return -usage_error("bad --map-dir '%s' (GUEST::HOST)", a + 10);
      if (o->ndirs == MAX_LIST) return -usage_error("too many --dir options%s", "");
      *sep = 0;   /* argv strings are writable: split GUEST from HOST in place */
      o->guest[o->ndirs] = a + 10;
      o->dirs[o->ndirs++] = sep + 2;
    } else if (strncmp(a, "-v=", 3) == 0) {
      char *end;
      long lv = strtol(a + 3, &end, 10);
      if (!a[3] || *end || lv < 0 || lv > 5) return -usage_error("bad log level '%s' (0-5)", a + 3);
      cli_log_level = (int)lv;
    } else {
      return -usage_error("unknown option %s", a);
    }
  }
  if (o->func_name && o->repl) return -usage_error("%s", "-f and --repl cannot be combined");
  if (i >= argc) return -usage_error("%s", "no module file given");
  return i;
}


/* Reports a load error (decode/validate, or a refused .aot) for path. */
static void report_load_error(const char *path, const uint8_t *bytes, size_t len,
                              const weft_error *err) {
  const char *what = waot_is_aot(bytes, len) ? "cannot load this .aot file"
                     : err->kind == WEFT_ERR_MALFORMED ? "not a valid WebAssembly binary"
                     : err->kind == WEFT_ERR_INVALID ? "invalid module"
                                                     : "cannot load module";
  fprintf(stderr, "weft: error: %s: %s: %s\n", path, what, err->message);
}

/* Reports an instantiation error; link errors name the import's expected type and say
 * what is wrong with a WASI import. */
static void report_instantiate_error(const weft_module *mod, const weft_error *err) {
  if (err->kind == WEFT_ERR_TRAP) { cli_report_error(err); return; }
  char extra[600] = "";
  if (err->kind == WEFT_ERR_LINK) {
    /* The message names the import as "MODULE"."NAME". */
    char module[256] = "", name[256] = "";
    const char *q1 = strchr(err->message, '"');
    const char *q2 = q1 ? strstr(q1 + 1, "\".\"") : NULL;
    const char *q3 = q2 ? strchr(q2 + 3, '"') : NULL;
    if (q1 && q2 && q3 && q2 - q1 - 1 < (long)sizeof module && q3 - q2 - 3 < (long)sizeof name) {
      memcpy(module, q1 + 1, (size_t)(q2 - q1 - 1));
      module[q2 - q1 - 1] = 0;
      memcpy(name, q2 + 3, (size_t)(q3 - q2 - 3));
      name[q3 - q2 - 3] = 0;
      char type[256];
      cli_import_type(mod, module, name, type, sizeof type);
      if (type[0]) snprintf(extra, sizeof extra, " (expected %s)", type);
    }
    if (strncmp(module, "wasi_", 5) == 0) {
      size_t l = strlen(extra);
      snprintf(extra + l, sizeof extra - l,
               strcmp(module, "wasi_snapshot_preview1") == 0
                   ? ": not a wasi_snapshot_preview1 function, or declared with another type"
                   : ": weft implements only wasi_snapshot_preview1 (WASI preview 1)");
    } else if (strcmp(module, "env") == 0) {
      size_t l = strlen(extra);
      snprintf(extra + l, sizeof extra - l, "%s",
               strncmp(name, "pthread_", 8) == 0
                   ? ": the pthread library does not provide it (yet), or it is declared "
                     "with another type"
                   : ": not a libc-builtin function, or declared with another type");
    }
  }
  fprintf(stderr, "weft: error: %s%s\n", err->message, extra);
}

/* Copies argv into the app heap as a C argv array; returns its offset (0 on failure). */
static uint32_t place_argv(weft_instance *inst, int argc, char **argv) {
  uint64_t size = (uint64_t)(argc + 1) * 4;
  for (int k = 0; k < argc; k++) size += strlen(argv[k]) + 1;
  if (size > UINT32_MAX) return 0;
  weft_memory *mem = weft_instance_default_memory(inst);
  uint32_t off = weft_heap_malloc(inst, (uint32_t)size);
  if (!off) {
    /* No app heap (memory 0 could not grow): a libc-builtin program leaves the memory
     * from __heap_base up unused, so argv can go there. */
    weft_global *hb = weft_instance_global(inst, "__heap_base");
    if (!hb || weft_global_type(hb) != WEFT_I32) return 0;
    uint64_t base = ((uint64_t)weft_global_get(hb).i32 + 7) & ~(uint64_t)7;
    if (base == 0 || base > UINT32_MAX) return 0;
    off = (uint32_t)base;
    cli_log(CLI_LOG_DEBUG, "no app heap: argv placed at __heap_base");
  }
  uint8_t *p = weft_memory_range(mem, off, size);
  if (!p) return 0;
  uint32_t str = off + (uint32_t)(argc + 1) * 4;
  for (int k = 0; k <= argc; k++) {
    uint32_t v = k < argc ? str : 0;
    memcpy(p + 4 * k, &v, 4); /* wasm is little-endian; so is every host weft supports */
    if (k < argc) {
      size_t l = strlen(argv[k]) + 1;
      memcpy(p + (str - off), argv[k], l);
      str += (uint32_t)l;
    }
  }
  return off;
}

/* Runs the program's entry point (_start, else main/__main_argc_argv); returns the exit
 * status. */
static int run_entry(weft_instance *inst, weft_exec *exec, const char *path, int argc,
                     char **argv, bool wasi) {
  weft_error err;
  memset(&err, 0, sizeof err);
  const char *name = "_start";
  weft_func *f = weft_instance_func(inst, name);
  bool is_main = false;
  if (!f) {
    is_main = true;
    name = "__main_argc_argv";
    if (!(f = weft_instance_func(inst, name))) f = weft_instance_func(inst, name = "main");
  }
  if (!f) {
    fprintf(stderr, "weft: error: %s exports no _start, main or __main_argc_argv; use -f NAME "
            "to call another export\n", path);
    return CLI_EXIT_ERROR;
  }
  uint32_t np = weft_func_param_count(f), nr = weft_func_result_count(f);
  weft_slot args[2], result[1];
  memset(args, 0, sizeof args);
  memset(result, 0, sizeof result);
  bool types_ok = nr <= 1 && (nr == 0 || weft_func_result_type(f, 0) == WEFT_I32);
  if (!is_main) {
    types_ok = types_ok && np == 0;
    if (argc > 1 && !wasi) cli_log(CLI_LOG_WARN, "arguments are ignored: _start gets no argv without WASI");
  } else if (np == 2) {
    types_ok = types_ok && weft_func_param_type(f, 0) == WEFT_I32 &&
               weft_func_param_type(f, 1) == WEFT_I32;
    if (types_ok) {
      uint32_t off = place_argv(inst, argc, argv);
      if (!off) {
        fprintf(stderr, "weft: error: no room for argv: the app heap is full or absent and "
                "there is no room above __heap_base\n");
        return CLI_EXIT_ERROR;
      }
      args[0].i32 = (uint32_t)argc;
      args[1].i32 = off;
      cli_log(CLI_LOG_DEBUG, "argv at 0x%x (%d arguments)", off, argc);
    }
  } else {
    types_ok = types_ok && np == 0;
  }
  if (!types_ok) {
    fprintf(stderr, "weft: error: \"%s\" has an unexpected type (want %s -> i32)\n", name,
            is_main ? "() or (i32, i32)" : "()");
    return CLI_EXIT_ERROR;
  }
  cli_log(CLI_LOG_INFO, "calling \"%s\"", name);
  if (weft_call(exec, f, args, np, result, nr, &err) != WEFT_OK) {
    if (err.kind == WEFT_ERR_TRAP && err.trap == WEFT_TRAP_EXIT) {
      int code = weft_exec_exit_code(exec);
      cli_log(CLI_LOG_INFO, "the program called exit(%d)", code);
      return code;
    }
    cli_report_error(&err);
    return CLI_EXIT_ERROR;
  }
  return nr ? (int)(int32_t)result[0].i32 : 0;
}

/* Runs __wasm_call_ctors when exported and the module is not a WASI command; false (error
 * printed, *status set) when it traps. */
static bool run_ctors(weft_instance *inst, weft_exec *exec, int *status) {
  if (weft_instance_func(inst, "_start")) return true; /* _start runs them itself */
  weft_func *f = weft_instance_func(inst, "__wasm_call_ctors");
  if (!f || weft_func_param_count(f) != 0 || weft_func_result_count(f) != 0) return true;
  weft_error err;
  memset(&err, 0, sizeof err);
  cli_log(CLI_LOG_INFO, "calling \"__wasm_call_ctors\"");
  if (weft_call(exec, f, NULL, 0, NULL, 0, &err) == WEFT_OK) return true;
  if (err.kind == WEFT_ERR_TRAP && err.trap == WEFT_TRAP_EXIT) {
    *status = weft_exec_exit_code(exec);
    return false;
  }
  cli_report_error(&err);
  *status = CLI_EXIT_ERROR;
  return false;
}

int main(int argc, char **argv) {
  static options o;
  o.heap_size = DEFAULT_HEAP;
  int first = parse_options(argc, argv, &o);
  if (first == 0) return 0;
  if (first < 0) return -first;
  const char *path = argv[first];
  for (int k = 0; k < o.nenv; k++) cli_log(CLI_LOG_DEBUG, "env %s", o.env[k]);
  for (int k = 0; k < o.ndirs; k++) cli_log(CLI_LOG_DEBUG, "dir %s as %s", o.dirs[k], o.guest[k]);

  size_t len = 0;
  uint8_t *bytes = wutil_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "weft: error: cannot read %s: %s\n", path, strerror(errno));
    return CLI_EXIT_ERROR;
  }
  int status = CLI_EXIT_ERROR;
  weft_error err;
  memset(&err, 0, sizeof err);
  weft_module *mod = NULL;
  weft_instance *inst = NULL;
  weft_exec *exec = NULL;
  weft_runtime *rt = weft_runtime_new(&o.cfg);
  if (!rt) { fprintf(stderr, "weft: error: cannot create the runtime\n"); goto out; }
  if (weft_libc_builtin_register(rt, &err) != WEFT_OK) {
    fprintf(stderr, "weft: error: cannot register libc-builtin: %s\n", err.message);
    goto out;
  }
  if (weft_pthread_register(rt, &err) != WEFT_OK) {
    fprintf(stderr, "weft: error: cannot register the pthread library: %s\n", err.message);
    goto out;
  }
  if (weft_wasi_register(rt, &err) != WEFT_OK) {
    fprintf(stderr, "weft: error: cannot register WASI: %s\n", err.message);
    goto out;
  }
  if (!(mod = weft_module_new(rt, bytes, len, &err))) { report_load_error(path, bytes, len, &err); goto out; }
  cli_log(CLI_LOG_INFO, "loaded %s (%zu bytes)", path, len);
  if (!(exec = weft_exec_new(rt))) {
    fprintf(stderr, "weft: error: cannot create an execution environment\n");
    goto out;
  }
  weft_instance_options io;
  memset(&io, 0, sizeof io);
  io.heap_size = o.heap_size;
  if (!o.heap_size_given) {
    /* The default heap shrinks to what memory 0's maximum leaves room for. */
    io.heap_size = cli_heap_fit(mod, o.heap_size);
    if (io.heap_size < o.heap_size) {
      char t[8];
      bool allocates = false;
      static const char *const alloc_fns[] = {"malloc", "calloc", "realloc", "strdup"};
      for (size_t k = 0; k < sizeof alloc_fns / sizeof *alloc_fns; k++) {
        cli_import_type(mod, "env", alloc_fns[k], t, sizeof t);
        allocates |= t[0] != 0;
      }
      cli_log(allocates ? CLI_LOG_WARN : CLI_LOG_INFO,
              "memory 0's maximum leaves room for an app heap of only %u bytes%s", io.heap_size,
              allocates ? "; malloc may fail (link with a larger --max-memory)" : "");
    }
  }
  if (!(inst = weft_instantiate_opts(rt, mod, exec, &io, &err))) {
    if (err.kind == WEFT_ERR_TRAP && err.trap == WEFT_TRAP_EXIT) status = weft_exec_exit_code(exec);
    else report_instantiate_error(mod, &err);
    goto out;
  }
  cli_log(CLI_LOG_INFO, "instantiated (app heap %u bytes)", io.heap_size);
  bool wasi = weft_module_is_wasi(mod);
  if (wasi) {
    weft_wasi_options wo;
    memset(&wo, 0, sizeof wo);
    wo.argc = (uint32_t)(argc - first);
    wo.argv = (const char *const *)(argv + first);
    wo.nenv = (uint32_t)o.nenv;
    wo.env = o.env;
    wo.npreopens = (uint32_t)o.ndirs;
    wo.preopen_host = o.dirs;
    wo.preopen_guest = o.guest;
    if (weft_wasi_attach(inst, &wo, &err) != WEFT_OK) {
      fprintf(stderr, "weft: error: %s\n", err.message);
      goto out;
    }
  }
  if (!run_ctors(inst, exec, &status)) goto out;
  if (o.repl) {
    status = cli_repl(inst, exec);
  } else if (o.func_name) {
    weft_func *f = weft_instance_func(inst, o.func_name);
    if (!f) {
      fprintf(stderr, "weft: error: %s has no exported function \"%s\"\n", path, o.func_name);
      status = CLI_EXIT_USAGE;
      goto out;
    }
    bool exited = false;
    int code = 0;
    status = cli_call_and_print(exec, f, o.func_name, argv + first + 1, argc - first - 1,
                                &exited, &code);
    if (exited) status = code;
  } else {
    status = run_entry(inst, exec, path, argc - first, argv + first, wasi);
  }
out:
  if (inst) weft_instance_terminate_threads(inst);   /* main returned: the program ends */
  fflush(stdout);
  if (inst) weft_instance_delete(inst);
  if (mod) weft_module_delete(mod);
  if (exec) weft_exec_delete(exec);
  if (rt) weft_runtime_delete(rt);
  free(bytes);
  return status;
}
