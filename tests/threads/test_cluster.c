/* test_cluster.c — the thread manager (cluster.wat through weft.h): create/join values and
 * slices, the thread limit and recovery, pthread_self, detach and join errors, pthread_exit,
 * cancel, exit and trap in a child ending the program, main returning while threads run,
 * bad start routines, aux stack overflow in a slice, and flat memory over many cycles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests.h"

enum { ESRCH_ = 3, EAGAIN_ = 11, EINVAL_ = 22, EDEADLK_ = 35 };
/* cluster.wat's start routines (table 0 indexes) and addresses. */
enum { R_DOUBLE = 1, R_SPIN, R_EXIT, R_TRAP, R_PEXIT, R_SELF, R_RECURSE, R_WAIT, R_BADTYPE };
enum { A_VALUE = 0x14, A_GO = 0x100, A_SPS = 0x200 };
/* The aux stack is [1024, 65536): 5 slices of 12896 bytes with the default limit of 4. */
enum { AUX_LO = 1024, AUX_HI = 65536 };

typedef struct {
  weft_runtime *rt;
  weft_module *mod;
  weft_instance *inst;
  weft_exec *x;                  /* the main thread's exec */
  uint8_t *mem;
} cl_env;

/* Loads cluster.wasm with libc-builtin and the pthread library, limit max_threads (0 =
 * default); on failure records a failed test `test`. */
static bool cl_open_mod(cl_env *e, const char *mod, uint32_t max_threads, const char *test) {
  memset(e, 0, sizeof *e);
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wasm", wt_wasm_dir, mod);
  size_t len = 0;
  uint8_t *buf = wt_read_module(mod, false, &len);
  weft_config cfg = {.max_threads = max_threads};
  weft_error err = {0};
  e->rt = weft_runtime_new(&cfg);
  bool ok = e->rt && len && weft_libc_builtin_register(e->rt, &err) == WEFT_OK &&
            weft_pthread_register(e->rt, &err) == WEFT_OK;
  if (ok) e->mod = weft_module_new(e->rt, buf, len, &err);
  if (e->mod) e->inst = weft_instantiate(e->rt, e->mod, NULL, &err);
  free(buf);
  if (e->inst) e->x = weft_exec_new(e->rt);
  if (!e->x) {
    wt_result(test, false, "%s: %s", path, len ? err.message : "unreadable");
    return false;
  }
  e->mem = weft_memory_data(weft_instance_default_memory(e->inst));
  return true;
}

static bool cl_open(cl_env *e, uint32_t max_threads, const char *test) {
  return cl_open_mod(e, "cluster", max_threads, test);
}

static void cl_close(cl_env *e) {
  if (e->inst) weft_instance_delete(e->inst);
  if (e->x) weft_exec_delete(e->x);
  if (e->mod) weft_module_delete(e->mod);
  if (e->rt) weft_runtime_delete(e->rt);
}

static uint32_t get32(cl_env *e, uint32_t a) {
  uint32_t v;
  memcpy(&v, e->mem + a, 4);
  return v;
}
static void put32(cl_env *e, uint32_t a, uint32_t v) {
  __atomic_store_n((uint32_t *)(void *)(e->mem + a), v, __ATOMIC_SEQ_CST);
}

/* Calls export f on the main exec: its i32 result, or -1000 - trap (err has the error). */
static int64_t cl_call(cl_env *e, const char *f, uint32_t n, const int64_t *a, weft_error *err) {
  weft_func *fn = weft_instance_func(e->inst, f);
  weft_slot s[4] = {{0}}, r = {0};
  for (uint32_t i = 0; i < n; i++) s[i].i64 = (uint64_t)a[i];
  uint32_t nr = weft_func_result_count(fn);
  if (weft_call(e->x, fn, s, n, &r, nr, err) != WEFT_OK) return -1000 - (int64_t)err->trap;
  return nr ? (int32_t)r.i32 : 0;
}
#define CALL(e, f, ...) \
  cl_call(e, f, sizeof((int64_t[]){__VA_ARGS__}) / 8, (int64_t[]){__VA_ARGS__}, &err)
