/* aot_rt_test.c — the runtime side of AOT code, tested with a hand-written "AOT-compiled"
 * module (aot_hand.c, built as a shared object) packed with aot_hand.wasm into a .aot:
 * loading through weft_module_new and wasm_runtime_load, calls in every direction (host →
 * AOT, AOT → host/native/interpreted, interpreted → AOT), traps and their backtraces (helper
 * traps, guard-page faults, host and native traps, interpreted traps under AOT frames),
 * stop requests (running loop, pending before a call), native stack exhaustion (also on a
 * small thread stack), canonical type ids, and the loader's refusals.
 * Unlike the other embed tests it uses weft's internal headers (the .aot writer, layouts). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "aot/aot.h"
#include "aot/aot_abi.h"
#include "runtime/rt.h"
#include "check.h"
#include "load.h"
#include "wasm_export.h"
#include "weft.h"

static weft_instance *g_aot_inst;   /* the caller host.add expects */
static weft_func *g_reenter;         /* when set, host.add returns g_reenter(a + b) */

/* host.add re-entering through weft_call: an interpreted function (its frame in the value
 * stack) called from a host function that AOT code called */
static weft_trap host_add_reenter(weft_exec *exec, weft_slot *s) {
  weft_slot a[1] = {{.i64 = (uint32_t)(s[0].i32 + s[1].i32)}}, r[1] = {{.i64 = 0}};
  weft_error err;
  if (weft_call(exec, g_reenter, a, 1, r, 1, &err) != WEFT_OK) {
    weft_exec_set_trap_message(exec, "host.add: re-entry failed");
    return WEFT_TRAP_HOST;
  }
  if (weft_exec_caller_instance(exec) != g_aot_inst) {
    weft_exec_set_trap_message(exec, "host.add: wrong caller instance after re-entry");
    return WEFT_TRAP_HOST;
  }
  s[0].i64 = (uint32_t)r[0].i32;
  return WEFT_TRAP_NONE;
}

static weft_trap host_add(weft_exec *exec, void *att, weft_slot *s) {
  (void)att;
  if (weft_exec_caller_instance(exec) != g_aot_inst) {
    weft_exec_set_trap_message(exec, "host.add: wrong caller instance");
    return WEFT_TRAP_HOST;
  }
  if (g_reenter) return host_add_reenter(exec, s);
  s[0].i64 = (uint32_t)(s[0].i32 + s[1].i32);
  return WEFT_TRAP_NONE;
}

static weft_trap host_fail(weft_exec *exec, void *att, weft_slot *s) {
  (void)att, (void)s;
  weft_exec_set_trap_message(exec, "host says no");
  return WEFT_TRAP_HOST;
}

static int32_t nat_strlen(weft_exec *exec, const char *str) {
  (void)exec;
  return (int32_t)strlen(str);
}

static void nat_quit(weft_exec *exec, int32_t code) { (void)weft_exec_exit(exec, code); }

static uint8_t *pack(const uint8_t *wasm, size_t wlen, const uint8_t *so, size_t slen,
                     uint32_t flags, size_t *out_len) {
  waot_image img;
  memset(&img, 0, sizeof img);
  img.flags = flags;
  img.wasm_hash = waot_hash(wasm, wlen);
  snprintf(img.triple, sizeof img.triple, "%s", waot_host_triple());
  snprintf(img.weft_version, sizeof img.weft_version, "%s", WEFT_VERSION);
  img.abi_version = WAOT_ABI_VERSION;
  img.wasm = wasm;
  img.wasm_len = wlen;
  img.so = so;
  img.so_len = slen;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  werr e;
  bool ok = f && waot_file_write(f, &img, &e) == W_OK;
  if (f) fclose(f);
  if (!ok) {
    free(buf);
    return NULL;
  }
  *out_len = len;
  return (uint8_t *)buf;
}

static weft_status call(weft_exec *x, weft_instance *in, const char *name, uint32_t nargs,
                        uint32_t a0, uint32_t a1, uint32_t *res, weft_error *err) {
  weft_func *f = weft_instance_func(in, name);
  if (!f) {
    snprintf(err->message, sizeof err->message, "no export %s", name);
    err->trap = WEFT_TRAP_NONE;
    err->backtrace[0] = 0;
    return WEFT_FAIL;
  }
  weft_slot a[2] = {{.i64 = a0}, {.i64 = a1}}, r[1] = {{.i64 = 0}};
  weft_status st = weft_call(x, f, a, nargs, r, weft_func_result_count(f), err);
  if (res) *res = r[0].i32;
  return st;
}

