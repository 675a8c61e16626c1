/* main.c — weft-spec: runs WebAssembly spec-test scripts (.wast) against weft.
 * Each .wast is converted by wabt's wast2json into a fresh temporary directory, then run in
 * a forked child so that a crash or hang in one file is reported and cannot take the runner
 * (or the next file's global state) with it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"
#include "weft.h"
#include "util/tmpdir.h"

typedef struct {
  bool threads;       /* --threads: always pass --enable-threads */
  bool verbose;       /* -v */
  bool bounds_checks; /* --bounds-checks */
  int reftypes;       /* --reference-types=on|off: 1/0; -1 = per suite (off under threads/) */
  int timeout;        /* seconds per file */
  bool aot;           /* --aot: modules compiled by weftc's pipeline */
  int aot_opt;        /* --aot-opt=N */
  const char *aot_cache; /* --aot-cache DIR ("" = none) */
  uint64_t build_id;  /* hash of this executable: part of the cache keys */
} options;

/* A .wast file to run: its path and the name shown in output. */
typedef struct {
  char *path;
  char *display;
} wast_file;

typedef struct {
  wast_file *v;
  size_t n, cap;
} file_list;

/* Progress record the child writes to the pipe before each command and once at the end
 * (line == -1, done == 1). The parent keeps the last complete one. */
typedef struct {
  uint32_t passed, failed, skipped;
  int32_t line;
  uint32_t done;
} progress_rec;

static void usage(FILE *f) {
  fprintf(f,
          "usage: weft-spec [options] [FILE.wast | DIR]...\n"
          "Runs WebAssembly spec-test scripts against weft (needs wabt's wast2json).\n"
          "With no files, runs the core suite (../shared/wasm-testsuite/core from the repo root).\n"
          "  --testsuite DIR   default directory to run (also env WEFT_TESTSUITE)\n"
          "  --proposal NAME   run the suite's sibling directory NAME instead of core (e.g.\n"
          "                    threads: ../shared/wasm-testsuite/threads)\n"
          "  --threads         pass --enable-threads to wast2json (automatic under threads/)\n"
          "  --bounds-checks   use the runtime's explicit bounds-check mode\n"
          "  --reference-types=on|off\n"
          "                    validate with or without the reference-types proposal; default:\n"
          "                    off under threads/ (that suite is written against the MVP, where\n"
          "                    a second table is invalid), on elsewhere\n"
          "  --timeout SECS    per-file time limit (default 120; 900 with --aot)\n"
          "  --aot             compile every module command's .wasm with weftc's pipeline\n"
          "                    (in-process) and load the .aot instead; with --bounds-checks\n"
          "                    the code is compiled with explicit bounds checks\n"
          "  --aot-opt=N       the C compiler's -O level for --aot (default 1)\n"
          "  --aot-cache DIR   keep compiled .aot files in DIR, keyed by wasm, options and\n"
          "                    this executable, so reruns skip the C compiler (default\n"
          "                    $TMPDIR/weft-aot-cache; --aot-cache= disables it); files of\n"
          "                    other builds are removed once an hour old\n"
          "  -v                print each failure with its line and reason, and notes\n"
          "  -h, --help        this text\n"
          "Output: one line per file, then \"N passed, M failed, K skipped\".\n"
          "simd_*.wast files are skipped (no SIMD support). Exit status 0 iff nothing failed.\n");
}

