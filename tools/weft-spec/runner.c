/* runner.c — the spec command interpreter: module, register, action and the assert_* forms.
 * One runtime and one exec per file; every loaded module and instance is kept until the
 * file ends, since later commands may name any of them and registered instances import
 * from each other. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "runner.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#undef W_OK /* unistd.h's access() mode: werr.h's W_OK is meant below */

#include "aot/aot.h"
#include "aot/aot_compile.h"
#include "json.h"
#include "spectest.h"
#include "util/readfile.h"
#include "values.h"
#include "weft.h"

/* A module command's result; `inst` is NULL when instantiation failed. */
typedef struct {
  char *name; /* "$name" from the script, or NULL */
  weft_module *mod;
  weft_instance *inst;
} loaded;

typedef struct {
  const runner_opts *o;
  const char *dir;
  weft_runtime *rt;
  weft_exec *exec;
  loaded *mods;
  size_t nmods, capmods;
  /* The most recent module command's instance; NULL if that command failed, so later
   * unqualified actions fail instead of running against an older module. */
  weft_instance *current;
  spec_counts c;
  int line;
} state;

/* Outcome of performing an action. */
typedef enum {
  ACT_OK,    /* ran; results are filled */
  ACT_TRAP,  /* the call failed; err says why */
  ACT_ERROR, /* could not be performed (missing module/export, bad args); why says why */
  ACT_SKIP,  /* uses something the runner does not support (v128, NUL in a name) */
} act_result;

#define MAX_RESULTS 64

typedef struct {
  uint32_t n;
  weft_valtype types[MAX_RESULTS];
  weft_slot vals[MAX_RESULTS];
} results;

static void pass(state *s) { s->c.passed++; }

/* Prints one -v report line: "  FILE:LINE: TAG: message", with control characters in the
 * message (export names may contain any bytes) escaped as \xNN so each report stays one line. */
static void report(state *s, const char *tag, const char *fmt, va_list ap) {
  char buf[2048];
  vsnprintf(buf, sizeof buf, fmt, ap);
  printf("  %s:%d: %s: ", s->o->name, s->line, tag);
  for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) printf("\\x%02x", *p);
    else putchar(*p);
  }
  putchar('\n');
}

#if defined(__GNUC__) || defined(__clang__)
#define FMT23 __attribute__((format(printf, 2, 3)))
#else
#define FMT23
#endif

/* Counts a failure and, in -v mode, prints it with the command's line. */
FMT23 static void fail(state *s, const char *fmt, ...) {
  s->c.failed++;
  if (!s->o->verbose) return;
  va_list ap;
  va_start(ap, fmt);
  report(s, "FAIL", fmt, ap);
  va_end(ap);
}

/* Counts a skipped command and, in -v mode, says why. */
FMT23 static void skip(state *s, const char *fmt, ...) {
  s->c.skipped++;
  if (!s->o->verbose) return;
  va_list ap;
  va_start(ap, fmt);
  report(s, "skip", fmt, ap);
  va_end(ap);
}

/* Prints an informational note (a pass with a caveat) in -v mode. */
FMT23 static void note(state *s, const char *fmt, ...) {
  if (!s->o->verbose) return;
  va_list ap;
  va_start(ap, fmt);
  report(s, "note", fmt, ap);
  va_end(ap);
}

static const char *kind_name(weft_errkind k) {
  switch (k) {
  case WEFT_ERR_NONE: return "none";
  case WEFT_ERR_MALFORMED: return "malformed";
  case WEFT_ERR_INVALID: return "invalid";
  case WEFT_ERR_LINK: return "link";
  case WEFT_ERR_TRAP: return "trap";
  case WEFT_ERR_RESOURCE: return "resource";
  case WEFT_ERR_ARG: return "arg";
  }
  return "?";
}

/* Whether an error message matches the script's expected text: it contains it, or (for
 * texts like "uninitialized element 2") the text starts with the whole message. */
static bool text_matches(const char *msg, const char *expected) {
  if (!expected || !*expected) return true;
  if (strstr(msg, expected)) return true;
  size_t ml = strlen(msg);
  return ml > 0 && strncmp(expected, msg, ml) == 0;
}

