/* embed_test.c — weft-embed-test: the WAMR-compatible API (wasm_export.h) on embed.wat:
 * two instances of one module, natives with every signature letter, out-of-bounds
 * arguments trapping before the native runs, traps and exceptions, module_malloc/free (app
 * heap and the module's own malloc), call_wasm / call_wasm_a, execute_main / execute_func,
 * terminate from another thread, exit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasm_export.h>
#include <weft.h>   /* only for weft_exec_exit in a native (a wasm_exec_env_t is a weft_exec *) */
#include "check.h"
#include "load.h"

static struct {
  int calls;
  int32_t i;
  int64_t I;
  float f;
  double F;
  void *p;
  uint32_t len;
  const char *s;
  uintptr_t r;
} seen;
static wasm_module_inst_t expect_inst;
static void *expect_user;
static char info_attachment[] = "attached";

static int64_t n_all(wasm_exec_env_t env, int32_t i, int64_t I, float f, double F, void *p,
                     uint32_t len, const char *s) {
  (void)env;
  seen.calls++;
  seen.i = i, seen.I = I, seen.f = f, seen.F = F, seen.p = p, seen.len = len, seen.s = s;
  return I + i;
}
static int32_t n_ref(wasm_exec_env_t env, uintptr_t r) {
  (void)env;
  seen.calls++;
  seen.r = r;
  return (int32_t)(r * 2);
}
static void n_raw(wasm_exec_env_t env, uint64_t *args) {
  (void)env;
  native_raw_return_type(int32_t, args);
  native_raw_get_arg(uint8_t *, p, args);
  native_raw_get_arg(uint32_t, len, args);
  native_raw_get_arg(int32_t, k, args);
  seen.calls++;
  seen.p = p, seen.len = len;
  native_raw_set_return(len ? p[0] + k : k);
}
static void n_exc(wasm_exec_env_t env, int32_t code) {
  seen.calls++;
  char msg[64];
  snprintf(msg, sizeof msg, "custom failure %d", code);
  wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), msg);
}
static int32_t n_info(wasm_exec_env_t env) {
  return (wasm_runtime_get_module_inst(env) == expect_inst) |
         (wasm_runtime_get_function_attachment(env) == info_attachment) << 1 |
         (wasm_runtime_get_user_data(env) == expect_user) << 2;
}
static void n_exit(wasm_exec_env_t env, int32_t code) { weft_exec_exit((weft_exec *)env, code); }

/* Calls with uint32 cells; returns the call's success. */
static bool callc(wasm_exec_env_t env, wasm_module_inst_t inst, const char *name, uint32_t argc,
                  uint32_t *argv) {
  wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
  return f && wasm_runtime_call_wasm(env, f, argc, argv);
}

static const char *exc(wasm_module_inst_t inst) {
  const char *e = wasm_runtime_get_exception(inst);
  return e ? e : "(none)";
}

