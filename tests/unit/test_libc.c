/* test_libc.c — libc-builtin through real calls from wasm: a module built here imports
 * functions from "env" and exports a wrapper for each (w_NAME), plus a comparison function
 * in its table (and one that traps). Checks results, bounds checks and their trap messages,
 * heap limits, endptr stores, qsort/bsearch callbacks and exit. */
#include <stdlib.h>
#include "weft.h"
#include "wtest.h"

typedef struct { const char *name; int nparams; char result; } imp;   /* result: 0, 'i', 'I' */
static const imp imps[] = {
  {"strlen", 1, 'i'}, {"memcpy", 3, 'i'}, {"strcpy", 2, 'i'}, {"malloc", 1, 'i'},
  {"calloc", 2, 'i'}, {"realloc", 2, 'i'}, {"free", 1, 0}, {"strtol", 3, 'i'},
  {"strtoull", 3, 'I'}, {"qsort", 4, 0}, {"bsearch", 5, 'i'}, {"snprintf", 4, 'i'},
  {"sprintf", 3, 'i'}, {"exit", 1, 0}, {"strdup", 1, 'i'}, {"strncmp", 3, 'i'},
  {"strrchr", 2, 'i'}, {"memchr", 3, 'i'}, {"abort", 0, 0}, {"toupper", 1, 'i'},
};
#define NIMP (int)(sizeof imps / sizeof imps[0])

typedef struct { uint8_t b[4096]; size_t n; } buf;
static void put(buf *o, uint8_t v) { o->b[o->n++] = v; }
static void uleb(buf *o, uint32_t v) {
  do { uint8_t x = v & 0x7F; v >>= 7; put(o, (uint8_t)(x | (v ? 0x80 : 0))); } while (v);
}
static void name(buf *o, const char *s) { uleb(o, (uint32_t)strlen(s)); while (*s) put(o, (uint8_t)*s++); }
static void section(buf *m, uint8_t id, const buf *body) {
  put(m, id);
  uleb(m, (uint32_t)body->n);
  memcpy(m->b + m->n, body->b, body->n);
  m->n += body->n;
}

