/* test_sync.c — the pthread library's mutexes, condition variables and keys (sync.wat),
 * driven from host threads (one weft_exec each, each its own pthread in the instance's
 * cluster): contended exactness, the error-checking mutex's errors, signal vs broadcast,
 * timedwait timeout and wakeup through both import types, stop requests ending blocked
 * lock/wait calls, keys (per-thread values, delete, generations, the limit, bad
 * destructors) and key destructors run by threads made with pthread_create. */
#include <stdio.h>
#include <string.h>
#include "tests.h"

/* Guest addresses in sync.wat's memory. */
enum { A_M = 0x100, A_C = 0x104, A_COUNT = 0x108, A_TOKENS = 0x10c, A_KEY = 0x110,
       A_KEYS = 0x400 };
enum { EPERM_ = 1, EAGAIN_ = 11, EBUSY_ = 16, EINVAL_ = 22, EDEADLK_ = 35, ETIMEDOUT_ = 110 };

/* Opens module `name` with the pthread library registered (wt_open does not register it). */
static bool open_mod(wt_env *e, const char *name) {
  memset(e, 0, sizeof *e);
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wasm", wt_wasm_dir, name);
  FILE *f = fopen(path, "rb");
  static uint8_t buf[1 << 16];
  size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f) fclose(f);
  weft_error err = {0};
  e->rt = weft_runtime_new(NULL);
  bool ok = e->rt && len && weft_pthread_register(e->rt, &err) == WEFT_OK;
  if (ok) e->mod = weft_module_new(e->rt, buf, len, &err);
  if (e->mod) e->inst = weft_instantiate(e->rt, e->mod, NULL, &err);
  if (!e->inst) {
    wt_result("pthread_module_links", false, "%s: %s", path, len ? err.message : "unreadable");
    wt_close(e);
    return false;
  }
  e->mem = weft_memory_data(weft_instance_default_memory(e->inst));
  return true;
}

static void put32(wt_env *e, uint32_t a, uint32_t v) { memcpy(e->mem + a, &v, 4); }
static uint32_t get32(wt_env *e, uint32_t a) {
  uint32_t v;
  memcpy(&v, e->mem + a, 4);
  return v;
}

/* Calls export f on one exec (kept for the whole test, so it is one pthread); returns the
 * i32 result, or -1000 - trap code when the call failed (message in err). */
static int64_t call(weft_exec *x, wt_env *e, const char *f, uint32_t n, const int64_t *a,
                    weft_error *err) {
  weft_func *fn = weft_instance_func(e->inst, f);
  weft_slot s[5] = {{0}}, r = {0};
  for (uint32_t i = 0; i < n; i++) s[i].i64 = (uint64_t)a[i];
  if (weft_call(x, fn, s, n, &r, 1, err) != WEFT_OK) return -1000 - (int64_t)err->trap;
  return (int32_t)r.i32;
}
#define CALL(x, e, f, ...) \
  call(x, e, f, sizeof((int64_t[]){0, __VA_ARGS__}) / 8 - 1, (int64_t[]){0, __VA_ARGS__} + 1, &err)

/* A mutex or cond pointer outside memory traps "out of bounds memory access". */
static void out_of_bounds(wt_env *e) {
  weft_error err;
  weft_exec *x = weft_exec_new(e->rt);
  int64_t oob = CALL(x, e, "lock", 65534);
  bool oob_ok = oob == -1000 - WEFT_TRAP_OOB_MEMORY &&
                strstr(err.message, "out of bounds memory access") != NULL;
  int64_t oob2 = CALL(x, e, "cwait", A_C, 0xfffffffcLL);
  oob_ok = oob_ok && oob2 == -1000 - WEFT_TRAP_OOB_MEMORY;
  wt_result("mutex_out_of_bounds_traps", oob_ok, "lock %lld, cond_wait %lld (%s)",
            (long long)oob, (long long)oob2, err.message);
  weft_exec_delete(x);
}