/* Trap text check that also accepts the canonical message of the trap code. */
static bool trap_matches(const weft_error *err, const char *expected) {
  if (text_matches(err->message, expected)) return true;
  if (err->kind == WEFT_ERR_TRAP && err->trap > WEFT_TRAP_NONE && err->trap < WEFT_TRAP_COUNT_) {
    const char *m = weft_trap_message(err->trap);
    if (m && text_matches(m, expected)) return true;
  }
  return false;
}

/* Reads dir/filename (just filename when dir is "") into a malloc'd buffer; NULL on failure. */
static uint8_t *read_whole(const char *dir, const char *filename, size_t *len) {
  char path[4096];
  int pl = *dir ? snprintf(path, sizeof path, "%s/%s", dir, filename)
               : snprintf(path, sizeof path, "%s", filename);
  if (pl < 0 || pl >= (int)sizeof path) return NULL;
  return wutil_read_file(path, len);
}

/* Writes len bytes to path atomically (a temporary file renamed into place), so runs
 * sharing the cache never see a partial file. Failures are ignored: the cache is only an
 * optimisation. */
static void cache_store(const char *path, const uint8_t *bytes, size_t len) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return;
  bool ok = fwrite(bytes, 1, len, f) == len;
  if (fclose(f) != 0) ok = false;
  if (!ok || rename(tmp, path) != 0) remove(tmp);
}

/* --aot: the module from wasm bytes compiled by waot_compile (or the cached .aot of an
 * earlier run with the same wasm, options and compiler). A module the decoder or the
 * validator rejects gets the .wasm path's outcome, so error kinds and texts are those of
 * the interpreter runs. NULL with err filled on failure. */
static weft_module *load_aot(state *s, const uint8_t *wasm, size_t len, weft_error *err) {
  const runner_opts *o = s->o;
  waot_compile_opts co;
  waot_compile_opts_init(&co);
  co.opt_level = o->aot_opt;
  co.bounds_checks = o->bounds_checks;
  co.multi_thread = o->aot_multi_thread;
  co.disabled_features = o->disabled_features;
  char path[4096] = "";
  if (o->aot_cache)
    snprintf(path, sizeof path, "%s/%016llx-%zx-%016llx-O%d%s%s-%x.aot", o->aot_cache,
             (unsigned long long)waot_hash(wasm, len), len,
             (unsigned long long)o->aot_build_id, co.opt_level, co.bounds_checks ? "b" : "",
             co.multi_thread ? "t" : "", (unsigned)co.disabled_features);
  size_t alen = 0;
  uint8_t *aot = path[0] ? read_whole("", path, &alen) : NULL;
  if (aot) {
    weft_module *m = weft_module_new(s->rt, aot, alen, err);
    free(aot);
    if (m) return m;
    remove(path);   /* unreadable or stale: compile afresh */
  }
  werr e;
  werr_clear(&e);
  if (waot_compile(wasm, len, &co, &aot, &alen, NULL, &e) != W_OK) {
    if (e.kind == WERR_MALFORMED || e.kind == WERR_INVALID) {
      /* Rejected before compiling: the .wasm path gives the interpreter's outcome. */
      weft_module *m = weft_module_new(s->rt, wasm, len, err);
      if (!m) return NULL;
      weft_module_delete(m);
    }
    memset(err, 0, sizeof *err);
    err->kind = WEFT_ERR_RESOURCE;
    snprintf(err->message, sizeof err->message, "weftc: %.480s", e.msg);
    return NULL;
  }
  if (path[0]) cache_store(path, aot, alen);
  weft_module *m = weft_module_new(s->rt, aot, alen, err);
  free(aot);
  return m;
}

/* Loads (decodes + validates) the command's module file, through weftc's pipeline when
 * `aot` and --aot are set. NULL with err filled on failure; a missing file is reported as
 * WEFT_ERR_ARG. */