/* Appends a file to the list (copies both strings). */
static void add_file(file_list *l, const char *path, const char *display) {
  if (l->n == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 64;
    wast_file *nv = realloc(l->v, ncap * sizeof *nv);
    if (!nv) { fprintf(stderr, "weft-spec: out of memory\n"); exit(2); }
    l->v = nv;
    l->cap = ncap;
  }
  l->v[l->n].path = strdup(path);
  l->v[l->n].display = strdup(display);
  l->n++;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every .wast under dir (recursively, sorted by name); display names are relative to
 * the directory the user named (`rel` is the prefix built so far). */
static void scan_dir(file_list *l, const char *dir, const char *rel, int depth) {
  if (depth > 16) return;
  DIR *d = opendir(dir);
  if (!d) { fprintf(stderr, "weft-spec: cannot open %s: %s\n", dir, strerror(errno)); return; }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **nn = realloc(names, cap * sizeof *nn);
      if (!nn) break;
      names = nn;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_MAX], r[PATH_MAX];
    int k1 = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    int k2 = snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
    struct stat st;
    bool fits = k1 > 0 && (size_t)k1 < sizeof path && k2 > 0 && (size_t)k2 < sizeof r;
    if (fits && stat(path, &st) == 0) {
      if (S_ISDIR(st.st_mode)) scan_dir(l, path, r, depth + 1);
      else if (S_ISREG(st.st_mode) && ends_with(names[i], ".wast")) add_file(l, path, r);
    }
    free(names[i]);
  }
  free(names);
}

/* Adds a command-line argument: a .wast file or a directory of them. */
static bool add_arg(file_list *l, const char *arg) {
  struct stat st;
  if (stat(arg, &st) != 0) { fprintf(stderr, "weft-spec: %s: %s\n", arg, strerror(errno)); return false; }
  if (S_ISDIR(st.st_mode)) scan_dir(l, arg, "", 0);
  else add_file(l, arg, arg);
  return true;
}

/* Whether ANCESTOR/../shared/wasm-testsuite/core exists for some ancestor of `start`
 * (inclusive); writes it to out. */
static bool find_suite_from(const char *start, char *out, size_t n) {
  char dir[PATH_MAX];
  if (!realpath(start, dir)) return false;
  for (;;) {
    struct stat st;
    int k = snprintf(out, n, "%s/../shared/wasm-testsuite/core", dir);
    if (k > 0 && (size_t)k < n && stat(out, &st) == 0 && S_ISDIR(st.st_mode)) return true;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return false;
    *slash = 0;
  }
}

/* The default suite: $WEFT_TESTSUITE, else found from the executable's directory, else
 * from the current directory. */
static bool default_suite(char *out, size_t n) {
  const char *env = getenv("WEFT_TESTSUITE");
  if (env && *env) { snprintf(out, n, "%s", env); return true; }
  char exe[PATH_MAX];
  ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (k > 0) {
    exe[k] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    if (find_suite_from(exe, out, n)) return true;
  }
  return find_suite_from(".", out, n);
}

/* Whether the file sits in a directory named `threads` (the threads proposal's tests). */
static bool under_threads_dir(const char *path) {
  char buf[PATH_MAX];
  if (!realpath(path, buf)) snprintf(buf, sizeof buf, "%s", path);
  char *slash = strrchr(buf, '/');
  if (!slash) return false;
  *slash = 0;
  char *parent = strrchr(buf, '/');
  return strcmp(parent ? parent + 1 : buf, "threads") == 0;
}

/* A 64-bit FNV-1a hash of this executable's bytes: it changes with every rebuild of the
 * compiler (emitter, headers), so cached .aot files of another build are never used. */
static uint64_t build_id(void) {
  uint64_t h = 1469598103934665603ull;
  FILE *f = fopen("/proc/self/exe", "rb");
  if (!f) return (uint64_t)time(NULL);   /* no cache hits across runs, but correct */
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    for (size_t i = 0; i < n; i++) h = (h ^ buf[i]) * 1099511628211ull;
  fclose(f);
  return h;
}

/* Keeps the --aot cache from growing with every rebuild: removes the .aot files of other
 * builds (the third field of the name is the build id) and leftover .tmp files once they
 * are an hour old — younger ones may belong to a run of another build going on now. */