/* 4 threads x n lock/increment/unlock: the plain counter must come out exact. */
static void contended(wt_env *e) {
  int64_t n = 100000 / wt_div;
  put32(e, A_M, 0);
  put32(e, A_COUNT, 0);
  wt_job jobs[4];
  for (int i = 0; i < 4; i++)
    if (!wt_job_init(&jobs[i], e, "inc", 3, (int64_t[]){A_M, A_COUNT, n})) return;
  double t0 = wt_now();
  bool ok = wt_run(jobs, 4, 120.0);
  char why[256] = "";
  for (int i = 0; i < 4 && ok; i++) {
    ok = wt_job_ok(&jobs[i], why, sizeof why);
    if (ok && jobs[i].res.i32) {
      ok = false;
      snprintf(why, sizeof why, "thread %d: errno %u", i, jobs[i].res.i32 - 1000);
    }
  }
  uint32_t got = get32(e, A_COUNT);
  ok = ok && got == 4 * n && get32(e, A_M) == 0;
  wt_result("mutex_4_threads_count_exact", ok, "%s counter %u of %lld, word 0x%x, %.2f s", why,
            got, (long long)(4 * n), get32(e, A_M), wt_now() - t0);
}

/* EDEADLK, EPERM, EBUSY, EINVAL and a static zero mutex. */
static void errors(wt_env *e) {
  weft_error err;
  weft_exec *x = weft_exec_new(e->rt), *y = weft_exec_new(e->rt);
  put32(e, A_M, 0);   /* a static PTHREAD_MUTEX_INITIALIZER mutex: never _init'ed */
  int64_t l1 = CALL(x, e, "lock", A_M), l2 = CALL(x, e, "lock", A_M);
  int64_t busy = CALL(x, e, "destroy", A_M), other = CALL(y, e, "unlock", A_M);
  int64_t u1 = CALL(x, e, "unlock", A_M), u2 = CALL(x, e, "unlock", A_M);
  int64_t d = CALL(x, e, "destroy", A_M), in = CALL(x, e, "init", A_M);
  wt_result("mutex_static_lock_relock_edeadlk", l1 == 0 && l2 == EDEADLK_,
            "lock %lld, relock %lld", (long long)l1, (long long)l2);
  wt_result("mutex_destroy_locked_ebusy", busy == EBUSY_ && d == 0 && in == 0,
            "locked %lld, unlocked %lld, init %lld", (long long)busy, (long long)d,
            (long long)in);
  wt_result("mutex_unlock_by_non_owner_eperm", other == EPERM_ && u1 == 0 && u2 == EPERM_,
            "other thread %lld, owner %lld, again %lld", (long long)other, (long long)u1,
            (long long)u2);
  int64_t mis = CALL(x, e, "lock", A_M + 1), cmis = CALL(x, e, "signal", A_C + 2);
  wt_result("mutex_misaligned_einval", mis == EINVAL_ && cmis == EINVAL_,
            "lock %lld, signal %lld", (long long)mis, (long long)cmis);
  put32(e, A_C, 0);
  int64_t ce = CALL(x, e, "cwait", A_C, A_M);   /* mutex not held by the caller */
  wt_result("cond_wait_without_mutex_eperm", ce == EPERM_, "%lld", (long long)ce);
  weft_exec_delete(x);
  weft_exec_delete(y);
}

/* Counts the finished jobs, polling for up to ms milliseconds until at least `want` are
 * (want < 0: count once, at once). */
static int settle(wt_job *jobs, int n, int want, int ms) {
  double end = wt_now() + ms / 1000.0;
  for (;;) {
    int done = 0;
    for (int i = 0; i < n; i++) done += atomic_load(&jobs[i].done);
    if (want < 0 || done >= want || wt_now() >= end) return done;
    wt_sleep_ms(5);
  }
}

/* Three waiters on one cond: a signal with one token wakes exactly one; a broadcast with
 * two more wakes the rest. */