static weft_module *load_module(state *s, const json *cmd, bool aot, weft_error *err) {
  const char *fn = json_get_str(cmd, "filename");
  memset(err, 0, sizeof *err);
  if (!fn) {
    err->kind = WEFT_ERR_ARG;
    snprintf(err->message, sizeof err->message, "command has no filename");
    return NULL;
  }
  size_t len = 0;
  uint8_t *bytes = read_whole(s->dir, fn, &len);
  if (!bytes) {
    err->kind = WEFT_ERR_ARG;
    snprintf(err->message, sizeof err->message, "cannot read %s", fn);
    return NULL;
  }
  weft_module *m = aot && s->o->aot ? load_aot(s, bytes, len, err)
                                     : weft_module_new(s->rt, bytes, len, err);
  free(bytes);
  if (!m && err->kind == WEFT_ERR_NONE) err->kind = WEFT_ERR_ARG; /* defensive: unknown kind */
  return m;
}

/* Remembers a module (and its instance, possibly NULL) for the rest of the file. */
static void keep(state *s, const char *name, weft_module *m, weft_instance *inst) {
  if (s->nmods == s->capmods) {
    size_t ncap = s->capmods ? s->capmods * 2 : 16;
    loaded *nm = realloc(s->mods, ncap * sizeof *nm);
    if (!nm) { /* cannot track it: leak rather than free something still referenced */
      return;
    }
    s->mods = nm;
    s->capmods = ncap;
  }
  loaded *l = &s->mods[s->nmods++];
  l->name = name ? strdup(name) : NULL;
  l->mod = m;
  l->inst = inst;
}

/* The instance an action or register names ("$name"), or the current one when name is NULL.
 * Later definitions shadow earlier ones with the same name. */
static weft_instance *find_instance(state *s, const char *name) {
  if (!name) return s->current;
  for (size_t i = s->nmods; i-- > 0;)
    if (s->mods[i].name && strcmp(s->mods[i].name, name) == 0) return s->mods[i].inst;
  return NULL;
}

/* Whether the JSON string member `key` has an embedded NUL (weft.h looks names up as C strings). */
static bool has_nul(const json *obj, const char *key) {
  const json *v = json_get(obj, key);
  return v && v->kind == JSON_STRING && strlen(v->str) != v->len;
}

/* Performs an invoke or get action. */
static act_result do_action(state *s, const json *act, results *res, weft_error *err, char *why,
                            size_t whylen) {
  const char *type = json_get_str(act, "type");
  const char *field = json_get_str(act, "field");
  const char *modname = json_get_str(act, "module");
  memset(err, 0, sizeof *err);
  res->n = 0;
  if (!type || !field) { snprintf(why, whylen, "malformed action"); return ACT_ERROR; }
  if (has_nul(act, "field")) { snprintf(why, whylen, "export name contains a NUL byte"); return ACT_SKIP; }
  weft_instance *inst = find_instance(s, modname);
  if (!inst) {
    snprintf(why, whylen, "no instance %s", modname ? modname : "(current module failed)");
    return ACT_ERROR;
  }
  if (strcmp(type, "get") == 0) {
    weft_global *g = weft_instance_global(inst, field);
    if (!g) { snprintf(why, whylen, "no exported global \"%s\"", field); return ACT_ERROR; }
    res->n = 1;
    res->types[0] = weft_global_type(g);
    res->vals[0] = weft_global_get(g);
    return ACT_OK;
  }
  if (strcmp(type, "invoke") != 0) { snprintf(why, whylen, "unknown action type %s", type); return ACT_ERROR; }
  weft_func *f = weft_instance_func(inst, field);
  if (!f) { snprintf(why, whylen, "no exported function \"%s\"", field); return ACT_ERROR; }
  const json *args = json_get(act, "args");
  size_t nargs = args && args->kind == JSON_ARRAY ? args->len : 0;
  uint32_t nparams = weft_func_param_count(f);
  uint32_t nresults = weft_func_result_count(f);
  if (nargs != nparams) {
    snprintf(why, whylen, "\"%s\" takes %u params, script passes %zu", field, nparams, nargs);
    return ACT_ERROR;
  }
  if (nresults > MAX_RESULTS) { snprintf(why, whylen, "too many results (%u)", nresults); return ACT_SKIP; }
  weft_slot *argv = calloc(nargs ? nargs : 1, sizeof *argv);
  if (!argv) { snprintf(why, whylen, "out of memory"); return ACT_ERROR; }
  for (size_t i = 0; i < nargs; i++) {
    spec_value v;
    char vwhy[128];
    if (!value_parse(&args->items[i], false, &v, vwhy, sizeof vwhy)) {
      snprintf(why, whylen, "arg %zu: %s", i, vwhy);
      free(argv);
      return ACT_SKIP;
    }
    if (v.type != weft_func_param_type(f, (uint32_t)i)) {
      snprintf(why, whylen, "arg %zu is %s, param is %s", i, valtype_name(v.type),
               valtype_name(weft_func_param_type(f, (uint32_t)i)));
      free(argv);
      return ACT_ERROR;
    }
    argv[i] = v.v;
  }
  res->n = nresults;
  for (uint32_t i = 0; i < nresults; i++) {
    res->types[i] = weft_func_result_type(f, i);
    memset(&res->vals[i], 0, sizeof res->vals[i]);
  }
  weft_status st = weft_call(s->exec, f, argv, (uint32_t)nargs, res->vals, nresults, err);
  free(argv);
  return st == WEFT_OK ? ACT_OK : ACT_TRAP;
}