static void test_calls(wasm_exec_env_t env, wasm_module_inst_t a) {
  uint32_t c[8] = {7, (uint32_t)-2};
  bool ok = callc(env, a, "div", 2, c);
  CHECK(ok && (int32_t)c[0] == -3, "call_wasm div(7, -2) = %d",
        (int32_t)c[0]);
  int64_t x = -5, y = INT64_C(1) << 40;
  memcpy(&c[0], &x, 8);
  memcpy(&c[2], &y, 8);
  int64_t sum = 0;
  ok = callc(env, a, "add64", 4, c);
  memcpy(&sum, c, 8);
  CHECK(ok && sum == y - 5, "call_wasm add64: i64 arguments in two cells each");
  float f = 1.5f;
  double d = -4.0, r = 0;
  memcpy(&c[0], &f, 4);
  memcpy(&c[1], &d, 8);
  ok = callc(env, a, "mulf", 3, c);
  memcpy(&r, c, 8);
  CHECK(ok && r == -6.0, "call_wasm mulf(f32 1.5, f64 -4) = %g", r);
  c[0] = 3;
  ok = callc(env, a, "multi", 1, c);
  int64_t m1;
  double m2;
  memcpy(&m1, &c[1], 8);
  memcpy(&m2, &c[3], 8);
  CHECK(ok && c[0] == 4 && m1 == INT64_C(3) << 40 && m2 == 1.5,
        "call_wasm multi: results i32, i64, f64 written back as 5 cells");
  ok = callc(env, a, "add64", 3, c);
  CHECK(!ok && strstr(exc(a), "invalid argument count"),
        "call_wasm with too few cells fails: %s", exc(a));

  wasm_val_t args[2] = {{.kind = WASM_F32, .of.f32 = 2.5f}, {.kind = WASM_F64, .of.f64 = 3.0}};
  wasm_val_t res[3];
  wasm_function_inst_t mulf = wasm_runtime_lookup_function(a, "mulf");
  ok = wasm_runtime_call_wasm_a(env, mulf, 1, res, 2, args);
  CHECK(ok && res[0].kind == WASM_F64 &&
            res[0].of.f64 == 7.5,
        "call_wasm_a mulf(2.5, 3.0) = %g", res[0].of.f64);
  wasm_val_t one = {.kind = WASM_I32, .of.i32 = -2};
  wasm_function_inst_t multi = wasm_runtime_lookup_function(a, "multi");
  CHECK(wasm_runtime_call_wasm_a(env, multi, 3, res, 1, &one) && res[0].of.i32 == -1 &&
            res[1].kind == WASM_I64 && res[1].of.i64 == -(INT64_C(2) << 40) &&
            res[2].of.f64 == -1.0,
        "call_wasm_a multi: three typed results");
  wasm_val_t wrong = {.kind = WASM_I64, .of.i64 = 1};
  ok = wasm_runtime_call_wasm_a(env, multi, 3, res, 1, &wrong);
  CHECK(!ok,
        "call_wasm_a with a wrong argument kind fails: %s", exc(a));
  wasm_valkind_t kinds[3];
  wasm_func_get_result_types(multi, a, kinds);
  CHECK(wasm_func_get_param_count(multi, a) == 1 && wasm_func_get_result_count(multi, a) == 3 &&
            kinds[0] == WASM_I32 && kinds[1] == WASM_I64 && kinds[2] == WASM_F64,
        "wasm_func_get_* describe multi (i32) -> (i32 i64 f64)");

  c[0] = 1, c[1] = 0;
  ok = callc(env, a, "div", 2, c);
  CHECK(!ok &&
            strcmp(exc(a), "Exception: integer divide by zero") == 0,
        "a trap reaches the embedder: \"%s\"", exc(a));
  wasm_runtime_clear_exception(a);
  CHECK(wasm_runtime_get_exception(a) == NULL, "clear_exception: no exception");
  wasm_runtime_set_exception(a, "by hand");
  CHECK(strcmp(exc(a), "Exception: by hand") == 0, "set_exception: \"%s\"", exc(a));
  c[0] = 8, c[1] = 2;
  CHECK(callc(env, a, "div", 2, c) && wasm_runtime_get_exception(a) == NULL,
        "a successful call clears the old exception");
}