static void prune_cache(const char *dir, uint64_t id) {
  DIR *d = opendir(dir);
  if (!d) return;
  char mine[24];
  snprintf(mine, sizeof mine, "-%016llx-", (unsigned long long)id);
  time_t now = time(NULL);
  struct dirent *e;
  while ((e = readdir(d))) {
    bool aot = ends_with(e->d_name, ".aot"), tmp = ends_with(e->d_name, ".tmp");
    if (!aot && !tmp) continue;
    if (aot && strstr(e->d_name, mine)) continue;
    char p[PATH_MAX];
    struct stat st;
    int k = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (k > 0 && (size_t)k < sizeof p && lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
        now - st.st_mtime > 3600)
      unlink(p);
  }
  closedir(d);
}

/* Removes a temporary directory and the flat list of files in it. */
static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char p[PATH_MAX];
      int k = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
      if (k > 0 && (size_t)k < sizeof p) unlink(p);
    }
    closedir(d);
  }
  rmdir(dir);
}

/* Runs wast2json on the file into tmpdir/<json>; true on success. Its stderr passes through. */
static bool run_wast2json(const char *wast, bool threads, const char *json_path) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    const char *argv[6];
    int a = 0;
    argv[a++] = "wast2json";
    if (threads) argv[a++] = "--enable-threads";
    argv[a++] = wast;
    argv[a++] = "-o";
    argv[a++] = json_path;
    argv[a] = NULL;
    execvp("wast2json", (char *const *)argv);
    fprintf(stderr, "weft-spec: cannot run wast2json: %s\n", strerror(errno));
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Child side of the progress pipe: writes one record (blocking; the parent drains it). */
static void child_progress(const spec_counts *c, int line, void *ctx) {
  int fd = *(int *)ctx;
  progress_rec r = {c->passed, c->failed, c->skipped, line, line < 0};
  const char *p = (const char *)&r;
  size_t left = sizeof r;
  while (left) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += w;
    left -= (size_t)w;
  }
}

/* Set by SIGINT/SIGTERM/SIGHUP: stop after killing the current child, so the temporary
 * directory is still removed. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

/* Milliseconds on the monotonic clock. */
static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs one converted file in a child process; returns its counts (a crash, timeout or
 * abnormal exit adds one failure and prints a line saying so). */
static spec_counts run_isolated(const wast_file *wf, const char *dir, const char *json_path,
                                const options *opt) {
  spec_counts c = {0, 0, 0};
  int fds[2];
  if (pipe(fds) != 0) { printf("%s: pipe: %s\n", wf->display, strerror(errno)); c.failed = 1; return c; }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    printf("%s: fork: %s\n", wf->display, strerror(errno));
    close(fds[0]);
    close(fds[1]);
    c.failed = 1;
    return c;
  }
  if (pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    close(fds[0]);
    bool reftypes = opt->reftypes >= 0 ? opt->reftypes : !under_threads_dir(wf->path);
    runner_opts ro = {opt->verbose, opt->bounds_checks,
                      reftypes ? 0u : (uint32_t)WEFT_FEATURE_REFERENCE_TYPES, wf->display,
                      child_progress, &fds[1], opt->aot, opt->aot_opt,
                      opt->threads || under_threads_dir(wf->path),
                      opt->aot_cache && *opt->aot_cache ? opt->aot_cache : NULL,
                      opt->build_id};
    spec_counts out;
    runner_run_file(dir, json_path, &ro, &out);
    child_progress(&out, -1, &fds[1]); /* final record: done = 1 */
    fflush(stdout);
    fflush(stderr);
    _exit(0);
  }
  close(fds[1]);
  progress_rec last = {0, 0, 0, 0, 0};
  char buf[sizeof(progress_rec) * 256];
  size_t have = 0;
  long long deadline = now_ms() + (long long)opt->timeout * 1000;
  bool timed_out = false;
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) { timed_out = true; break; }
    if (interrupted) break;
    struct pollfd pfd = {fds[0], POLLIN, 0};
    int pr = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
    if (pr < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pr == 0) continue;
    ssize_t r = read(fds[0], buf + have, sizeof buf - have);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (r == 0) break; /* EOF: the child exited or died */
    have += (size_t)r;
    size_t whole = have / sizeof(progress_rec);
    if (whole) {
      memcpy(&last, buf + (whole - 1) * sizeof(progress_rec), sizeof last);
      size_t used = whole * sizeof(progress_rec);
      memmove(buf, buf + used, have - used);
      have -= used;
    }
  }
  if (timed_out || interrupted) kill(pid, SIGKILL);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  c.passed = last.passed;
  c.failed = last.failed;
  c.skipped = last.skipped;
  char where[48] = "";
  if (!last.done && last.line > 0) snprintf(where, sizeof where, " (at line %d)", (int)last.line);
  if (timed_out) {
    printf("%s: timed out after %d s%s\n", wf->display, opt->timeout, where);
    c.failed++;
  } else if (WIFSIGNALED(status)) {
    printf("%s: crashed: signal %d%s\n", wf->display, WTERMSIG(status), where);
    c.failed++;
  } else if (!last.done || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    printf("%s: runner exited abnormally (status %d)%s\n", wf->display,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1, where);
    c.failed++;
  }
  return c;
}

