/* aot_compile.c — the weftc pipeline: decode and validate the wasm (as weft_module_new
 * does), write its C translation into a private work directory, run the C compiler on it
 * (posix_spawn, no shell; its output captured for the error message), read the shared
 * object back and pack module and code into a .aot image (aot_file.c). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, open_memstream, posix_spawn */
#include "aot_compile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#undef W_OK /* unistd.h's access() mode; werr.h's W_OK (included above) is meant */

#include "../module/module.h"
#include "aot.h"
#include "aot_abi.h"
#include "../util/readfile.h"
#include "../util/tmpdir.h"

extern char **environ;

#define MAX_CC_WORDS 32

void waot_compile_opts_init(waot_compile_opts *o) {
  memset(o, 0, sizeof *o);
  o->opt_level = WAOT_DEFAULT_OPT_LEVEL;
}

/* Seconds on the monotonic clock. */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Whether a triple is plausible: non-empty, letters, digits, '_', '.', '-' only. */
static bool triple_ok(const char *t) {
  if (!t || !*t || strlen(t) >= 64) return false;
  for (const char *p = t; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '_' || *p == '.' || *p == '-'))
      return false;
  return true;
}

/* The compiler's argv words: o->cc, else $CC, else "cc", split at blanks (no shell
 * quoting: "ccache gcc" works, quoted paths do not), adjusted for a cross target: clang
 * gets --target=T; a gcc-like default compiler becomes T-gcc. Words point into `store`
 * (a copy). Returns the word count (0 if there is none). */
static int cc_words(const waot_compile_opts *o, char *store, size_t storelen, char **w,
                    char *tgt_arg, size_t tgtlen, char *cross, size_t crosslen) {
  const char *env = getenv("CC");
  const char *cc = o->cc && *o->cc ? o->cc : env && *env ? env : "cc";
  snprintf(store, storelen, "%s", cc);
  int n = 0;
  for (char *p = store; *p && n < MAX_CC_WORDS - 16;) {
    while (*p == ' ' || *p == '\t') *p++ = 0;
    if (!*p) break;
    w[n++] = p;
    while (*p && *p != ' ' && *p != '\t') p++;
  }
  if (n == 0 || !o->target) return n;
  char norm[64];
  waot_triple_norm(o->target, norm, sizeof norm);
  if (strcmp(norm, waot_host_triple()) == 0) return n;   /* the host: no cross tools needed */
  const char *base = strrchr(w[n - 1], '/');
  base = base ? base + 1 : w[n - 1];
  if (strstr(base, "clang")) {
    snprintf(tgt_arg, tgtlen, "--target=%s", o->target);
    w[n++] = tgt_arg;
  } else if (!o->cc && (strcmp(base, "gcc") == 0 || strcmp(base, "cc") == 0)) {
    snprintf(cross, crosslen, "%s-gcc", o->target);
    w[n - 1] = cross;
  }
  return n;
}

void waot_compile_cc(const waot_compile_opts *o, char *buf, size_t buflen) {
  char store[512], tgt[96], cross[96];
  char *w[MAX_CC_WORDS];
  int n = cc_words(o, store, sizeof store, w, tgt, sizeof tgt, cross, sizeof cross);
  size_t used = 0;
  if (buflen) buf[0] = 0;
  for (int i = 0; i < n && used < buflen; i++) {
    int k = snprintf(buf + used, buflen - used, "%s%s", i ? " " : "", w[i]);
    if (k < 0) break;
    used += (size_t)k;
  }
}


/* Copies file `from` to `to`; false (errno set) on failure. */
static bool copy_file(const char *from, const char *to) {
  size_t len;
  uint8_t *b = wutil_read_file(from, &len);
  if (!b) return false;
  FILE *f = fopen(to, "wb");
  bool ok = f && fwrite(b, 1, len, f) == len;
  int e = errno;
  if (f && fclose(f) != 0) ok = false;
  free(b);
  if (!ok) errno = e ? e : EIO;
  return ok;
}

/* Whether line[0..len) contains s. */
static bool line_has(const char *line, size_t len, const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(line + i, s, n) == 0) return true;
  return false;
}

/* Whether a compiler output line is an error (the compiler's or the linker's). */
static bool mentions_error(const char *line, size_t len) {
  return line_has(line, len, "error") || line_has(line, len, "ld:") ||
         line_has(line, len, "undefined reference");
}