static void test_natives(wasm_exec_env_t env, wasm_module_inst_t a, wasm_module_inst_t b,
                         wasm_exec_env_t env_b, wasm_module_inst_t nohp) {
  uint32_t c[10];
  float f = -2.5f;
  double d = 1e-300;
  int64_t I = -(INT64_C(1) << 50), r;
  c[0] = (uint32_t)-9;
  memcpy(&c[1], &I, 8);
  memcpy(&c[3], &f, 4);
  memcpy(&c[4], &d, 8);
  c[6] = 20, c[7] = 4, c[8] = 16;
  bool ok = callc(env, a, "all", 9, c);
  memcpy(&r, c, 8);
  CHECK(ok && r == I - 9, "native (iIfF*~$)I returns %lld", (long long)r);
  CHECK(seen.i == -9 && seen.I == I && seen.f == -2.5f && seen.F == 1e-300,
        "native: i, I, f, F values arrive");
  CHECK(seen.p == wasm_runtime_addr_app_to_native(a, 20) && seen.len == 4 &&
            seen.s == wasm_runtime_addr_app_to_native(a, 16) && strcmp(seen.s, "hello") == 0,
        "native: * and $ converted into instance A's memory, ~ = 4");
  c[0] = 1, c[1] = 0, c[2] = 0, c[3] = 0, c[4] = 0, c[5] = 0, c[6] = 20, c[7] = 4, c[8] = 16;
  ok = callc(env_b, b, "all", 9, c);
  CHECK(ok && seen.p == wasm_runtime_addr_app_to_native(b, 20) &&
            seen.p != wasm_runtime_addr_app_to_native(a, 20),
        "native called from instance B gets B's memory");

  wasm_function_inst_t ref = wasm_runtime_lookup_function(a, "ref");
  wasm_val_t arg = {.kind = WASM_EXTERNREF, .of.foreign = 21}, res;
  CHECK(wasm_runtime_call_wasm_a(env, ref, 1, &res, 1, &arg) && res.of.i32 == 42 && seen.r == 21,
        "native (r)i: externref as uintptr_t");

  c[0] = 16, c[1] = 5, c[2] = 100;
  CHECK(callc(env, a, "raw", 3, c) && c[0] == 'h' + 100u &&
            seen.p == wasm_runtime_addr_app_to_native(a, 16) && seen.len == 5,
        "raw native (*~i)i with native_raw_* macros");

  /* out-of-bounds arguments: the call fails before the native runs (on the instance without
   * an app heap: its memory is exactly one page, 65536 bytes) */
  wasm_exec_env_t envn = wasm_runtime_get_exec_env_singleton(nohp);
  struct {
    const char *fn;
    uint32_t argc, p, len, s;
    const char *what;
  } bad[] = {
      {"all", 9, 65530, 10, 16, "*~ running past the end"},
      {"all", 9, 65536, 1, 16, "* at the end"},
      {"all", 9, 20, 0xFFFFFFF0u, 16, "~ length near 4 GiB"},
      {"all", 9, 20, 4, 65532, "$ without a NUL"},
      {"all", 9, 20, 4, 0x10000000, "$ far outside"},
      {"raw", 3, 65535, 2, 0, "raw *~ past the end"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    memset(c, 0, sizeof c);
    if (bad[k].argc == 9) c[6] = bad[k].p, c[7] = bad[k].len, c[8] = bad[k].s;
    else c[0] = bad[k].p, c[1] = bad[k].len;
    int before = seen.calls;
    ok = callc(envn, nohp, bad[k].fn, bad[k].argc, c);
    CHECK(!ok && seen.calls == before &&
              strcmp(exc(nohp), "Exception: out of bounds memory access") == 0,
          "%s: \"%s\", native not run", bad[k].what, exc(nohp));
  }

  c[0] = 5;
  int before = seen.calls;
  ok = callc(env, a, "exc", 1, c);
  CHECK(!ok && seen.calls == before + 1 &&
            strcmp(exc(a), "Exception: custom failure 5") == 0,
        "set_exception inside a native makes the call fail: \"%s\"", exc(a));

  expect_inst = a;
  expect_user = &seen;
  wasm_runtime_set_user_data(env, &seen);
  ok = callc(env, a, "info", 0, c);
  CHECK(ok && c[0] == 7,
        "inside a native: get_module_inst, get_function_attachment, get_user_data (%u/7)", c[0]);
  expect_inst = b;
  expect_user = NULL;
  ok = callc(env_b, b, "info", 0, c);
  CHECK(ok && c[0] == 7,
        "the same native from instance B sees B (%u/7)", c[0]);
  CHECK(wasm_runtime_get_module_inst(env) == a && wasm_runtime_get_user_data(env) == &seen,
        "outside natives: the exec env's own instance and user data");

  c[0] = 3;
  ok = callc(env, a, "quit", 1, c);
  CHECK(!ok && strcmp(exc(a), "Exception: env.exit(3)") == 0 &&
            wasm_runtime_get_wasi_exit_code(a) == 3,
        "exit(3) in a native: \"%s\", exit code %u", exc(a), wasm_runtime_get_wasi_exit_code(a));
}

static void test_memory(wasm_exec_env_t env, wasm_module_inst_t a, wasm_module_inst_t nohp) {
  void *p = NULL;
  uint64_t off = wasm_runtime_module_malloc(a, 100, &p);
  CHECK(off && p && p == wasm_runtime_addr_app_to_native(a, off) &&
            wasm_runtime_addr_native_to_app(a, p) == off && wasm_runtime_validate_app_addr(a, off, 100),
        "module_malloc(100) on the app heap: offset %llu, native pointer converts both ways",
        (unsigned long long)off);
  uint64_t dup = wasm_runtime_module_dup_data(a, "xyz", 4);
  uint32_t c[2] = {(uint32_t)dup + 1};
  CHECK(dup && callc(env, a, "peek", 1, c) && c[0] == 'y', "module_dup_data: wasm reads the copy");
  wasm_runtime_module_free(a, off);
  wasm_runtime_module_free(a, dup);
  void *q = NULL;
  uint64_t again = wasm_runtime_module_malloc(a, 100, &q);
  CHECK(again != 0, "module_malloc after module_free");
  wasm_runtime_module_free(a, again);
  uint64_t huge = wasm_runtime_module_malloc(a, 1u << 30, NULL);
  CHECK(huge == 0 &&
            strcmp(exc(a), "Exception: allocate memory failed") == 0,
        "module_malloc(1 GiB) fails: %s", exc(a));
  wasm_runtime_clear_exception(a);

  wasm_exec_env_t envn = wasm_runtime_get_exec_env_singleton(nohp);
  uint64_t m = wasm_runtime_module_malloc(nohp, 10, &p);
  CHECK(m == 4096 && p == wasm_runtime_addr_app_to_native(nohp, 4096),
        "no app heap: module_malloc calls the module's malloc (offset %llu)", (unsigned long long)m);
  wasm_runtime_module_free(nohp, m);
  uint32_t fc[1];
  CHECK(callc(envn, nohp, "frees", 0, fc) && fc[0] == 1, "module_free calls the module's free");

  /* one-page memory of the instance without an app heap */
  CHECK(wasm_runtime_validate_app_addr(nohp, 65535, 1), "validate_app_addr(65535, 1)");
  bool bad = wasm_runtime_validate_app_addr(nohp, 65535, 2);
  CHECK(!bad &&
            strcmp(exc(nohp), "Exception: out of bounds memory access") == 0,
        "validate_app_addr(65535, 2) fails and sets the exception");
  CHECK(wasm_runtime_validate_app_str_addr(nohp, 16) && !wasm_runtime_validate_app_str_addr(nohp, 65532),
        "validate_app_str_addr: \"hello\" yes, unterminated tail no");
  uint8_t *base = wasm_runtime_addr_app_to_native(nohp, 0);
  CHECK(wasm_runtime_validate_native_addr(nohp, base + 65000, 536) &&
            !wasm_runtime_validate_native_addr(nohp, base + 65000, 537) &&
            !wasm_runtime_validate_native_addr(nohp, base - 1, 1),
        "validate_native_addr: inside yes, past the end or before the base no");
  CHECK(wasm_runtime_addr_app_to_native(nohp, 65537) == NULL &&
            wasm_runtime_addr_native_to_app(nohp, base - 1) == 0,
        "conversions outside memory give NULL / 0");
  wasm_runtime_clear_exception(a);
}

static void test_main(wasm_module_inst_t a) {
  char *argv[] = {"prog.wasm", "ab", "cde", NULL};
  char *copy[4];
  memcpy(copy, argv, sizeof copy);
  bool ok = wasm_application_execute_main(a, 3, copy);
  int ret;
  memcpy(&ret, copy, sizeof ret);
  CHECK(ok && ret == 3014,
        "execute_main(3, {prog.wasm, ab, cde}) stores 3*1000 + 14 in *(int *)argv (%d)", ret);
  printf("# execute_func prints:\n");
  char *fargs[] = {"0x10", "-3"};
  CHECK(wasm_application_execute_func(a, "div", 2, fargs), "execute_func div 0x10 -3");
  char *margs[] = {"4"};
  CHECK(wasm_application_execute_func(a, "multi", 1, margs), "execute_func multi 4");
  char *bad[] = {"12x", "1"};
  ok = wasm_application_execute_func(a, "div", 2, bad);
  CHECK(!ok &&
            strstr(exc(a), "invalid input argument 0"),
        "execute_func rejects \"12x\": %s", exc(a));
  ok = wasm_application_execute_func(a, "nope", 0, NULL);
  CHECK(!ok &&
            strstr(exc(a), "lookup function nope failed"),
        "execute_func on a missing export: %s", exc(a));
}

static void *spin_thread(void *arg) {
  wasm_module_inst_t inst = arg;
  wasm_runtime_init_thread_env();
  wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 65536);
  uint32_t c[1] = {0x7FFFFFFF};
  bool ok = callc(env, inst, "spin", 1, c);
  wasm_runtime_destroy_exec_env(env);
  wasm_runtime_destroy_thread_env();
  return (void *)(intptr_t)ok;
}