/* Converts and runs one .wast file; prints its summary line. */
static spec_counts run_wast(const wast_file *wf, const options *opt) {
  spec_counts c = {0, 0, 0};
  const char *base = strrchr(wf->path, '/');
  base = base ? base + 1 : wf->path;
  if (strncmp(base, "simd_", 5) == 0) {
    printf("%s: skipped (SIMD is not supported)\n", wf->display);
    return c;
  }
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s/weft-spec-XXXXXX", wutil_tmpdir());
  if (!mkdtemp(dir)) {
    printf("%s: mkdtemp: %s\n", wf->display, strerror(errno));
    c.failed = 1;
    return c;
  }
  char json_path[PATH_MAX];
  int jl = snprintf(json_path, sizeof json_path, "%s/%.*s.json", dir, (int)(strlen(base) - 5), base);
  if (jl < 0 || (size_t)jl >= sizeof json_path) {
    printf("%s: path too long\n", wf->display);
    remove_tree(dir);
    c.failed = 1;
    return c;
  }
  bool threads = opt->threads || under_threads_dir(wf->path);
  if (!run_wast2json(wf->path, threads, json_path)) {
    printf("%s: wast2json failed\n", wf->display);
    c.failed = 1;
  } else {
    c = run_isolated(wf, dir, json_path, opt);
  }
  remove_tree(dir);
  printf("%s: %u passed, %u failed, %u skipped\n", wf->display, c.passed, c.failed, c.skipped);
  fflush(stdout);
  return c;
}

