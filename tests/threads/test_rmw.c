/* test_rmw.c — contended read-modify-write atomics with deterministic outcomes: add (i32,
 * i64, 8/16-bit), sub, or/and and xor on per-thread bits, xchg conservation, cmpxchg loops. */
#include <stdio.h>
#include <string.h>
#include "tests.h"

#define MAXT 8

/* Cell addresses in atomics.wat's single page; each test clears what it uses. */
enum { A_ADD32 = 64, A_ADD64 = 128, A_SUB = 192, A_NARROW = 256, A_BITS = 320,
       A_XCHG = 384, A_CAS = 448 };

static uint32_t rd32(const wt_env *e, int a) { uint32_t v; memcpy(&v, e->mem + a, 4); return v; }
static uint64_t rd64(const wt_env *e, int a) { uint64_t v; memcpy(&v, e->mem + a, 8); return v; }
static void wr64(wt_env *e, int a, uint64_t v) { memcpy(e->mem + a, &v, 8); }

/* Runs `func`(addr, n) [or (addr, extra_i, n) when with_extra] on t threads; checks none
 * trapped or overran; for functions with a result, sums them into *sum. */
static bool run_t(wt_env *e, const char *func, int t, int64_t addr, const int64_t *extra,
                  int64_t n, int64_t *sum, char *why, size_t len) {
  wt_job jobs[MAXT];
  for (int i = 0; i < t; i++) {
    int64_t args[3] = {addr, extra ? extra[i] : n, n};
    if (!wt_job_init(&jobs[i], e, func, extra ? 3 : 2, args)) return false;
  }
  if (!wt_run(jobs, t, 120.0)) {
    snprintf(why, len, "%s overran 120 s", func);
    return false;
  }
  if (sum) *sum = 0;
  for (int i = 0; i < t; i++) {
    if (!wt_job_ok(&jobs[i], why, len)) return false;
    if (sum) *sum += weft_func_result_type(jobs[i].fn, 0) == WEFT_I32 ? (int64_t)jobs[i].res.i32
                                                                       : (int64_t)jobs[i].res.i64;
  }
  return true;
}

static void add32_threads(wt_env *e, int t) {
  char name[64], why[256] = "";
  snprintf(name, sizeof name, "i32_atomic_add_exact_total_%d_threads", t);
  int64_t n = 4000000 / t / wt_div;   /* 4M adds per test: 2x2M, 4x1M, 8x500k */
  wr64(e, A_ADD32, 0);
  double t0 = wt_now();
  bool ok = run_t(e, "add32", t, A_ADD32, NULL, n, NULL, why, sizeof why);
  double dt = wt_now() - t0;
  uint32_t want = (uint32_t)(t * n), got = rd32(e, A_ADD32);
  if (ok && got != want) { ok = false; snprintf(why, sizeof why, "total %u, want %u", got, want); }
  if (ok) snprintf(why, sizeof why, "%d x %lld adds, %.2f s", t, (long long)n, dt);
  wt_result(name, ok, "%s", why);
}

static void add64(wt_env *e) {
  char why[256] = "";
  int t = 4;
  int64_t n = 250000 / wt_div;
  wr64(e, A_ADD64, 0);
  bool ok = run_t(e, "add64", t, A_ADD64, NULL, n, NULL, why, sizeof why);
  uint64_t want = (uint64_t)(t * n) * 0x100000001ull, got = rd64(e, A_ADD64);
  if (ok && got != want) {
    ok = false;
    snprintf(why, sizeof why, "total %#llx, want %#llx", (unsigned long long)got, (unsigned long long)want);
  }
  wt_result("i64_atomic_add_carries_exact_total_4_threads", ok, "%s", why);
}

static void sub32(wt_env *e) {
  char why[256] = "";
  int t = 4;
  int64_t n = 250000 / wt_div;
  wr64(e, A_SUB, 0);
  bool ok = run_t(e, "sub32", t, A_SUB, NULL, n, NULL, why, sizeof why);
  uint32_t want = (uint32_t)(0u - (uint32_t)(3 * t * n)), got = rd32(e, A_SUB);
  if (ok && got != want) { ok = false; snprintf(why, sizeof why, "total %#x, want %#x", got, want); }
  wt_result("i32_atomic_sub_exact_total_wraps_4_threads", ok, "%s", why);
}