#define CALL0(e, f) cl_call(e, f, 0, NULL, &err)

/* Create/join returns the routine's value; each thread runs in its own child slice. */
static void create_join_values(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_create_join_values")) return;
  weft_error err;
  int64_t ids[3], rc[3];
  for (int i = 0; i < 3; i++) ids[i] = CALL(&e, "spawn", R_DOUBLE, 5 + i);
  bool ok = true;
  uint32_t vals[3], sps[3];
  for (int i = 0; i < 3; i++) {
    rc[i] = CALL(&e, "join", ids[i]);
    vals[i] = get32(&e, A_VALUE);
    sps[i] = get32(&e, A_SPS + 4 * (5 + i));
    ok &= ids[i] > 0 && rc[i] == 0 && vals[i] == (uint32_t)(2 * (5 + i));
    /* a child slice top: above the data, below the main thread's (top) slice */
    uint32_t slice = ((AUX_HI - AUX_LO) / 5) & ~15u;
    ok &= sps[i] > AUX_LO && sps[i] <= AUX_LO + 4 * slice && (sps[i] - AUX_LO) % slice == 0;
  }
  int64_t main_sp = CALL0(&e, "sp");
  wt_result("cluster_create_join_values", ok && main_sp == AUX_HI,
            "ids %lld %lld %lld, join %lld %lld %lld, values %u %u %u, sps 0x%x 0x%x 0x%x",
            (long long)ids[0], (long long)ids[1], (long long)ids[2], (long long)rc[0],
            (long long)rc[1], (long long)rc[2], vals[0], vals[1], vals[2], sps[0], sps[1], sps[2]);
  cl_close(&e);
}

/* N threads alive: the next create fails with EAGAIN, the others keep running, and after
 * they are joined creation works again. */
static void limit(uint32_t n, const char *name) {
  cl_env e;
  if (!cl_open(&e, n == 4 ? 0 : n, name)) return;
  weft_error err;
  int64_t ids[64];
  bool ok = true;
  for (uint32_t i = 0; i < n; i++) ok &= (ids[i] = CALL(&e, "spawn", R_SPIN, 0)) > 0;
  int64_t over = CALL(&e, "spawn", R_SPIN, 0);
  put32(&e, A_GO, 1);
  uint32_t joined = 0;
  for (uint32_t i = 0; i < n; i++)
    joined += CALL(&e, "join", ids[i]) == 0 && get32(&e, A_VALUE) == 7;
  int64_t again = CALL(&e, "spawn", R_DOUBLE, 1);
  int64_t rj = again > 0 ? CALL(&e, "join", again) : -1;
  wt_result(name, ok && over == -EAGAIN_ && joined == n && again > 0 && rj == 0,
            "%u created, next %lld (want -%d), %u joined with 7, then create %lld join %lld",
            n, (long long)over, EAGAIN_, joined, (long long)again, (long long)rj);
  cl_close(&e);
}

/* pthread_self: stable, distinct per thread, equal to __pthread_self and to the id
 * pthread_create returned. */
static void self_distinct(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_self_distinct")) return;
  weft_error err;
  int64_t m1 = CALL0(&e, "self"), m2 = CALL0(&e, "self");
  int64_t a = CALL(&e, "spawn", R_SELF, 0);
  CALL(&e, "join", a);
  uint32_t va = get32(&e, A_VALUE);
  int64_t b = CALL(&e, "spawn", R_SELF, 0);
  CALL(&e, "join", b);
  uint32_t vb = get32(&e, A_VALUE);
  bool ok = m1 > 0 && m1 == m2 && va == a && vb == b && va != vb && va != m1 && vb != m1;
  wt_result("cluster_self_distinct", ok, "main %lld/%lld, children %u (id %lld), %u (id %lld)",
            (long long)m1, (long long)m2, va, (long long)a, vb, (long long)b);
  cl_close(&e);
}