/* The backtrace's lines, without the "  #N " prefixes, joined by '|'. */
static const char *frames(const weft_error *err) {
  static char buf[2048];
  size_t k = 0;
  const char *p = err->backtrace;
  while (*p && k + 1 < sizeof buf) {
    while (*p == ' ') p++;
    if (*p == '#') {
      while (*p && *p != ' ') p++;
      if (*p == ' ') p++;
    }
    while (*p && *p != '\n' && k + 1 < sizeof buf) buf[k++] = *p++;
    if (*p == '\n') p++;
    if (*p && k + 1 < sizeof buf) buf[k++] = '|';
  }
  buf[k] = 0;
  return buf;
}

/* ---- threads for the stop and small-stack checks ---- */
typedef struct {
  weft_exec *x;
  weft_instance *in;
  const char *fn;
  uint32_t arg;
  weft_status st;
  weft_error err;
  _Atomic int started;
} job;

static void *run_job(void *p) {
  job *j = p;
  atomic_store(&j->started, 1);
  j->st = call(j->x, j->in, j->fn, j->fn[0] == 'r' ? 1 : 0, j->arg, 0, NULL, &j->err);
  return NULL;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int main(void) {
  size_t hlen, plen, ulen, solen;
  uint8_t *hand = load_file(WASM_DIR "/aot_hand.wasm", &hlen);
  uint8_t *helper = load_file(WASM_DIR "/aot_helper.wasm", &plen);
  uint8_t *user = load_file(WASM_DIR "/aot_user.wasm", &ulen);
  uint8_t *so = load_file(AOT_HAND_SO, &solen);
  if (!hand || !helper || !user || !so) return 1;
  char hash[32];
  snprintf(hash, sizeof hash, "%016llx", (unsigned long long)waot_hash(hand, hlen));
  setenv("WEFT_AOT_HAND_HASH", hash, 1);
  size_t alen;
  uint8_t *aot = pack(hand, hlen, so, solen, 0, &alen);
  CHECK(aot != NULL, "pack the hand-written module into a .aot");
  if (!aot) return check_summary();

  weft_error err;
  weft_runtime *rt = weft_runtime_new(NULL);
  static const weft_valtype ii[2] = {WEFT_I32, WEFT_I32}, i1[1] = {WEFT_I32};
  static const weft_native_symbol nats[] = {
    {"strlen", (void *)nat_strlen, "($)i", NULL},
    {"quit", (void *)nat_quit, "(i)", NULL},
  };
  CHECK(weft_register_func(rt, "host", "add", ii, 2, i1, 1, host_add, NULL, &err) == WEFT_OK &&
            weft_register_func(rt, "host", "fail", NULL, 0, NULL, 0, host_fail, NULL, &err) ==
                WEFT_OK &&
            weft_register_natives(rt, "nat", nats, 2, false, &err) == WEFT_OK,
        "register host functions and natives");
  weft_module *hm = weft_module_new(rt, helper, plen, &err);
  weft_instance *hi = hm ? weft_instantiate(rt, hm, NULL, &err) : NULL;
  CHECK(hi && weft_register_instance(rt, "helper", hi, &err) == WEFT_OK,
        "instantiate and register the interpreted helper");

  weft_module *am = weft_module_new(rt, aot, alen, &err);
  CHECK(am != NULL, "weft_module_new loads the .aot (%s)", am ? "ok" : err.message);
  if (!am) return check_summary();
  CHECK(((wmodule *)am)->aot != NULL && ((wmodule *)am)->funcs[0].compiled == NULL,
        "an AOT module has AOT code and no interpreter translation");
  weft_instance *ai = weft_instantiate(rt, am, NULL, &err);
  CHECK(ai != NULL, "instantiate the AOT module (%s)", ai ? "ok" : err.message);
  if (!ai) return check_summary();
  g_aot_inst = ai;
  CHECK(weft_register_instance(rt, "aotmod", ai, &err) == WEFT_OK, "register it as aotmod");

  /* function instances and canonical type ids */
  const wfuncinst *fl = weft_instance_func(ai, "load"), *ft = weft_instance_func(hi, "twice");
  const wfuncinst *fc = weft_instance_func(ai, "callhost");
  CHECK(fl && !fl->code && fl->aot_fn && fl->aot_slots && !fl->host,
        "an AOT function instance has aot_fn/aot_slots and no code");
  CHECK(fl && ft && fc && fl->canon && fl->canon == ft->canon && fl->canon != fc->canon,
        "canonical ids: (i32)->i32 in two modules equal, (i32 i32)->i32 differs");
  const winstance *wi = (const winstance *)ai;
  CHECK(wi->type_canon && wi->type_canon[wi->module->func_types[fl->func_idx]] == fl->canon,
        "type_canon maps the module's type index to the canonical id");
  weft_func *hostadd = NULL;
  {
    const winstance *w = (const winstance *)ai;
    hostadd = w->funcs[0];
  }
  CHECK(hostadd && hostadd->host && hostadd->canon == fc->canon,
        "host functions get canonical ids at registration");

  weft_exec *x = weft_exec_new(rt);
  uint32_t r = 0;
  weft_status st;
  st = call(x, ai, "load", 1, 16, 0, &r, &err);
  CHECK(st == WEFT_OK && r == 0x6c6c6568u,
        "load(16) reads the data segment (0x%x)", r);
  st = call(x, ai, "callhost", 2, 2, 3, &r, &err);
  CHECK(st == WEFT_OK && r == 5,
        "AOT → host: callhost(2,3) = %u, the host sees the AOT instance as its caller (%s)", r,
        err.message);
  st = call(x, ai, "twice2", 1, 5, 0, &r, &err);
  CHECK(st == WEFT_OK && r == 20,
        "AOT → interpreted: twice2(5) = %u", r);
  st = call(x, ai, "slen", 1, 16, 0, &r, &err);
  CHECK(st == WEFT_OK && r == 10,
        "AOT → native with a string argument checked against the caller's memory: %u", r);

  /* traps */
  st = call(x, ai, "boom", 0, 0, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_UNREACHABLE && !strcmp(frames(&err), "boom"),
        "helper trap: unreachable with backtrace [%s]", frames(&err));
  st = call(x, ai, "outer", 0, 0, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_UNREACHABLE &&
            !strcmp(frames(&err), "boom|outer"),
        "trap two AOT frames deep: [%s]", frames(&err));
  CHECK(!strcmp(err.backtrace, "  #0 boom\n  #1 outer\n"), "backtrace text: %s", err.backtrace);
  st = call(x, ai, "load", 1, 0xfffffff0u, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_OOB_MEMORY && !strcmp(frames(&err), "load"),
        "guard-page fault in AOT code: out of bounds, backtrace [%s]", frames(&err));
  st = call(x, ai, "hostfail", 0, 0, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_HOST && !strcmp(err.message, "host says no") &&
            !strcmp(frames(&err), "host.fail|hostfail"),
        "host trap under AOT: message [%s], backtrace [%s]", err.message, frames(&err));
  st = call(x, ai, "itrap", 0, 0, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_UNREACHABLE &&
            !strncmp(frames(&err), "itrap+0x", 8) && strstr(frames(&err), "|itrap2") &&
            !strchr(strchr(frames(&err), '|') + 1, '|'),
        "interpreted trap under an AOT frame: [%s]", frames(&err));
  st = call(x, ai, "slen", 1, 0xffffff00u, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_OOB_MEMORY &&
            !strcmp(frames(&err), "nat.strlen|slen"),
        "native's pointer check under AOT: out of bounds, [%s]", frames(&err));
  st = call(x, ai, "quit", 1, 7, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_EXIT && weft_exec_exit_code(x) == 7,
        "native exit from AOT code: EXIT with code %d", weft_exec_exit_code(x));
  st = call(x, ai, "recurse", 1, 0, 0, NULL, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_CALL_STACK_EXHAUSTED &&
            !strncmp(frames(&err), "recurse|recurse|recurse", 23),
        "unbounded AOT recursion: call stack exhausted [%.40s…]", frames(&err));
  st = call(x, ai, "callhost", 2, 20, 22, &r, &err);
  CHECK(st == WEFT_OK && r == 42,
        "the exec works after all those traps (%u)", r);

  /* interpreted → AOT */
  weft_module *um = weft_module_new(rt, user, ulen, &err);
  weft_instance *ui = um ? weft_instantiate(rt, um, NULL, &err) : NULL;
  CHECK(ui != NULL, "an interpreted module importing AOT functions (%s)",
        ui ? "ok" : err.message);
  if (ui) {
    st = call(x, ui, "viaboom", 0, 0, 0, NULL, &err);
    CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_UNREACHABLE &&
              !strncmp(frames(&err), "boom|viaboom+0x", 15),
          "interpreted → AOT trap: [%s]", frames(&err));
    st = call(x, ui, "viach", 2, 4, 5, &r, &err);
  CHECK(st == WEFT_OK && r == 9,
          "interpreted → AOT → host: the host's caller is the AOT instance (%u %s)", r,
          err.message);
    /* aot_host_call_reentry_keeps_frames: the AOT host-call path does not raise exec->sp
     * for host callees; a re-entrant weft_call must still place its frame above the
     * interpreted caller's live slots (and the caller instance must survive it). */
    g_reenter = weft_instance_func(hi, "twice");
    st = call(x, ui, "viachkeep", 2, 4, 5, &r, &err);
    CHECK(st == WEFT_OK && r == 1022,
          "aot_host_call_reentry_keeps_frames: interpreted → AOT → host → weft_call(interpreted)"
          " keeps the outer frame's local and operand: %u (1022) %s", r, err.message);
    st = call(x, ai, "callhost", 2, 2, 3, &r, &err);
    CHECK(st == WEFT_OK && r == 10,
          "aot_host_call_reentry_keeps_frames: AOT → host → weft_call(interpreted): %u %s", r,
          err.message);
    g_reenter = NULL;
    st = call(x, ui, "viarec", 1, 0, 0, NULL, &err);
    CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_CALL_STACK_EXHAUSTED &&
              strstr(err.backtrace, "recurse"),
          "interpreted → AOT recursion: call stack exhausted");
  }

  /* stop requests */
  weft_exec_request_stop(x);
  st = call(x, ai, "callhost", 2, 1, 2, &r, &err);
  CHECK(st == WEFT_FAIL && err.trap == WEFT_TRAP_TERMINATED && !strcmp(frames(&err), "callhost"),
        "a stop requested before the call ends it at the first prologue [%s]", frames(&err));
  st = call(x, ai, "callhost", 2, 1, 2, &r, &err);
  CHECK(st == WEFT_OK && r == 3,
        "the stop was consumed: the next call runs");
  {
    job j;
    memset(&j, 0, sizeof j);
    j.x = weft_exec_new(rt);
    j.in = ai;
    j.fn = "spin";
    pthread_t t;
    pthread_create(&t, NULL, run_job, &j);
    while (!atomic_load(&j.started)) sleep_ms(1);
    sleep_ms(30);
    weft_exec_request_stop(j.x);
    pthread_join(t, NULL);
    CHECK(j.st == WEFT_FAIL && j.err.trap == WEFT_TRAP_TERMINATED &&
              !strcmp(frames(&j.err), "spin"),
          "a stop request from another thread ends a spinning AOT loop [%s]", frames(&j.err));
    uint32_t v = 0;
    st = call(j.x, ai, "callhost", 2, 3, 4, &v, &err);
  CHECK(st == WEFT_OK && v == 7,
          "that exec runs again afterwards");
    weft_exec_delete(j.x);
  }
  {
    /* a small thread stack: the limit is a quarter of it below the top */
    job j;
    memset(&j, 0, sizeof j);
    j.x = weft_exec_new(rt);
    j.in = ai;
    j.fn = "recurse";
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 * 1024);
    pthread_t t;
    pthread_create(&t, &a, run_job, &j);
    pthread_join(t, NULL);
    pthread_attr_destroy(&a);
    CHECK(j.st == WEFT_FAIL && j.err.trap == WEFT_TRAP_CALL_STACK_EXHAUSTED,
          "AOT recursion on a 256 KiB thread stack: call stack exhausted, no crash");
    weft_exec_delete(j.x);
  }

  /* a second load of the same .aot: its own copy of the code */
  weft_module *am2 = weft_module_new(rt, aot, alen, &err);
  weft_instance *ai2 = am2 ? weft_instantiate(rt, am2, NULL, &err) : NULL;
  st = ai2 ? call(x, ai2, "load", 1, 20, 0, &r, &err) : WEFT_FAIL;
  CHECK(st == WEFT_OK && r == 0x61202c6fu,
        "a second load of the same .aot runs (0x%x)", r);
  if (ai2) weft_instance_delete(ai2);
  weft_module_delete(am2);

  /* refusals */
  setenv("WEFT_AOT_HAND_FLAGS", "2", 1);
  weft_module *bad = weft_module_new(rt, aot, alen, &err);
  CHECK(!bad && err.kind == WEFT_ERR_MALFORMED && strstr(err.message, "flags"),
        "descriptor flags differing from the header's: refused [%s]", err.message);
  unsetenv("WEFT_AOT_HAND_FLAGS");
  weft_module_delete(bad);
  setenv("WEFT_AOT_HAND_HASH", "1234", 1);
  bad = weft_module_new(rt, aot, alen, &err);
  CHECK(!bad && err.kind == WEFT_ERR_MALFORMED && strstr(err.message, "another wasm module"),
        "descriptor hash differing from the module's: refused [%s]", err.message);
  weft_module_delete(bad);
  setenv("WEFT_AOT_HAND_HASH", hash, 1);
  {
    uint8_t junk[64];
    memset(junk, 0x5a, sizeof junk);
    size_t jl;
    uint8_t *ja = pack(hand, hlen, junk, sizeof junk, 0, &jl);
    bad = ja ? weft_module_new(rt, ja, jl, &err) : NULL;
    CHECK(ja && !bad && err.kind == WEFT_ERR_RESOURCE && strstr(err.message, "cannot load"),
          "a shared object that does not load: refused [%s]", err.message);
    free(ja);
  }
  {
    weft_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.bounds_checks = true;
    weft_runtime *brt = weft_runtime_new(&cfg);
    weft_error e2;
    weft_module *bhm = weft_module_new(brt, helper, plen, &e2);
    weft_instance *bhi = bhm ? weft_instantiate(brt, bhm, NULL, &e2) : NULL;
    bool reg = bhi && weft_register_instance(brt, "helper", bhi, &e2) == WEFT_OK &&
               weft_register_func(brt, "host", "add", ii, 2, i1, 1, host_add, NULL, &e2) ==
                   WEFT_OK &&
               weft_register_func(brt, "host", "fail", NULL, 0, NULL, 0, host_fail, NULL, &e2) ==
                   WEFT_OK &&
               weft_register_natives(brt, "nat", nats, 2, false, &e2) == WEFT_OK;
    CHECK(reg, "the imports in a bounds-checking runtime");
    bad = weft_module_new(brt, aot, alen, &err);
    CHECK(!bad && strstr(err.message, "--bounds-checks=1"),
          "code without bounds checks in a bounds-checking runtime: refused [%s]", err.message);
    /* the module loaded by a guard-page runtime cannot be instantiated in this one */
    weft_instance *bi = weft_instantiate(brt, am, NULL, &err);
    CHECK(!bi && err.kind == WEFT_ERR_LINK && strstr(err.message, "--bounds-checks=1"),
          "…nor instantiated there with bounds-checked memory [%s]", err.message);
    if (bhi) weft_instance_delete(bhi);
    weft_module_delete(bhm);
    weft_runtime_delete(brt);
  }
  {
    /* the same module's wasm alone: still the interpreter */
    weft_module *wm = weft_module_new(rt, hand, hlen, &err);
    CHECK(wm && !((wmodule *)wm)->aot, "the plain .wasm still loads for the interpreter");
    weft_module_delete(wm);
    /* a .aot whose wasm does not validate: the validator's error */
    uint8_t *broken = malloc(hlen);
    memcpy(broken, hand, hlen);
    broken[8] = 0x7f;   /* a section id that does not exist */
    size_t bl;
    uint8_t *ba = pack(broken, hlen, so, solen, 0, &bl);
    weft_error e1, e2;
    weft_module *b1 = weft_module_new(rt, broken, hlen, &e1);
    weft_module *b2 = ba ? weft_module_new(rt, ba, bl, &e2) : NULL;
    CHECK(!b1 && !b2 && e1.kind == e2.kind && !strcmp(e1.message, e2.message),
          "a broken module inside a .aot fails as the .wasm does [%s]", e2.message);
    free(ba);
    free(broken);
  }

  /* WAMR's API: wasm_runtime_load takes the .aot */
  {
    RuntimeInitArgs args;
    memset(&args, 0, sizeof args);
    args.mem_alloc_type = Alloc_With_System_Allocator;
    char eb[256] = "";
    bool up = wasm_runtime_full_init(&args);
    CHECK(up && get_package_type(aot, (uint32_t)alen) == Wasm_Module_AoT,
          "get_package_type: Wasm_Module_AoT");
    wasm_module_t wm = up ? wasm_runtime_load(aot, (uint32_t)alen, eb, sizeof eb) : NULL;
    CHECK(wm != NULL, "wasm_runtime_load loads the .aot (%s)", eb);
    if (wm) wasm_runtime_unload(wm);
    if (up) wasm_runtime_destroy();
  }

  weft_exec_delete(x);
  if (ui) weft_instance_delete(ui);
  weft_module_delete(um);
  weft_instance_delete(ai);
  weft_module_delete(am);
  weft_instance_delete(hi);
  weft_module_delete(hm);
  weft_runtime_delete(rt);
  free(aot);
  free(hand);
  free(helper);
  free(user);
  free(so);
  return check_summary();
}