/* Describes a failed action's error for messages. */
static void describe_err(const weft_error *err, char *buf, size_t n) {
  snprintf(buf, n, "%s error: %s", kind_name(err->kind), err->message);
}

/* module: load + instantiate, optionally under a $name. */
static void cmd_module(state *s, const json *cmd) {
  weft_error err;
  const char *name = json_get_str(cmd, "name");
  s->current = NULL;
  weft_module *m = load_module(s, cmd, true, &err);
  if (!m) { fail(s, "module load failed: %s error: %s", kind_name(err.kind), err.message); keep(s, name, NULL, NULL); return; }
  weft_instance *inst = weft_instantiate(s->rt, m, s->exec, &err);
  keep(s, name, m, inst);
  if (!inst) { fail(s, "instantiation failed: %s error: %s", kind_name(err.kind), err.message); return; }
  s->current = inst;
  pass(s);
}

/* register: make a module's exports importable under `as`. */
static void cmd_register(state *s, const json *cmd) {
  const char *as = json_get_str(cmd, "as");
  const char *name = json_get_str(cmd, "name");
  weft_instance *inst = find_instance(s, name);
  if (!as) { fail(s, "register without \"as\""); return; }
  if (!inst) { fail(s, "register %s: no instance %s", as, name ? name : "(current module failed)"); return; }
  weft_error err;
  memset(&err, 0, sizeof err);
  if (weft_register_instance(s->rt, as, inst, &err) != WEFT_OK) { fail(s, "register %s failed: %s", as, err.message); return; }
  pass(s);
}

/* assert_return and plain actions: the action must succeed (and match `expected`). */
static void cmd_return(state *s, const json *cmd, bool check) {
  const json *act = json_get(cmd, "action");
  results res;
  weft_error err;
  char why[256] = "";
  act_result r = do_action(s, act, &res, &err, why, sizeof why);
  const char *field = json_get_str(act, "field");
  if (r == ACT_SKIP) { skip(s, "%s", why); return; }
  if (r == ACT_ERROR) { fail(s, "%s", why); return; }
  if (r == ACT_TRAP) {
    char d[700];
    describe_err(&err, d, sizeof d);
    fail(s, "\"%s\" failed: %s", field ? field : "?", d);
    return;
  }
  if (!check) { pass(s); return; }
  const json *exp = json_get(cmd, "expected");
  size_t nexp = exp && exp->kind == JSON_ARRAY ? exp->len : 0;
  if (nexp != res.n) { fail(s, "\"%s\": %u results, expected %zu", field ? field : "?", res.n, nexp); return; }
  for (size_t i = 0; i < nexp; i++) {
    spec_value ev;
    if (!value_parse(&exp->items[i], true, &ev, why, sizeof why)) { skip(s, "expected %zu: %s", i, why); return; }
    if (!value_matches(&ev, res.types[i], res.vals[i])) {
      char eb[96], gb[96];
      value_format_expect(&ev, eb, sizeof eb);
      value_format(res.types[i], res.vals[i], gb, sizeof gb);
      fail(s, "\"%s\" result %zu: got %s, expected %s", field ? field : "?", i, gb, eb);
      return;
    }
  }
  pass(s);
}