/* POSIX errors: detach twice, join a detached, unknown or own thread. */
static void join_errors(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_detach_join_errors")) return;
  weft_error err;
  int64_t t = CALL(&e, "spawn", R_SPIN, 0);
  int64_t d1 = CALL(&e, "detach", t), d2 = CALL(&e, "detach", t), j = CALL(&e, "join", t);
  int64_t unknown = CALL(&e, "join", 9999), dunknown = CALL(&e, "detach", 9999);
  int64_t self = CALL(&e, "join", CALL0(&e, "self"));
  int64_t cunknown = CALL(&e, "cancel", 9999);
  put32(&e, A_GO, 1);
  /* the detached thread ends and is reaped by a later create */
  int64_t t2 = CALL(&e, "spawn", R_DOUBLE, 2), j2 = CALL(&e, "join_null", t2);
  bool ok = t > 0 && d1 == 0 && d2 == EINVAL_ && j == EINVAL_ && unknown == ESRCH_ &&
            dunknown == ESRCH_ && self == EDEADLK_ && cunknown == ESRCH_ && t2 > 0 && j2 == 0;
  wt_result("cluster_detach_join_errors", ok,
            "detach %lld then %lld, join detached %lld, unknown %lld/%lld, self %lld, "
            "cancel unknown %lld, later create+join %lld", (long long)d1, (long long)d2,
            (long long)j, (long long)unknown, (long long)dunknown, (long long)self,
            (long long)cunknown, (long long)j2);
  cl_close(&e);
}

/* pthread_exit's value reaches join; cancel of a spinning and of a waiting thread gives
 * PTHREAD_CANCELED. */
static void exit_and_cancel(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_pthread_exit_value")) return;
  weft_error err;
  int64_t t = CALL(&e, "spawn", R_PEXIT, 41), j = CALL(&e, "join", t);
  uint32_t v = get32(&e, A_VALUE);
  wt_result("cluster_pthread_exit_value", j == 0 && v == 42, "join %lld value %u (want 42)",
            (long long)j, v);
  int64_t s = CALL(&e, "spawn", R_SPIN, 0);
  wt_sleep_ms(20);
  int64_t c = CALL(&e, "cancel", s), js = CALL(&e, "join", s);
  uint32_t vs = get32(&e, A_VALUE);
  int64_t w = CALL(&e, "spawn", R_WAIT, 0);
  wt_sleep_ms(20);
  int64_t cw = CALL(&e, "cancel", w), jw = CALL(&e, "join", w);
  uint32_t vw = get32(&e, A_VALUE);
  wt_result("cluster_cancel_spinning_and_waiting",
            c == 0 && js == 0 && vs == 0xFFFFFFFFu && cw == 0 && jw == 0 && vw == 0xFFFFFFFFu,
            "spinning: cancel %lld join %lld value 0x%x; waiting: cancel %lld join %lld value "
            "0x%x (want 0xffffffff)", (long long)c, (long long)js, vs, (long long)cw,
            (long long)jw, vw);
  cl_close(&e);
}

/* exit(7) in a child ends the program: the main thread (spinning) reports EXIT, code 7. */
static void exit_from_child(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_exit_from_child")) return;
  weft_error err;
  int64_t r = CALL(&e, "spawn_spin", R_EXIT, 7);
  int32_t code = weft_exec_exit_code(e.x);
  wt_result("cluster_exit_from_child", r == -1000 - WEFT_TRAP_EXIT && code == 7,
            "main's call %lld (want %d), exit code %d", (long long)r, -1000 - WEFT_TRAP_EXIT,
            code);
  cl_close(&e);
}

/* A trap in a child ends the program: main reports the child's reason and backtrace. */
static void trap_in_child(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_trap_in_child")) return;
  weft_error err;
  int64_t r = CALL(&e, "spawn_spin", R_TRAP, 0);
  bool ok = r == -1000 - WEFT_TRAP_UNREACHABLE && strcmp(err.message, "unreachable") == 0 &&
            strstr(err.backtrace, "#0 ") && strstr(err.backtrace, "#1 ");
  weft_error first = err;
  /* the program is over: every later call on the main thread reports the same end */
  int64_t after = CALL(&e, "spawn", R_DOUBLE, 1);
  wt_result("cluster_trap_in_child", ok && after == -1000 - WEFT_TRAP_UNREACHABLE,
            "main's call %lld, message \"%s\", backtrace \"%s\", create afterwards %lld",
            (long long)r, first.message, first.backtrace, (long long)after);
  cl_close(&e);
}