static void signal_broadcast(wt_env *e) {
  weft_error err;
  put32(e, A_M, 0);
  put32(e, A_C, 0);
  put32(e, A_TOKENS, 0);
  wt_job jobs[3];
  for (int i = 0; i < 3; i++) {
    if (!wt_job_init(&jobs[i], e, "take", 3, (int64_t[]){A_C, A_M, A_TOKENS})) return;
    wt_start(&jobs[i]);
  }
  wt_sleep_ms(100);
  int before = settle(jobs, 3, -1, 0);
  weft_exec *x = weft_exec_new(e->rt);
  int64_t g1 = CALL(x, e, "give", A_C, A_M, A_TOKENS, 1, 0);
  int after_signal = settle(jobs, 3, 1, 2000);
  wt_sleep_ms(100);
  after_signal = settle(jobs, 3, -1, 0);
  int64_t g2 = CALL(x, e, "give", A_C, A_M, A_TOKENS, 2, 1);
  int after_bc = settle(jobs, 3, 3, 2000);
  bool ok = true;
  for (int i = 0; i < 3; i++) {
    ok &= wt_join(&jobs[i], 5.0);
    ok &= jobs[i].st == WEFT_OK && jobs[i].res.i32 == 0;
  }
  weft_exec_delete(x);
  wt_result("cond_signal_wakes_one", before == 0 && g1 == 0 && after_signal == 1,
            "done before %d, after signal %d", before, after_signal);
  wt_result("cond_broadcast_wakes_all", ok && g2 == 0 && after_bc == 3 &&
            get32(e, A_TOKENS) == 0 && get32(e, A_M) == 0,
            "after broadcast %d, tokens left %u", after_bc, get32(e, A_TOKENS));
}

/* timedwait through the 32-bit and the 64-bit import: ETIMEDOUT after the time with the
 * mutex relocked; 0 when signalled well before a long timeout. */
static void timedwait(wt_env *e, int wide) {
  weft_error err;
  char name[64];
  weft_exec *x = weft_exec_new(e->rt);
  put32(e, A_M, 0);
  put32(e, A_C, 0);
  double t0 = wt_now();
  int64_t r = CALL(x, e, "tw", A_C, A_M, 50000, wide);
  double dt = wt_now() - t0;
  snprintf(name, sizeof name, "cond_timedwait%d_times_out_relocked", wide ? 64 : 32);
  wt_result(name, r == ETIMEDOUT_ && dt >= 0.049 && dt < 2.0,
            "result %lld (want %d, unlock 0), %.1f ms", (long long)r, ETIMEDOUT_, dt * 1e3);

  wt_job j;
  if (!wt_job_init(&j, e, "tw", 4, (int64_t[]){A_C, A_M, 10000000, wide})) return;
  wt_start(&j);
  wt_sleep_ms(50);
  t0 = wt_now();
  int64_t s = CALL(x, e, "give", A_C, A_M, A_TOKENS, 0, 0);
  bool in_time = wt_join(&j, 5.0);
  dt = wt_now() - t0;
  snprintf(name, sizeof name, "cond_timedwait%d_signalled_returns_0", wide ? 64 : 32);
  wt_result(name, s == 0 && in_time && j.st == WEFT_OK && j.res.i32 == 0 && dt < 2.0,
            "result %d, %.1f ms after the signal", (int)j.res.i32, dt * 1e3);
  weft_exec_delete(x);
}

/* A thread blocked in mutex_lock ends with "terminated" on weft_exec_request_stop. */
static void stop_lock(wt_env *e) {
  put32(e, A_M, 0x7ffffff0);   /* held by a thread id nobody has */
  wt_job j;
  if (!wt_job_init(&j, e, "lock", 1, (int64_t[]){A_M})) return;
  wt_start(&j);
  wt_sleep_ms(50);
  bool early = atomic_load(&j.done);
  weft_exec_request_stop(j.exec);
  bool in_time = wt_join(&j, 2.0);
  wt_result("mutex_lock_blocked_stops_on_request",
            !early && in_time && j.st == WEFT_FAIL && j.err.trap == WEFT_TRAP_TERMINATED,
            "%s, trap \"%s\", word 0x%x", early ? "returned early" : "blocked",
            j.err.message, get32(e, A_M));
}