/* assert_trap / assert_exhaustion on an action: the call must trap with the expected text. */
static void cmd_trap_action(state *s, const json *cmd, bool exhaustion) {
  const json *act = json_get(cmd, "action");
  const char *text = json_get_str(cmd, "text");
  const char *field = json_get_str(act, "field");
  results res;
  weft_error err;
  char why[256] = "";
  act_result r = do_action(s, act, &res, &err, why, sizeof why);
  if (r == ACT_SKIP) { skip(s, "%s", why); return; }
  if (r == ACT_ERROR) { fail(s, "%s", why); return; }
  if (r == ACT_OK) { fail(s, "\"%s\" returned, expected trap \"%s\"", field ? field : "?", text ? text : ""); return; }
  if (err.kind != WEFT_ERR_TRAP) {
    fail(s, "\"%s\": expected trap \"%s\", got %s error: %s", field ? field : "?", text ? text : "",
         kind_name(err.kind), err.message);
    return;
  }
  if (exhaustion && err.trap == WEFT_TRAP_CALL_STACK_EXHAUSTED) { pass(s); return; }
  if (!trap_matches(&err, text)) {
    fail(s, "\"%s\": trapped with \"%s\", expected \"%s\"", field ? field : "?", err.message, text ? text : "");
    return;
  }
  pass(s);
}

/* assert_uninstantiable / assert_trap on a module: it loads, and instantiation traps. */
static void cmd_uninstantiable(state *s, const json *cmd) {
  const char *text = json_get_str(cmd, "text");
  weft_error err;
  weft_module *m = load_module(s, cmd, true, &err);
  if (!m) { fail(s, "module load failed: %s error: %s", kind_name(err.kind), err.message); return; }
  weft_instance *inst = weft_instantiate(s->rt, m, s->exec, &err);
  /* Kept either way: a failed instantiation may have written into imported tables and
   * memories that still refer to this module's functions. */
  keep(s, NULL, m, inst);
  if (inst) { fail(s, "module instantiated, expected trap \"%s\"", text ? text : ""); return; }
  if (err.kind != WEFT_ERR_TRAP) { fail(s, "expected trap \"%s\", got %s error: %s", text ? text : "", kind_name(err.kind), err.message); return; }
  if (!trap_matches(&err, text)) { fail(s, "trapped with \"%s\", expected \"%s\"", err.message, text ? text : ""); return; }
  pass(s);
}

/* assert_unlinkable: loads, and instantiation fails (ideally with a link error). */
static void cmd_unlinkable(state *s, const json *cmd) {
  const char *text = json_get_str(cmd, "text");
  weft_error err;
  weft_module *m = load_module(s, cmd, true, &err);
  if (!m) { fail(s, "module load failed: %s error: %s", kind_name(err.kind), err.message); return; }
  weft_instance *inst = weft_instantiate(s->rt, m, s->exec, &err);
  keep(s, NULL, m, inst);
  if (inst) { fail(s, "module linked, expected \"%s\"", text ? text : ""); return; }
  if (err.kind != WEFT_ERR_LINK) note(s, "unlinkable: %s error (expected link): %s", kind_name(err.kind), err.message);
  else if (!text_matches(err.message, text)) note(s, "unlinkable: message \"%s\", expected \"%s\"", err.message, text ? text : "");
  pass(s);
}

/* assert_invalid / assert_malformed: the binary must be rejected at load time. */
static void cmd_reject(state *s, const json *cmd, bool malformed) {
  const char *text = json_get_str(cmd, "text");
  const char *mt = json_get_str(cmd, "module_type");
  const char *what = malformed ? "assert_malformed" : "assert_invalid";
  if (mt && strcmp(mt, "binary") != 0) { skip(s, "%s: %s module", what, mt); return; }
  weft_error err;
  weft_module *m = load_module(s, cmd, false, &err);
  if (m) { weft_module_delete(m); fail(s, "%s: module loaded, expected \"%s\"", what, text ? text : ""); return; }
  if (err.kind == WEFT_ERR_ARG) { fail(s, "%s: %s", what, err.message); return; }
  weft_errkind want = malformed ? WEFT_ERR_MALFORMED : WEFT_ERR_INVALID;
  if (!malformed && err.kind != WEFT_ERR_INVALID && err.kind != WEFT_ERR_MALFORMED) {
    fail(s, "%s: rejected as %s error: %s", what, kind_name(err.kind), err.message);
    return;
  }
  if (err.kind != want) note(s, "%s: rejected as %s (expected %s \"%s\"): %s", what, kind_name(err.kind), kind_name(want), text ? text : "", err.message);
  else if (!text_matches(err.message, text)) note(s, "%s: message \"%s\", expected \"%s\"", what, err.message, text ? text : "");
  pass(s);
}