/* Main returning: weft_instance_terminate_threads stops a spinning and a waiting thread,
 * joins them, and the cluster accepts new threads afterwards. */
static void main_returns(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_main_returns_while_children_run")) return;
  weft_error err;
  int64_t a = CALL(&e, "spawn", R_SPIN, 0), b = CALL(&e, "spawn", R_WAIT, 0);
  int64_t d = CALL(&e, "detach", a);
  double t0 = wt_now();
  weft_instance_terminate_threads(e.inst);
  double secs = wt_now() - t0;
  int64_t c = CALL(&e, "spawn", R_DOUBLE, 4), jc = CALL(&e, "join", c);
  wt_result("cluster_main_returns_while_children_run",
            a > 0 && b > 0 && d == 0 && secs < 5 && c > 0 && jc == 0 && get32(&e, A_VALUE) == 8,
            "terminate took %.3f s; create+join afterwards %lld/%lld", secs, (long long)c,
            (long long)jc);
  /* and weft_instance_delete with threads still running */
  CALL(&e, "spawn", R_SPIN, 0);
  CALL(&e, "spawn", R_WAIT, 0);
  cl_close(&e);
}

/* A start routine index that is no (i32)->i32 function traps with the cause and the fix. */
static void bad_start_routine(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_bad_start_routine")) return;
  weft_error err;
  struct { int64_t idx; const char *want; } cases[] = {
    {100, "outside table 0"}, {0, "null"}, {R_BADTYPE, "parameters"}};
  for (int i = 0; i < 3; i++) {
    int64_t r = CALL(&e, "spawn", cases[i].idx, 0);
    bool ok = r == -1000 - WEFT_TRAP_HOST && strstr(err.message, cases[i].want) &&
              strstr(err.message, "pthread_create") &&
              (i == 2 || strstr(err.message, "-Wl,--export-table"));
    char name[64];
    snprintf(name, sizeof name, "cluster_bad_start_routine_%lld", (long long)cases[i].idx);
    wt_result(name, ok, "%lld: %s", (long long)r, err.message);
  }
  cl_close(&e);
}

/* The stack pointer leaving the thread's slice traps "wasm auxiliary stack overflow". */
static void aux_overflow(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_slice_overflow_traps")) return;
  weft_error err;
  int64_t fits = CALL(&e, "spawn_join", R_RECURSE, 12000);
  uint32_t v = get32(&e, A_VALUE);
  int64_t over = CALL(&e, "spawn_join", R_RECURSE, 13000);
  wt_result("cluster_slice_overflow_traps",
            fits == 0 && v == 1 && over == -1000 - WEFT_TRAP_AUX_STACK_OVERFLOW,
            "12000 bytes: join %lld value %u; 13000 bytes: %lld \"%s\"", (long long)fits, v,
            (long long)over, err.message);
  cl_close(&e);
}

/* AddressSanitizer keeps freed memory in quarantine (up to 256 MiB), so RSS is not a
 * measure of leaks there: the flat-memory bound is checked only in other builds (LeakSanitizer
 * covers leaks under ASan). */
#if defined(__SANITIZE_ADDRESS__)
#define CL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CL_ASAN 1
#endif
#endif
#ifndef CL_ASAN
#define CL_ASAN 0
#endif

/* Resident set size in KiB (Linux), 0 when unknown. */
static long rss_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * 4;
}