/* The compiler's diagnostics for a message: up to 4 error lines (else the first 4 lines), each cut at 160 characters, joined with newlines into out. */
static void cc_diagnostics(const char *log_path, char *out, size_t outlen) {
  out[0] = 0;
  size_t len = 0;
  char *text = (char *)wutil_read_file(log_path, &len);
  if (!text) return;
  char *t = realloc(text, len + 1);
  if (!t) { free(text); return; }
  text = t;
  text[len] = 0;
  size_t used = 0;
  for (int pass = 0; pass < 2 && used == 0; pass++) {
    int lines = 0;
    for (char *line = text; *line && lines < 4;) {
      char *nl = strchr(line, '\n');
      size_t ll = nl ? (size_t)(nl - line) : strlen(line);
      bool take = ll > 0 && (pass == 1 || mentions_error(line, ll));
      if (take) {
        int k = snprintf(out + used, outlen - used, "%s%.*s", used ? "\n" : "",
                         (int)(ll > 160 ? 160 : ll), line);
        if (k < 0 || (size_t)k >= outlen - used) { used = strlen(out); break; }
        used += (size_t)k;
        lines++;
      }
      line = nl ? nl + 1 : line + ll;
    }
  }
  free(text);
}

/* Whether the compiler words[0..n) is clang (its --version says so), for the flags only gcc
 * knows. The answer for the last command asked is cached. */
static bool cc_is_clang(char **words, int n) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static char cached_cmd[512];
  static bool cached_clang;
  char cmd[512] = "";
  size_t used = 0;
  for (int i = 0; i < n && used < sizeof cmd; i++) {
    int k = snprintf(cmd + used, sizeof cmd - used, "%s%s", i ? " " : "", words[i]);
    if (k < 0) break;
    used += (size_t)k;
  }
  pthread_mutex_lock(&lock);
  bool hit = cached_cmd[0] && strcmp(cached_cmd, cmd) == 0, clang = cached_clang;
  pthread_mutex_unlock(&lock);
  if (hit) return clang;
  const char *base = strrchr(words[n - 1], '/');
  clang = strstr(base ? base + 1 : words[n - 1], "clang") != NULL;
  int fds[2];
  if (!clang && pipe(fds) == 0) {
    char *argv[MAX_CC_WORDS + 2];
    for (int i = 0; i < n; i++) argv[i] = words[i];
    argv[n] = "--version";
    argv[n + 1] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    char out[4096];
    size_t got = 0;
    for (;;) {
      ssize_t r = read(fds[0], out + got, sizeof out - 1 - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += (size_t)r;
      if (got == sizeof out - 1) break;
    }
    close(fds[0]);
    out[got] = 0;
    if (rc == 0) {
      while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
      clang = strstr(out, "clang") != NULL;
    }
  }
  pthread_mutex_lock(&lock);
  snprintf(cached_cmd, sizeof cached_cmd, "%s", cmd);
  cached_clang = clang;
  pthread_mutex_unlock(&lock);
  return clang;
}