static void test_terminate(wasm_module_inst_t a) {
  pthread_t t;
  pthread_create(&t, NULL, spin_thread, a);
  struct timespec ts = {0, 50 * 1000 * 1000};
  nanosleep(&ts, NULL);
  wasm_runtime_terminate(a);
  void *ret;
  pthread_join(t, &ret);
  CHECK(!ret && strcmp(exc(a), "Exception: terminated") == 0,
        "wasm_runtime_terminate stops a call running on another thread: \"%s\"", exc(a));
}

int main(void) {
  size_t len;
  uint8_t *bytes = load_file(WASM_DIR "/embed.wasm", &len);
  if (!bytes) return 1;
  static NativeSymbol init_natives[] = {
      {"n_all", (void *)n_all, "(iIfF*~$)I", NULL},
      {"n_ref", (void *)n_ref, "(r)i", NULL},
  };
  RuntimeInitArgs init;
  memset(&init, 0, sizeof init);
  init.mem_alloc_type = Alloc_With_System_Allocator;
  init.native_module_name = "env";
  init.native_symbols = init_natives;
  init.n_native_symbols = 2;
  init.max_thread_num = 8;
  CHECK(wasm_runtime_full_init(&init), "wasm_runtime_full_init with 2 natives");
  wasm_runtime_set_log_level(WASM_LOG_LEVEL_ERROR);
  NativeSymbol more[] = {
      EXPORT_WASM_API_WITH_SIG(n_exc, "(i)"),
      EXPORT_WASM_API_WITH_ATT(n_info, "()i", info_attachment),
      EXPORT_WASM_API_WITH_SIG(n_exit, "(i)"),
  };
  NativeSymbol raw[] = {EXPORT_WASM_API_WITH_SIG(n_raw, "(*~i)i")};
  NativeSymbol unsigned_sym[] = {EXPORT_WASM_API(n_ref)};
  CHECK(wasm_runtime_register_natives("env", more, 3), "register_natives (3)");
  CHECK(wasm_runtime_register_natives_raw("env", raw, 1), "register_natives_raw (1)");
  CHECK(!wasm_runtime_register_natives("env", unsigned_sym, 1),
        "a native without a signature is refused");
  wasm_runtime_set_max_thread_num(6);

  char ebuf[128] = "";
  uint8_t junk[8] = {0, 'a', 's', 'm', 2, 0, 0, 0};
  CHECK(!wasm_runtime_load(junk, 8, ebuf, sizeof ebuf) && ebuf[0],
        "load of a bad binary fails: \"%s\"", ebuf);
  CHECK(get_package_type(bytes, (uint32_t)len) == Wasm_Module_Bytecode &&
            get_package_type(junk, 8) == Package_Type_Unknown,
        "get_package_type");
  wasm_module_t mod = wasm_runtime_load(bytes, (uint32_t)len, ebuf, sizeof ebuf);
  memset(bytes, 0, len);   /* weft keeps its own copy */
  wasm_module_inst_t a = mod ? wasm_runtime_instantiate(mod, 8192, 65536, ebuf, sizeof ebuf) : NULL;
  wasm_module_inst_t b = mod ? wasm_runtime_instantiate(mod, 8192, 65536, ebuf, sizeof ebuf) : NULL;
  wasm_module_inst_t nohp = mod ? wasm_runtime_instantiate(mod, 8192, 0, ebuf, sizeof ebuf) : NULL;
  if (!CHECK(a && b && nohp, "load and instantiate 3 times (%s)", ebuf)) return check_summary();
  CHECK(wasm_runtime_get_module(a) == mod, "get_module");
  wasm_exec_env_t env = wasm_runtime_create_exec_env(a, 65536);
  wasm_exec_env_t env_b = wasm_runtime_create_exec_env(b, 65536);
  CHECK(env && env_b && wasm_runtime_get_module_inst(env) == a, "create_exec_env");
  CHECK(wasm_runtime_get_exec_env_singleton(a) == wasm_runtime_get_exec_env_singleton(a) &&
            wasm_runtime_get_module_inst(wasm_runtime_get_exec_env_singleton(a)) == a,
        "the singleton exec env is stable and bound to its instance");
  wasm_runtime_set_custom_data(a, ebuf);
  CHECK(wasm_runtime_get_custom_data(a) == ebuf && wasm_runtime_get_custom_data(b) == NULL,
        "custom data per instance");

  uint32_t c[2] = {100, 77};
  CHECK(callc(env, a, "poke", 2, c), "poke A[100] = 77");
  c[0] = 100;
  bool ok = callc(env_b, b, "peek", 1, c);
  CHECK(ok && c[0] == 0, "B's memory is its own (B[100] = %u)", c[0]);

  test_calls(env, a);
  test_natives(env, a, b, env_b, nohp);
  test_memory(env, a, nohp);
  test_main(a);
  test_terminate(a);

  void *blk = wasm_runtime_malloc(64);
  blk = wasm_runtime_realloc(blk, 128);
  CHECK(blk != NULL, "wasm_runtime_malloc / realloc");
  wasm_runtime_free(blk);

  wasm_runtime_destroy_exec_env(env);
  wasm_runtime_destroy_exec_env(env_b);
  wasm_runtime_deinstantiate(a);
  wasm_runtime_deinstantiate(b);
  wasm_runtime_deinstantiate(nohp);
  wasm_runtime_unload(mod);
  wasm_runtime_destroy();
  free(bytes);
  return check_summary();
}