/* Dispatches one command by its "type". */
static void run_command(state *s, const json *cmd) {
  const char *type = json_get_str(cmd, "type");
  const json *line = json_get(cmd, "line");
  s->line = line && line->kind == JSON_NUMBER ? (int)line->num : 0;
  if (s->o->progress) s->o->progress(&s->c, s->line, s->o->ctx);
  if (!type) { fail(s, "command without a type"); return; }
  if (strcmp(type, "module") == 0) cmd_module(s, cmd);
  else if (strcmp(type, "register") == 0) cmd_register(s, cmd);
  else if (strcmp(type, "action") == 0) cmd_return(s, cmd, false);
  else if (strcmp(type, "assert_return") == 0) cmd_return(s, cmd, true);
  else if (strcmp(type, "assert_trap") == 0) {
    if (json_get(cmd, "action")) cmd_trap_action(s, cmd, false);
    else cmd_uninstantiable(s, cmd);
  } else if (strcmp(type, "assert_exhaustion") == 0) cmd_trap_action(s, cmd, true);
  else if (strcmp(type, "assert_uninstantiable") == 0) cmd_uninstantiable(s, cmd);
  else if (strcmp(type, "assert_unlinkable") == 0) cmd_unlinkable(s, cmd);
  else if (strcmp(type, "assert_invalid") == 0) cmd_reject(s, cmd, false);
  else if (strcmp(type, "assert_malformed") == 0) cmd_reject(s, cmd, true);
  else skip(s, "unknown command type %s", type);
}

bool runner_run_file(const char *dir, const char *json_path, const runner_opts *o, spec_counts *out) {
  state s;
  memset(&s, 0, sizeof s);
  s.o = o;
  s.dir = dir;
  memset(out, 0, sizeof *out);
  size_t len = 0;
  char *text = (char *)read_whole("", json_path, &len);
  if (!text) {
    printf("%s: cannot read %s\n", o->name, json_path);
    out->failed = 1;
    return false;
  }
  char perr[256] = "";
  json *doc = json_parse(text, len, perr, sizeof perr);
  free(text);
  const json *cmds = json_get(doc, "commands");
  if (!doc || !cmds || cmds->kind != JSON_ARRAY) {
    printf("%s: bad JSON from wast2json: %s\n", o->name, doc ? "no commands array" : perr);
    json_free(doc);
    out->failed = 1;
    return false;
  }
  weft_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.bounds_checks = o->bounds_checks;
  cfg.disabled_features = o->disabled_features;
  s.rt = weft_runtime_new(&cfg);
  weft_error err;
  memset(&err, 0, sizeof err);
  if (!s.rt || spectest_register(s.rt, o->verbose, &err) != WEFT_OK || !(s.exec = weft_exec_new(s.rt))) {
    printf("%s: cannot set up the runtime: %s\n", o->name, s.rt ? err.message : "weft_runtime_new failed");
    if (s.rt) weft_runtime_delete(s.rt);
    json_free(doc);
    out->failed = 1;
    return false;
  }
  for (size_t i = 0; i < cmds->len; i++) run_command(&s, &cmds->items[i]);
  /* Teardown order: instances, then modules, then the exec and the runtime. */
  for (size_t i = 0; i < s.nmods; i++)
    if (s.mods[i].inst) weft_instance_delete(s.mods[i].inst);
  for (size_t i = 0; i < s.nmods; i++) {
    if (s.mods[i].mod) weft_module_delete(s.mods[i].mod);
    free(s.mods[i].name);
  }
  free(s.mods);
  weft_exec_delete(s.exec);
  weft_runtime_delete(s.rt);
  json_free(doc);
  *out = s.c;
  return true;
}