/* Runs the C compiler on c_path into so_path, its stdout and stderr into log_path. */
static wstatus run_cc(const waot_compile_opts *o, const char *c_path, const char *so_path,
                      const char *log_path, waot_compile_stats *st, werr *err) {
  char store[512], tgt[96], cross[96], olevel[8];
  char *argv[MAX_CC_WORDS + 24];
  int n = cc_words(o, store, sizeof store, argv, tgt, sizeof tgt, cross, sizeof cross);
  if (n == 0) return werr_set(err, WERR_ARG, "no C compiler named (--cc or $CC is empty)");
  waot_compile_cc(o, st->cc_cmd, sizeof st->cc_cmd);
  snprintf(olevel, sizeof olevel, "-O%d", o->opt_level);
  /* -ffp-contract=off: wasm rounds every float op (no FMA contraction). The frame pointer
   * and no sibling calls keep every wasm call a real native frame (stack-limit checks,
   * backtraces). -fno-strict-aliasing: linear memory is accessed through several types.
   * -fno-math-errno: sqrt and friends need no errno, so they inline to instructions.
   * -z defs: an unresolved symbol is a weftc error, not a dlopen failure at run time.
   * gcc only (clang does not know them, or does not need them):
   * -fsignaling-nans: x*1, x-0, x/1 must still quiet a signalling NaN as wasm requires
   * (gcc folds them to x otherwise).
   * -fno-reorder-blocks-and-partition: no .cold parts split off a function, so each
   * function's code is one range and a backtrace maps return addresses to it. */
  static const char *const flags[] = {
      "-shared", "-fPIC", "-fvisibility=hidden", "-ffp-contract=off",
      "-fno-optimize-sibling-calls", "-fno-omit-frame-pointer", "-fno-strict-aliasing",
      "-fno-math-errno", "-Wl,-z,defs"};
  static const char *const gcc_flags[] = {"-fsignaling-nans", "-fno-reorder-blocks-and-partition"};
  bool clang = cc_is_clang(argv, n);
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) argv[n++] = (char *)flags[i];
  for (size_t i = 0; !clang && i < sizeof gcc_flags / sizeof *gcc_flags; i++)
    argv[n++] = (char *)gcc_flags[i];
  argv[n++] = olevel;
  argv[n++] = "-o";
  argv[n++] = (char *)so_path;
  argv[n++] = (char *)c_path;
  argv[n++] = "-lm";
  argv[n] = NULL;

  int logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (logfd < 0)
    return werr_set(err, WERR_RESOURCE, "cannot create %s: %s", log_path, strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, logfd, 1);
  posix_spawn_file_actions_adddup2(&fa, logfd, 2);
  fflush(NULL);
  pid_t pid;
  double t0 = now_s();
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(logfd);
  if (rc != 0)
    return werr_set(err, WERR_RESOURCE,
                    "cannot run the C compiler \"%s\": %s (name one with --cc or $CC%s)",
                    argv[0], strerror(rc),
                    o->target ? "; cross-compiling needs the target's compiler" : "");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return werr_set(err, WERR_RESOURCE, "waiting for the C compiler: %s", strerror(errno));
  }
  st->cc_s = now_s() - t0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return W_OK;
  char diag[400];
  cc_diagnostics(log_path, diag, sizeof diag);
  char how[48];
  if (WIFEXITED(status)) snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
  else snprintf(how, sizeof how, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
  return werr_set(err, WERR_RESOURCE, "the C compiler failed (%s, %s)%s%s", st->cc_cmd, how,
                  diag[0] ? ":\n" : "", diag);
}

/* Whether pure loops may rely on the runtime's stop signal: weft sends it on Linux only,
 * and at -O0 the generated code's small helpers may run as libc calls (memcpy), where the
 * signal cannot stop a loop. */
static bool async_interrupt_ok(const waot_compile_opts *o) {
  char norm[64];
  if (o->target) waot_triple_norm(o->target, norm, sizeof norm);
  else snprintf(norm, sizeof norm, "%s", waot_host_triple());
  return o->opt_level >= 1 && strstr(norm, "-linux") != NULL;
}

/* Writes m's C translation to c_path. */
static wstatus emit_file(const wmodule *m, const waot_compile_opts *o, uint64_t hash,
                         const char *c_path, size_t *c_bytes, werr *err) {
  FILE *f = fopen(c_path, "w");
  if (!f) return werr_set(err, WERR_RESOURCE, "cannot create %s: %s", c_path, strerror(errno));
  static char buf[1 << 16];
  setvbuf(f, buf, _IOFBF, sizeof buf);
  waot_emit_opts eo = {o->bounds_checks, o->multi_thread, async_interrupt_ok(o)};
  wstatus s = waot_emit_c(m, &eo, hash, f, err);
  long pos = ftell(f);
  int werrno = ferror(f) ? errno : 0;
  if (fclose(f) != 0 && s == W_OK)
    return werr_set(err, WERR_RESOURCE, "writing %s: %s", c_path, strerror(errno));
  if (s != W_OK) return s;
  if (werrno) return werr_set(err, WERR_RESOURCE, "writing %s: %s", c_path, strerror(werrno));
  *c_bytes = pos > 0 ? (size_t)pos : 0;
  return W_OK;
}

/* Packs the .aot image into a malloc'd buffer. */
static wstatus pack(const waot_image *img, uint8_t **out, size_t *out_len, werr *err) {
  char *mem = NULL;
  size_t memlen = 0;
  FILE *f = open_memstream(&mem, &memlen);
  if (!f) return werr_set(err, WERR_RESOURCE, "out of memory");
  wstatus s = waot_file_write(f, img, err);
  if (fclose(f) != 0 && s == W_OK) s = werr_set(err, WERR_RESOURCE, "out of memory");
  if (s != W_OK) { free(mem); return s; }
  *out = (uint8_t *)mem;
  *out_len = memlen;
  return W_OK;
}

/* Decodes and validates as weft_module_new does; refuses a shared memory without
 * multi_thread. */