/* A thread blocked in cond_wait ends with "terminated" on weft_exec_request_stop and
 * leaves the mutex unlocked. */
static void stop_cond(wt_env *e) {
  wt_job j;
  if (!wt_job_init(&j, e, "lockwait", 2, (int64_t[]){A_M, A_C})) return;
  wt_start(&j);
  wt_sleep_ms(50);
  bool early = atomic_load(&j.done);
  weft_exec_request_stop(j.exec);
  bool in_time = wt_join(&j, 2.0);
  wt_result("cond_wait_blocked_stops_on_request",
            !early && in_time && j.st == WEFT_FAIL && j.err.trap == WEFT_TRAP_TERMINATED &&
                get32(e, A_M) == 0,
            "%s, trap \"%s\", mutex word 0x%x", early ? "returned early" : "blocked",
            j.err.message, get32(e, A_M));
}

/* Keys on host threads: per-thread values, delete, a new key in the freed slot does not
 * see old values, the PTHREAD_KEYS_MAX limit, and a destructor index not in the table. */
static void keys(wt_env *e) {
  weft_error err;
  weft_exec *x = weft_exec_new(e->rt), *y = weft_exec_new(e->rt);
  int64_t c = CALL(x, e, "key_create", A_KEY, 1);
  uint32_t k = get32(e, A_KEY);
  int64_t sx = CALL(x, e, "setspecific", k, 111), sy = CALL(y, e, "setspecific", k, 222);
  int64_t gx = CALL(x, e, "getspecific", k), gy = CALL(y, e, "getspecific", k);
  wt_result("key_values_per_thread", c == 0 && k != 0 && sx == 0 && sy == 0 && gx == 111 &&
            gy == 222, "create %lld key %u, get %lld/%lld", (long long)c, k, (long long)gx,
            (long long)gy);
  int64_t d = CALL(x, e, "key_delete", k), d2 = CALL(x, e, "key_delete", k);
  int64_t g_old = CALL(x, e, "getspecific", k), s_old = CALL(x, e, "setspecific", k, 5);
  int64_t c2 = CALL(x, e, "key_create", A_KEY, 0);
  uint32_t k2 = get32(e, A_KEY);
  int64_t g_new = CALL(x, e, "getspecific", k2);
  wt_result("key_delete_frees_slot_without_stale_values",
            d == 0 && d2 == EINVAL_ && g_old == 0 && s_old == EINVAL_ && c2 == 0 &&
                (k2 & 127) == (k & 127) && k2 != k && g_new == 0,
            "delete %lld/%lld, old get %lld set %lld, new key %u (old %u) get %lld",
            (long long)d, (long long)d2, (long long)g_old, (long long)s_old, k2, k,
            (long long)g_new);
  int made = 1;   /* k2 is live */
  int64_t r = 0;
  for (; made < 200; made++) {
    r = CALL(x, e, "key_create", A_KEYS + 4 * made, 0);
    if (r) break;
  }
  int64_t after_free = -1;
  if (made == 128 && CALL(x, e, "key_delete", get32(e, A_KEYS + 4 * 5)) == 0)
    after_free = CALL(x, e, "key_create", A_KEYS + 4 * 5, 0);
  wt_result("key_limit_128_then_eagain", made == 128 && r == EAGAIN_ && after_free == 0,
            "%d keys, then %lld; after a delete %lld", made, (long long)r,
            (long long)after_free);
  int64_t bad = CALL(x, e, "key_create", A_KEY, 9999);
  wt_result("key_create_bad_destructor_traps_with_reason",
            bad == -1000 - WEFT_TRAP_HOST && strstr(err.message, "9999") != NULL,
            "%lld: %s", (long long)bad, err.message);
  weft_exec_delete(x);
  weft_exec_delete(y);
}

/* Many uncontended lock/unlock pairs on one exec: reports the rate (no pass threshold on
 * speed here: bench/ compares with native). */