/* rmw8 at byte A, rmw16 at A+2; bytes A+1 and A+4..A+7 hold sentinels that must survive. */
static void narrow(wt_env *e) {
  char why[256] = "";
  int t = 4;
  int64_t n = 100001 / wt_div;
  uint8_t init[8] = {0, 0xA5, 0, 0, 0x11, 0x22, 0x33, 0x44};
  memcpy(e->mem + A_NARROW, init, 8);
  bool ok = run_t(e, "add8_16", t, A_NARROW, NULL, n, NULL, why, sizeof why);
  uint8_t *m = e->mem + A_NARROW;
  unsigned b8 = m[0], h16 = (unsigned)(m[2] | m[3] << 8);
  unsigned w8 = (unsigned)(t * n) & 0xFF, w16 = (unsigned)(t * n) & 0xFFFF;
  if (ok && (b8 != w8 || h16 != w16)) {
    ok = false;
    snprintf(why, sizeof why, "rmw8 %u (want %u), rmw16 %u (want %u)", b8, w8, h16, w16);
  } else if (ok && (m[1] != 0xA5 || memcmp(m + 4, init + 4, 4) != 0)) {
    ok = false;
    snprintf(why, sizeof why, "neighbouring bytes changed");
  }
  wt_result("rmw8_rmw16_add_wrap_and_spare_neighbour_bytes", ok, "%s", why);
}

static void orand(wt_env *e) {
  char why[256] = "";
  int t = 8;
  int64_t n = 100000 / wt_div, bits[MAXT], bad = 0;
  for (int i = 0; i < t; i++) bits[i] = 3 * i + 1;
  wr64(e, A_BITS, 0);
  bool ok = run_t(e, "orand", t, A_BITS, bits, n, &bad, why, sizeof why);
  uint32_t want = 0, got = rd32(e, A_BITS);
  for (int i = 0; i < t; i++) want |= 1u << bits[i];
  if (ok && (bad || got != want)) {
    ok = false;
    snprintf(why, sizeof why, "%lld lost updates, final %#x, want %#x", (long long)bad, got, want);
  }
  wt_result("or_and_on_own_bits_never_lose_updates_8_threads", ok, "%s", why);
}

static void xorbit(wt_env *e) {
  char why[256] = "";
  int t = 8;
  int64_t n = 100001 / wt_div | 1, bits[MAXT], bad = 0;   /* odd: each bit ends set */
  for (int i = 0; i < t; i++) bits[i] = 31 - 2 * i;
  wr64(e, A_BITS, 0);
  bool ok = run_t(e, "xorbit", t, A_BITS, bits, n, &bad, why, sizeof why);
  uint32_t want = 0, got = rd32(e, A_BITS);
  for (int i = 0; i < t; i++) want |= 1u << bits[i];
  if (ok && (bad || got != want)) {
    ok = false;
    snprintf(why, sizeof why, "%lld wrong old values, final %#x, want %#x", (long long)bad, got, want);
  }
  wt_result("xor_toggles_own_bit_atomically_8_threads", ok, "%s", why);
}

/* Each thread swaps in its own value; every value written is read back exactly once
 * (by a later xchg or as the final content): initial + sum(written) = final + sum(olds). */
static void xchg(wt_env *e) {
  char why[256] = "";
  int t = 4;
  int64_t n = 200000 / wt_div, vals[MAXT], olds = 0;
  for (int i = 0; i < t; i++) vals[i] = 1000003 * (i + 1);
  wr64(e, A_XCHG, 7);
  bool ok = run_t(e, "xchg", t, A_XCHG, vals, n, &olds, why, sizeof why);
  int64_t written = 0;
  for (int i = 0; i < t; i++) written += vals[i] * n;
  int64_t final = rd32(e, A_XCHG);
  if (ok && 7 + written != final + olds) {
    ok = false;
    snprintf(why, sizeof why, "7 + %lld written != %lld final + %lld read",
             (long long)written, (long long)final, (long long)olds);
  }
  wt_result("xchg_conserves_every_value_4_threads", ok, "%s", why);
}

static void casinc(wt_env *e) {
  char why[256] = "";
  int t = 4;
  int64_t n = 200000 / wt_div, retries = 0;
  wr64(e, A_CAS, 0xFFFFFFF0ull);   /* crosses the 32-bit boundary on the way */
  bool ok = run_t(e, "casinc64", t, A_CAS, NULL, n, &retries, why, sizeof why);
  uint64_t want = 0xFFFFFFF0ull + (uint64_t)(t * n), got = rd64(e, A_CAS);
  if (ok && got != want) {
    ok = false;
    snprintf(why, sizeof why, "total %#llx, want %#llx", (unsigned long long)got, (unsigned long long)want);
  }
  if (ok) snprintf(why, sizeof why, "%lld failed cmpxchgs", (long long)retries);
  wt_result("i64_cmpxchg_loop_increments_exact_total_4_threads", ok, "%s", why);
}

void test_rmw(void) {
  wt_env e;
  if (!wt_open(&e, "atomics", false)) return;
  add32_threads(&e, 2);
  add32_threads(&e, 4);
  add32_threads(&e, 8);
  add64(&e);
  sub32(&e);
  narrow(&e);
  orand(&e);
  xorbit(&e);
  xchg(&e);
  casinc(&e);
  wt_close(&e);
}