static buf mod;
static void build(void) {
  static buf s;
  mod.n = 0;
  const uint8_t hdr[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  memcpy(mod.b, hdr, 8);
  mod.n = 8;
  s.n = 0;                                       /* types: one per import, then (ii)->i */
  uleb(&s, NIMP + 1);
  for (int i = 0; i < NIMP; i++) {
    put(&s, 0x60);
    uleb(&s, (uint32_t)imps[i].nparams);
    for (int k = 0; k < imps[i].nparams; k++) put(&s, 0x7F);
    if (imps[i].result) { put(&s, 1); put(&s, imps[i].result == 'I' ? 0x7E : 0x7F); }
    else put(&s, 0);
  }
  put(&s, 0x60); put(&s, 2); put(&s, 0x7F); put(&s, 0x7F); put(&s, 1); put(&s, 0x7F);
  section(&mod, 1, &s);
  s.n = 0;
  uleb(&s, NIMP);
  for (int i = 0; i < NIMP; i++) { name(&s, "env"); name(&s, imps[i].name); put(&s, 0); uleb(&s, (uint32_t)i); }
  section(&mod, 2, &s);
  s.n = 0;                                       /* functions: wrappers, cmp, badcmp */
  uleb(&s, NIMP + 2);
  for (int i = 0; i < NIMP; i++) uleb(&s, (uint32_t)i);
  uleb(&s, NIMP);
  uleb(&s, NIMP);
  section(&mod, 3, &s);
  s.n = 0; put(&s, 1); put(&s, 0x70); put(&s, 0); put(&s, 2); section(&mod, 4, &s);
  s.n = 0; put(&s, 1); put(&s, 0); put(&s, 1); section(&mod, 5, &s);
  s.n = 0;
  uleb(&s, NIMP + 1);
  name(&s, "memory"); put(&s, 2); put(&s, 0);
  for (int i = 0; i < NIMP; i++) {
    char nm[64];
    snprintf(nm, sizeof nm, "w_%s", imps[i].name);
    name(&s, nm); put(&s, 0); uleb(&s, (uint32_t)(NIMP + i));
  }
  section(&mod, 7, &s);
  s.n = 0;                                       /* elem: table[0] = cmp, table[1] = badcmp */
  put(&s, 1); put(&s, 0); put(&s, 0x41); put(&s, 0); put(&s, 0x0B);
  put(&s, 2); uleb(&s, 2 * NIMP); uleb(&s, 2 * NIMP + 1);
  section(&mod, 9, &s);
  s.n = 0;
  uleb(&s, NIMP + 2);
  for (int i = 0; i < NIMP; i++) {
    buf f = {.n = 0};
    put(&f, 0);
    for (int k = 0; k < imps[i].nparams; k++) { put(&f, 0x20); uleb(&f, (uint32_t)k); }
    put(&f, 0x10); uleb(&f, (uint32_t)i); put(&f, 0x0B);
    uleb(&s, (uint32_t)f.n); memcpy(s.b + s.n, f.b, f.n); s.n += f.n;
  }
  /* cmp: *(int *)a - *(int *)b */
  const uint8_t cmp[] = {13, 0, 0x20, 0, 0x28, 2, 0, 0x20, 1, 0x28, 2, 0, 0x6B, 0x0B};
  memcpy(s.b + s.n, cmp + 0, 1); s.n += 1;
  memcpy(s.b + s.n, cmp + 1, 13); s.n += 13;
  const uint8_t bad[] = {3, 0, 0x00, 0x0B};     /* unreachable */
  memcpy(s.b + s.n, bad, 4); s.n += 4;
  section(&mod, 10, &s);
}

static weft_runtime *rt;
static weft_instance *in;
static weft_exec *ex;
static uint8_t *M;
static weft_error err;

/* Calls w_NAME with up to 5 i32 args; returns the result (i32 or i64) or -999 on a trap. */
static int64_t call(const char *nm, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e) {
  char full[64];
  snprintf(full, sizeof full, "w_%s", nm);
  weft_func *f = weft_instance_func(in, full);
  if (!f) return -1000;
  weft_slot args[5] = {{0}}, res[1] = {{0}};
  uint32_t v[5] = {a, b, c, d, e};
  uint32_t np = weft_func_param_count(f);
  for (uint32_t i = 0; i < np; i++) args[i].i32 = v[i];
  if (weft_call(ex, f, args, np, res, 1, &err) != WEFT_OK) return -999;
  if (!weft_func_result_count(f)) return 0;
  return weft_func_result_type(f, 0) == WEFT_I64 ? (int64_t)res[0].i64 : (int32_t)res[0].i32;
}
#define C1(n, a) call(n, a, 0, 0, 0, 0)
#define C2(n, a, b) call(n, a, b, 0, 0, 0)
#define C3(n, a, b, c) call(n, a, b, c, 0, 0)

static void strings_and_traps(void) {
  strcpy((char *)M + 100, "hello");
  CHECK_EQ(C1("strlen", 100), 5);
  CHECK_EQ(C1("strlen", 140000), -999);           /* past the end (2 pages: 1 + heap) */
  CHECK_EQ(err.trap, WEFT_TRAP_HOST);
  CHECK_CONTAINS(err.message, "out of bounds memory access: strlen");
  CHECK_CONTAINS(err.backtrace, "env.strlen");
  memset(M + 131072 - 4, 'x', 4);                 /* unterminated at the end of memory */
  CHECK_EQ(C1("strlen", 131072 - 4), -999);
  CHECK_CONTAINS(err.message, "no NUL before the end of memory");
  CHECK_EQ(C3("memcpy", 200, 100, 6), 200);
  CHECK_STR((char *)M + 200, "hello");
  CHECK_EQ(C3("memcpy", 131072 - 2, 100, 6), -999);
  CHECK_CONTAINS(err.message, "memcpy");
  CHECK_EQ(C3("memcpy", 0xFFFFFFF0u, 100, 0x20), -999);
  CHECK_EQ(C2("strcpy", 300, 100), 300);
  CHECK_STR((char *)M + 300, "hello");
  CHECK_EQ(C2("strrchr", 100, 'l'), 103);
  CHECK_EQ(C2("strrchr", 100, 0), 105);
  CHECK_EQ(C3("strncmp", 100, 300, 5), 0);
  CHECK_EQ(C3("strncmp", 131072 - 4, 100, 100), -999);   /* runs off memory within n */
  CHECK_EQ(C3("memchr", 100, 'o', 0x7FFFFFFF), 104);    /* stops at the match */
  CHECK_EQ(C3("memchr", 100, 'z', 0x7FFFFFFF), -999);
  CHECK_EQ(C1("toupper", 'q'), 'Q');
  CHECK_EQ(C1("toupper", -1), -1);
}

static void heap(void) {
  uint32_t p = (uint32_t)C1("malloc", 100);
  CHECK(p >= 65536 && p % 8 == 0);
  CHECK_EQ(C1("malloc", 0x80000000u), 0);
  CHECK_EQ(C1("malloc", 0xFFFFFFFFu), 0);
  CHECK_EQ(C2("calloc", 65536, 65536), 0);        /* overflows 32 bits */
  CHECK_EQ(C2("calloc", 1u << 30, 4), 0);
  memset(M + p, 0xAB, 100);
  weft_heap_free(in, p);
  uint32_t z = (uint32_t)C2("calloc", 10, 10);
  int zero = 1;
  for (int i = 0; i < 100; i++) zero &= M[z + i] == 0;
  CHECK(zero);
  strcpy((char *)M + z, "keep");
  uint32_t r = (uint32_t)C2("realloc", z, 3000);
  CHECK(r != 0);
  CHECK_STR((char *)M + r, "keep");
  CHECK_EQ(C2("realloc", r, 3u << 30), 0);        /* fails, r stays allocated */
  CHECK_STR((char *)M + r, "keep");
  C1("free", r);
  C1("free", 12345);                              /* ignored */
  uint32_t d = (uint32_t)C1("strdup", 100);
  CHECK(d >= 65536);
  CHECK_STR((char *)M + d, "hello");
}

static void parsing(void) {
  strcpy((char *)M + 400, "  -0x1Fz");
  CHECK_EQ(C3("strtol", 400, 500, 16), -31);
  uint32_t end;
  memcpy(&end, M + 500, 4);
  CHECK_EQ(end, 407);
  strcpy((char *)M + 400, "99999999999");
  CHECK_EQ(C3("strtol", 400, 0, 10), INT32_MAX);
  CHECK_EQ(C3("strtoull", 400, 0, 0), 99999999999LL);
  strcpy((char *)M + 400, "xyz");
  CHECK_EQ(C3("strtol", 400, 500, 0), 0);
  memcpy(&end, M + 500, 4);
  CHECK_EQ(end, 400);                             /* nothing parsed: endptr = the string */
  CHECK_EQ(C3("strtol", 400, 131072 - 2, 0), -999);   /* endptr outside memory */
}

static void callbacks(void) {
  int32_t v[8] = {5, -3, 9, 0, 7, 7, -10, 2}, want[8] = {-10, -3, 0, 2, 5, 7, 7, 9};
  memcpy(M + 1000, v, sizeof v);
  CHECK_EQ(call("qsort", 1000, 8, 4, 0, 0), 0);
  CHECK(memcmp(M + 1000, want, sizeof want) == 0);
  int32_t key = 7;
  memcpy(M + 1100, &key, 4);
  int64_t hit = call("bsearch", 1100, 1000, 8, 4, 0);
  CHECK(hit == 1000 + 5 * 4 || hit == 1000 + 6 * 4);
  key = 4;
  memcpy(M + 1100, &key, 4);
  CHECK_EQ(call("bsearch", 1100, 1000, 8, 4, 0), 0);
  CHECK_EQ(call("qsort", 1000, 8, 4, 1, 0), -999);      /* comparator traps */
  CHECK_EQ(err.trap, WEFT_TRAP_UNREACHABLE);
  CHECK_EQ(call("qsort", 1000, 8, 4, 7, 0), -999);      /* not in the table */
  CHECK_CONTAINS(err.message, "undefined element");
  CHECK(memcmp(M + 1000, want, sizeof want) == 0);      /* untouched by the failures */
}

static void formatting(void) {
  strcpy((char *)M + 600, "%d-%s");
  int32_t args[2] = {42, 100};
  memcpy(M + 700, args, 8);
  CHECK_EQ(call("snprintf", 800, 5, 600, 700, 0), 8);   /* "42-hello" truncated to 4 + NUL */
  CHECK_STR((char *)M + 800, "42-h");
  CHECK_EQ(call("snprintf", 0, 0, 600, 700, 0), 8);     /* size 0: nothing written */
  CHECK_EQ(call("sprintf", 800, 600, 700, 0, 0), 8);
  CHECK_STR((char *)M + 800, "42-hello");
  CHECK_EQ(call("sprintf", 131072 - 4, 600, 700, 0, 0), -999);
  CHECK_CONTAINS(err.message, "runs past the end of memory");
  CHECK_EQ(call("sprintf", 800, 600, 131072 - 4, 0, 0), -999);   /* va_list at the end */
  CHECK_CONTAINS(err.message, "variadic argument");
}

static void process(void) {
  CHECK_EQ(C1("exit", 7), -999);
  CHECK_EQ(err.trap, WEFT_TRAP_EXIT);
  CHECK_EQ(weft_exec_exit_code(ex), 7);
  CHECK_EQ(call("abort", 0, 0, 0, 0, 0), -999);
  CHECK_CONTAINS(err.message, "abort() called");
}

void test_libc(void) {
  build();
  rt = weft_runtime_new(NULL);
  CHECK(weft_libc_builtin_register(rt, &err) == WEFT_OK);
  weft_module *m = weft_module_new(rt, mod.b, mod.n, &err);
  WT_RECORD(m != NULL, "module: %s", err.message);
  if (!m) return;
  weft_instance_options o = {.heap_size = 65536};
  in = weft_instantiate_opts(rt, m, NULL, &o, &err);
  WT_RECORD(in != NULL, "instantiate: %s", err.message);
  if (!in) return;
  ex = weft_exec_new(rt);
  M = weft_memory_data(weft_instance_default_memory(in));
  strings_and_traps();
  heap();
  parsing();
  callbacks();
  formatting();
  process();
  weft_exec_delete(ex);
  weft_instance_delete(in);
  weft_module_delete(m);
  weft_runtime_delete(rt);
}