static void uncontended(wt_env *e) {
  weft_error err;
  weft_exec *x = weft_exec_new(e->rt);
  put32(e, A_M, 0);
  int64_t n = 2000000 / wt_div;
  double t0 = wt_now();
  int64_t r = CALL(x, e, "pairs", A_M, n);
  double dt = wt_now() - t0;
  wt_result("mutex_uncontended_pairs", r == 0 && get32(e, A_M) == 0,
            "%lld pairs, %.1f ns per pair", (long long)n, dt * 1e9 / (double)n);
  weft_exec_delete(x);
}

/* Key destructors at thread exit (sync_keys.wat): a returning thread's non-NULL values
 * get their destructor once, with the value already NULL; a destructor that sets its value
 * again is called PTHREAD_DESTRUCTOR_ITERATIONS (4) times; pthread_exit runs them too; a
 * key deleted before the thread ends runs none. */
static void destructors(wt_env *e) {
  weft_error err;
  weft_exec *x = weft_exec_new(e->rt);
  int64_t mk = CALL(x, e, "make_keys");
  int64_t r = CALL(x, e, "run", 1, 7);
  uint32_t calls = get32(e, 0x200), sum = get32(e, 0x204), again = get32(e, 0x208),
           saw = get32(e, 0x20c);
  wt_result("key_destructor_runs_at_thread_return",
            mk == 0 && r == 7 && calls == 1 && sum == 7 && saw == 0,
            "keys %lld, join %lld, %u call(s) with sum %u, %u saw their value", (long long)mk,
            (long long)r, calls, sum, saw);
  wt_result("key_destructor_rounds_stop_at_4", again == 4, "%u rounds", again);
  int64_t rx = CALL(x, e, "run", 4, 20);
  wt_result("key_destructor_runs_at_pthread_exit",
            rx == 21 && get32(e, 0x200) == 2 && get32(e, 0x204) == 27,
            "join %lld, %u calls, sum %u", (long long)rx, get32(e, 0x200), get32(e, 0x204));
  int64_t rd = CALL(x, e, "run", 5, 99);
  wt_result("key_deleted_before_exit_runs_no_destructor",
            rd == 0 && get32(e, 0x200) == 2 && get32(e, 0x204) == 27,
            "join %lld, %u calls", (long long)rd, get32(e, 0x200));
  weft_exec_delete(x);
}

/* A name registered under two types (timedwait's 32- and 64-bit forms) still refuses an
 * import of a third type. */
static void link_third_type(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/sync_badtype.wasm", wt_wasm_dir);
  FILE *f = fopen(path, "rb");
  uint8_t buf[4096];
  size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f) fclose(f);
  weft_error err = {0};
  weft_runtime *rt = weft_runtime_new(NULL);
  weft_module *m = NULL;
  weft_instance *in = NULL;
  if (rt && len && weft_pthread_register(rt, &err) == WEFT_OK &&
      (m = weft_module_new(rt, buf, len, &err)) != NULL)
    in = weft_instantiate(rt, m, NULL, &err);
  wt_result("timedwait_third_import_type_unlinkable",
            m && !in && err.kind == WEFT_ERR_LINK &&
                strstr(err.message, "incompatible import type") != NULL,
            "%s", in ? "linked" : err.message);
  if (in) weft_instance_delete(in);
  if (m) weft_module_delete(m);
  if (rt) weft_runtime_delete(rt);
}

static void timedwait32(wt_env *e) { timedwait(e, 0); }
static void timedwait64(wt_env *e) { timedwait(e, 1); }

/* A trap in any thread ends the program (the cluster), so every part runs in a fresh
 * instance. */
void test_sync(void) {
  static const struct { void (*run)(wt_env *); const char *module; } parts[] = {
      {contended, "sync"},  {errors, "sync"},      {out_of_bounds, "sync"},
      {signal_broadcast, "sync"}, {timedwait32, "sync"}, {timedwait64, "sync"},
      {stop_lock, "sync"},  {stop_cond, "sync"},   {keys, "sync"},
      {uncontended, "sync"}, {destructors, "sync_keys"}};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    wt_env e;
    if (!open_mod(&e, parts[i].module)) return;
    parts[i].run(&e);
    wt_close(&e);
  }
  link_third_type();
}