static wmodule *load(const uint8_t *wasm, size_t len, const waot_compile_opts *o, werr *err) {
  wmodule *m = wmod_decode(wasm ? wasm : (const uint8_t *)"", len, err);
  if (!m) {
    if (err->kind == WERR_NONE) werr_set(err, WERR_MALFORMED, "malformed module");
    return NULL;
  }
  uint32_t off = (o->disabled_features & WEFT_FEATURE_REFERENCE_TYPES) ? WFEAT_NO_REFERENCE_TYPES : 0;
  if (wmod_validate(m, off, err) != W_OK) {
    if (err->kind == WERR_NONE) werr_set(err, WERR_INVALID, "invalid module");
    wmod_free(m);
    return NULL;
  }
  wmod_find_aux_stack(m);
  if (!o->multi_thread) {
    for (uint32_t i = 0; i < m->nmems; i++) {
      if (m->mems[i].lim.shared) {
        werr_set(err, WERR_INVALID,
                 "memory %u is shared (a threaded program): compile it with "
                 "--enable-multi-thread", i);
        wmod_free(m);
        return NULL;
      }
    }
  }
  return m;
}

wstatus waot_compile(const uint8_t *wasm, size_t len, const waot_compile_opts *o,
                     uint8_t **out, size_t *out_len, waot_compile_stats *stats, werr *err) {
  double t0 = now_s();
  waot_compile_stats local;
  waot_compile_stats *st = stats ? stats : &local;
  memset(st, 0, sizeof *st);
  *out = NULL;
  *out_len = 0;
  st->wasm_bytes = len;
  if (!wasm && len) return werr_set(err, WERR_ARG, "null module bytes");
  if (o->opt_level < 0 || o->opt_level > 3)
    return werr_set(err, WERR_ARG, "bad optimisation level %d (0 to 3)", o->opt_level);
  if (o->target && !triple_ok(o->target))
    return werr_set(err, WERR_ARG, "bad target triple \"%s\"", o->target);

  wmodule *m = load(wasm, len, o, err);
  if (!m) return W_ERR;
  st->nfuncs = m->nfuncs - m->nimported_funcs;
  uint64_t hash = waot_hash(wasm ? wasm : (const uint8_t *)"", len);

  const char *tmp = o->tmpdir && *o->tmpdir ? o->tmpdir : wutil_tmpdir();
  char dir[4096], c_path[4200], so_path[4200], log_path[4200];
  snprintf(dir, sizeof dir, "%s/weftc-XXXXXX", tmp);
  if (!mkdtemp(dir)) {
    int e = errno;
    wmod_free(m);
    return werr_set(err, WERR_RESOURCE, "cannot create a work directory in %s: %s", tmp,
                    strerror(e));
  }
  snprintf(c_path, sizeof c_path, "%s/module.c", dir);
  snprintf(so_path, sizeof so_path, "%s/module.so", dir);
  snprintf(log_path, sizeof log_path, "%s/cc.log", dir);

  wstatus s;
  uint8_t *so = NULL;
  double te = now_s();
  s = emit_file(m, o, hash, c_path, &st->c_bytes, err);
  st->emit_s = now_s() - te;
  if (s == W_OK && o->emit_c_path && !copy_file(c_path, o->emit_c_path))
    s = werr_set(err, WERR_RESOURCE, "cannot write %s: %s", o->emit_c_path, strerror(errno));
  if (s == W_OK) s = run_cc(o, c_path, so_path, log_path, st, err);
  if (s == W_OK && !(so = wutil_read_file(so_path, &st->so_bytes)))
    s = werr_set(err, WERR_RESOURCE, "cannot read the compiled %s: %s", so_path, strerror(errno));
  if (s == W_OK) {
    waot_image img;
    memset(&img, 0, sizeof img);
    img.flags = (o->bounds_checks ? WAOT_F_BOUNDS_CHECKS : 0u) |
                (o->multi_thread ? WAOT_F_MULTI_THREAD : 0u) |
                (async_interrupt_ok(o) ? WAOT_F_ASYNC_INTERRUPT : 0u);
    img.wasm_hash = hash;
    if (o->target) waot_triple_norm(o->target, img.triple, sizeof img.triple);
    else snprintf(img.triple, sizeof img.triple, "%s", waot_host_triple());
    snprintf(img.weft_version, sizeof img.weft_version, "%s", WEFT_VERSION);
    img.abi_version = WAOT_ABI_VERSION;
    img.wasm = wasm;
    img.wasm_len = len;
    img.so = so;
    img.so_len = st->so_bytes;
    s = pack(&img, out, out_len, err);
    st->aot_bytes = *out_len;
  }
  free(so);
  wmod_free(m);
  unlink(c_path);
  unlink(so_path);
  unlink(log_path);
  rmdir(dir);
  st->total_s = now_s() - t0;
  return s;
}