/* Many create/join (and create/detach) cycles keep memory flat. */
static void cycles(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_cycles_memory_flat")) return;
  weft_error err;
  int n = 10000 / wt_div;
  int64_t warm = CALL(&e, "cycles", 200);
  long before = rss_kib();
  double t0 = wt_now();
  int64_t r = CALL(&e, "cycles", n);
  double secs = wt_now() - t0;
  int64_t rd = CALL(&e, "detach_cycles", n / 4);
  long after = rss_kib();
  wt_result("cluster_cycles_memory_flat", warm == 0 && r == 0 && rd == 0 && (CL_ASAN || after - before < 4096),
            "%d create/join cycles in %.2f s (%.0f us each), %d create/detach; RSS %ld -> "
            "%ld KiB%s", n, secs, secs * 1e6 / n, n / 4, before, after,
            CL_ASAN ? " (not checked under ASan: quarantine)" : "");
  cl_close(&e);
}

/* pthread_exit in main: the program goes on until the other threads end, then exits 0. */
typedef struct { cl_env *e; int64_t r; int32_t code; } main_exit_job;
static void *main_exit_thread(void *p) {
  main_exit_job *j = p;
  weft_error err;
  j->r = CALL(j->e, "pexit", 5);
  __atomic_store_n(&j->code, weft_exec_exit_code(j->e->x), __ATOMIC_SEQ_CST);
  return NULL;
}
static void main_pthread_exit(void) {
  cl_env e;
  if (!cl_open(&e, 0, "cluster_main_pthread_exit")) return;
  weft_error err;
  int64_t t = CALL(&e, "spawn", R_SPIN, 0);
  main_exit_job j = {&e, 0, -1};
  pthread_t th;
  pthread_create(&th, NULL, main_exit_thread, &j);
  wt_sleep_ms(50);
  bool early = __atomic_load_n(&j.code, __ATOMIC_SEQ_CST) != -1;   /* must still wait */
  put32(&e, A_GO, 1);
  pthread_join(th, NULL);
  wt_result("cluster_main_pthread_exit", t > 0 && !early && j.r == -1000 - WEFT_TRAP_EXIT &&
            j.code == 0, "returned early: %d, main's call %lld, exit code %d", early,
            (long long)j.r, j.code);
  cl_close(&e);
}

/* exit(3) in one child racing a trap in another: exactly one of them is reported, whole. */
static void exit_trap_race(void) {
  int exits = 0, traps = 0, other = 0;
  for (int i = 0; i < 20; i++) {
    cl_env e;
    if (!cl_open(&e, 0, "cluster_exit_trap_race_one_outcome")) return;
    weft_error err;
    int64_t r = CALL(&e, "spawn2_spin", R_EXIT, 3, R_TRAP, 0);
    if (r == -1000 - WEFT_TRAP_EXIT && weft_exec_exit_code(e.x) == 3 && err.backtrace[0] == 0)
      exits++;
    else if (r == -1000 - WEFT_TRAP_UNREACHABLE && strcmp(err.message, "unreachable") == 0 &&
             strstr(err.backtrace, "#1 "))
      traps++;
    else
      other++;
    cl_close(&e);
  }
  wt_result("cluster_exit_trap_race_one_outcome", other == 0,
            "20 runs: %d exit(3), %d trap, %d anything else", exits, traps, other);
}

/* A module whose aux stack bounds are unknown cannot create threads: EAGAIN, every time. */
static void no_aux_stack(void) {
  cl_env e;
  if (!cl_open_mod(&e, "cluster_noaux", 0, "cluster_no_aux_stack_eagain")) return;
  weft_error err;
  int64_t a = CALL0(&e, "spawn"), b = CALL0(&e, "spawn");
  wt_result("cluster_no_aux_stack_eagain", a == EAGAIN_ && b == EAGAIN_,
            "pthread_create %lld, %lld (want %d; stderr says why once)", (long long)a,
            (long long)b, EAGAIN_);
  cl_close(&e);
}

void test_cluster(void) {
  create_join_values();
  limit(4, "cluster_limit_default_4_eagain_recovery");
  limit(8, "cluster_limit_8_eagain_recovery");
  self_distinct();
  join_errors();
  exit_and_cancel();
  exit_from_child();
  trap_in_child();
  main_returns();
  bad_start_routine();
  aux_overflow();
  cycles();
  main_pthread_exit();
  exit_trap_race();
  no_aux_stack();
}