int main(int argc, char **argv) {
  options opt = {false, false, false, -1, 0, false, 1, NULL, 0};
  const char *suite = NULL;
  const char *proposal = NULL;   /* --proposal: sibling directory of the default suite */
  file_list files = {NULL, 0, 0};
  const char **args = calloc((size_t)argc + 1, sizeof *args);
  size_t nargs = 0;
  if (!args) return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--threads") == 0) opt.threads = true;
    else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) opt.verbose = true;
    else if (strcmp(a, "--bounds-checks") == 0) opt.bounds_checks = true;
    else if (strcmp(a, "--aot") == 0) opt.aot = true;
    else if (strncmp(a, "--aot-opt=", 10) == 0) {
      if (!(a[10] >= '0' && a[10] <= '3' && !a[11])) { fprintf(stderr, "weft-spec: bad --aot-opt '%s' (0 to 3)\n", a + 10); return 2; }
      opt.aot_opt = a[10] - '0';
    } else if (strcmp(a, "--aot-cache") == 0 && i + 1 < argc) opt.aot_cache = argv[++i];
    else if (strncmp(a, "--aot-cache=", 12) == 0) opt.aot_cache = a + 12;
    else if (strcmp(a, "--reference-types=on") == 0) opt.reftypes = 1;
    else if (strcmp(a, "--reference-types=off") == 0) opt.reftypes = 0;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
    else if (strcmp(a, "--version") == 0) { printf("weft-spec %s\n", WEFT_VERSION); return 0; }
    else if (strcmp(a, "--proposal") == 0 && i + 1 < argc) proposal = argv[++i];
    else if (strcmp(a, "--testsuite") == 0 && i + 1 < argc) suite = argv[++i];
    else if (strncmp(a, "--testsuite=", 12) == 0) suite = a + 12;
    else if ((strcmp(a, "--timeout") == 0 && i + 1 < argc) || strncmp(a, "--timeout=", 10) == 0) {
      const char *v = a[9] == '=' ? a + 10 : argv[++i];
      char *end;
      long t = strtol(v, &end, 10);
      if (*end || t <= 0 || t > 86400) { fprintf(stderr, "weft-spec: bad --timeout '%s'\n", v); return 2; }
      opt.timeout = (int)t;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "weft-spec: unknown option %s\n", a);
      usage(stderr);
      return 2;
    } else args[nargs++] = a;
  }
  if (!opt.timeout) opt.timeout = opt.aot ? 900 : 120;
  char cache_def[PATH_MAX];
  if (opt.aot) {
    opt.build_id = build_id();
    if (!opt.aot_cache) {
      snprintf(cache_def, sizeof cache_def, "%s/weft-aot-cache", wutil_tmpdir());
      opt.aot_cache = cache_def;
    }
    if (*opt.aot_cache && mkdir(opt.aot_cache, 0700) != 0 && errno != EEXIST) {
      fprintf(stderr, "weft-spec: cannot create --aot-cache %s: %s\n", opt.aot_cache, strerror(errno));
      return 2;
    }
    if (*opt.aot_cache) prune_cache(opt.aot_cache, opt.build_id);
  }
  /* Child output must not be duplicated from an unflushed parent buffer; line buffering
   * keeps the per-file lines in order with the children's output. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  /* A closed stdout (| head) shows up as a write error, checked after each file. */
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  if (nargs == 0) {
    char def[PATH_MAX];
    if (!suite) {
      if (!default_suite(def, sizeof def)) {
        fprintf(stderr, "weft-spec: cannot find ../shared/wasm-testsuite/core; use --testsuite DIR\n");
        return 2;
      }
      suite = def;
    }
    char sib[PATH_MAX];
    if (proposal) {
      /* DIR/core -> DIR/NAME */
      const char *slash = strrchr(suite, '/');
      int dl = slash ? (int)(slash - suite) : 1;
      int k = snprintf(sib, sizeof sib, "%.*s/%s", dl, slash ? suite : ".", proposal);
      if (k < 0 || (size_t)k >= sizeof sib || strchr(proposal, '/')) {
        fprintf(stderr, "weft-spec: bad --proposal '%s'\n", proposal);
        return 2;
      }
      suite = sib;
    }
    if (!add_arg(&files, suite)) return 2;
  } else {
    for (size_t i = 0; i < nargs; i++)
      if (!add_arg(&files, args[i])) return 2;
  }
  if (files.n == 0) { fprintf(stderr, "weft-spec: no .wast files found\n"); return 2; }
  spec_counts total = {0, 0, 0};
  for (size_t i = 0; i < files.n; i++) {
    if (!interrupted && !ferror(stdout)) {
      spec_counts c = run_wast(&files.v[i], &opt);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
    }
    free(files.v[i].path);
    free(files.v[i].display);
  }
  if (interrupted) {
    fprintf(stderr, "weft-spec: interrupted\n");
    total.failed++;
  }
  free(files.v);
  free(args);
  printf("%u passed, %u failed, %u skipped\n", total.passed, total.failed, total.skipped);
  return total.failed ? 1 : 0;
}
