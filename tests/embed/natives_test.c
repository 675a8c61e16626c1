/* natives_test.c — weft-natives-test: natives by signature string through weft.h only
 * (weft_register_natives, every signature letter, direct and raw calls, guest pointer
 * checks before the native runs, attachments, exit, the calling instance). The module is
 * natives.wat; its exports forward to the natives. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <weft.h>
#include "check.h"
#include "load.h"

/* What the last native saw. */
static struct {
  int calls;
  int64_t i[24];
  double d[24];
  void *p;
  uint32_t len;
  const char *s;
  uintptr_t r;
} last;
static weft_instance *expected_caller;

static double n_mix(weft_exec *e, int32_t a, int64_t b, float c, double d) {
  (void)e;
  last.calls++;
  last.i[0] = a, last.i[1] = b, last.d[0] = c, last.d[1] = d;
  return (double)a + (double)b + c + d;
}
static float n_mix2(weft_exec *e, float a, int32_t b, double c, int64_t d) {
  (void)e;
  last.calls++;
  last.d[0] = a, last.i[0] = b, last.d[1] = c, last.i[1] = d;
  return a * 4.0f;
}
static int32_t n_buf(weft_exec *e, void *p, uint32_t len) {
  (void)e;
  last.calls++;
  last.p = p, last.len = len;
  int32_t sum = 0;
  for (uint32_t k = 0; k < len; k++) sum += ((uint8_t *)p)[k];
  return sum;
}
static int32_t n_str(weft_exec *e, const char *s) {
  (void)e;
  last.calls++;
  last.s = s;
  return (int32_t)strlen(s);
}
static int32_t n_one(weft_exec *e, void *p) {
  (void)e;
  last.calls++;
  last.p = p;
  return *(uint8_t *)p;
}
static uintptr_t n_ref(weft_exec *e, uintptr_t r) {
  (void)e;
  last.calls++;
  return r + 1;
}
static void n_void(weft_exec *e) {
  (void)e;
  last.calls++;
}
static int64_t n_many(weft_exec *e, int32_t a0, int32_t a1, int32_t a2, int32_t a3, int32_t a4,
                      int32_t a5, int32_t a6, int32_t a7, int32_t a8, int32_t a9, int32_t a10,
                      int32_t a11) {
  (void)e;
  last.calls++;
  int32_t a[12] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11};
  uint64_t r = 0;
  for (int k = 0; k < 12; k++) r = r * 31 + (uint64_t)(int64_t)a[k];
  return (int64_t)r;
}
/* (iFIfiFIfiFIfiFIfiiii)F: 12 integer-class (5 in registers on x86-64, the rest on the
 * stack) and 8 floating-point parameters, interleaved. */
static double n_wide(weft_exec *e, int32_t i0, double d0, int64_t l0, float f0, int32_t i1,
                     double d1, int64_t l1, float f1, int32_t i2, double d2, int64_t l2, float f2,
                     int32_t i3, double d3, int64_t l3, float f3, int32_t i4, int32_t i5,
                     int32_t i6, int32_t i7) {
  (void)e;
  last.calls++;
  int64_t iv[12] = {i0, l0, i1, l1, i2, l2, i3, l3, i4, i5, i6, i7};
  double dv[8] = {d0, f0, d1, f1, d2, f2, d3, f3};
  memcpy(last.i, iv, sizeof iv);
  memcpy(last.d, dv, sizeof dv);
  return d0 + d1 + d2 + d3;
}
static int32_t n_all(weft_exec *e, int32_t a, int64_t b, float c, double d, void *p,
                     uint32_t len, const char *s, uintptr_t r) {
  (void)e;
  last.calls++;
  last.i[0] = a, last.i[1] = b, last.d[0] = c, last.d[1] = d;
  last.p = p, last.len = len, last.s = s, last.r = r;
  return -3;
}
/* raw (i*~$FI)I: 64-bit cells; pointers already converted. */
static void n_raw(weft_exec *e, uint64_t *args) {
  (void)e;
  last.calls++;
  int32_t a;
  void *p;
  uint32_t len;
  const char *s;
  double f;
  int64_t big;
  memcpy(&a, &args[0], sizeof a);
  memcpy(&p, &args[1], sizeof p);
  memcpy(&len, &args[2], sizeof len);
  memcpy(&s, &args[3], sizeof s);
  memcpy(&f, &args[4], sizeof f);
  memcpy(&big, &args[5], sizeof big);
  last.i[0] = a, last.p = p, last.len = len, last.s = s, last.d[0] = f, last.i[1] = big;
  int64_t r = a + big + (int64_t)len;
  memcpy(&args[0], &r, sizeof r);
}
static void n_rawf(weft_exec *e, uint64_t *args) {
  (void)e;
  float f;
  memcpy(&f, args, sizeof f);
  f *= 2.0f;
  memcpy(args, &f, sizeof f);   /* only the low 4 bytes, as a WAMR raw native does */
}
static int32_t n_att(weft_exec *e) { return (int32_t)(intptr_t)weft_exec_native_attachment(e); }
static void n_bye(weft_exec *e, int32_t code) {
  last.calls++;
  weft_exec_exit(e, code);
}
static int32_t n_who(weft_exec *e) { return weft_exec_caller_instance(e) == expected_caller; }
static int32_t n_dummy(weft_exec *e) {
  (void)e;
  return 0;
}

static weft_native_symbol direct_syms[] = {
    {"mix", (void *)n_mix, "(iIfF)F", NULL},
    {"mix2", (void *)n_mix2, "(fiFI)f", NULL},
    {"buf", (void *)n_buf, "(*~)i", NULL},
    {"str", (void *)n_str, "($)i", NULL},
    {"one", (void *)n_one, "(*)i", NULL},
    {"ref", (void *)n_ref, "(r)r", NULL},
    {"void", (void *)n_void, "()", NULL},
    {"many", (void *)n_many, "(iiiiiiiiiiii)I", NULL},
    {"wide", (void *)n_wide, "(iFIfiFIfiFIfiFIfiiii)F", NULL},
    {"all", (void *)n_all, "(iIfF*~$r)i", NULL},
    {"att", (void *)n_att, "()i", (void *)(intptr_t)0x77},
    {"bye", (void *)n_bye, "(i)", NULL},
    {"who", (void *)n_who, "()i", NULL},
};
static weft_native_symbol raw_syms[] = {
    {"raw", (void *)n_raw, "(i*~$FI)I", NULL},
    {"rawf", (void *)n_rawf, "(f)f", NULL},
};

static weft_slot I32(uint32_t v) { weft_slot s = {.i64 = 0}; s.i32 = v; return s; }
static weft_slot I64(int64_t v) { weft_slot s = {.i64 = (uint64_t)v}; return s; }
static weft_slot F32(float v) { weft_slot s = {.i64 = 0}; s.f32 = v; return s; }
static weft_slot F64(double v) { weft_slot s = {.i64 = 0}; s.f64 = v; return s; }

/* Calls export `name` of inst; returns the trap (WEFT_TRAP_NONE on success). */
static weft_trap call(weft_exec *ex, weft_instance *inst, const char *name, const weft_slot *args,
                      uint32_t nargs, weft_slot *res, weft_error *err) {
  weft_func *f = weft_instance_func(inst, name);
  if (!f) {
    printf("no export %s\n", name);
    return WEFT_TRAP_COUNT_;
  }
  weft_slot tmp[1];
  uint32_t nres = weft_func_result_count(f);
  if (weft_call(ex, f, args, nargs, res ? res : tmp, nres, err) == WEFT_OK) return WEFT_TRAP_NONE;
  return err->kind == WEFT_ERR_TRAP ? err->trap : WEFT_TRAP_COUNT_;
}

static void test_registration_errors(weft_runtime *rt, const uint8_t *probe, size_t probe_len) {
  weft_error err;
  struct {
    const char *sig, *why;
  } bad[] = {
      {NULL, "signature string is required"}, {"ii", "must start with '('"},
      {"(~*)", "'~' must follow '*'"},         {"(i)ii", "at most one result"},
      {"(q)", "unknown parameter letter"},     {"(i", "missing ')'"},
      {"(i)*", "the result must be one of"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    weft_native_symbol s[2] = {{"x1", (void *)n_dummy, "()i", NULL},
                               {"x2", (void *)n_dummy, bad[k].sig, NULL}};
    weft_status st = weft_register_natives(rt, "b", s, 2, false, &err);
    CHECK(st == WEFT_FAIL && strstr(err.message, bad[k].why),
          "bad signature %s%s%s rejected: %s", bad[k].sig ? "\"" : "",
          bad[k].sig ? bad[k].sig : "NULL", bad[k].sig ? "\"" : "", err.message);
  }
  /* the good entry of a rejected batch was not registered either */
  weft_module *m = weft_module_new(rt, probe, probe_len, &err);
  weft_instance *in = m ? weft_instantiate(rt, m, NULL, &err) : NULL;
  CHECK(!in && strstr(err.message, "unknown import"), "a rejected batch registers nothing (%s)",
        err.message);
  weft_instance_delete(in);
  weft_native_symbol nosym = {NULL, (void *)n_dummy, "()", NULL};
  CHECK(weft_register_natives(rt, "b", &nosym, 1, false, &err) == WEFT_FAIL,
        "a native without a symbol name is rejected: %s", err.message);

  /* direct-call limits of this ABI; raw natives have none */
  weft_native_symbol big = {"big", (void *)n_dummy, "(iiiiiiiiiiiiiiiiiiii)i", NULL};
  weft_status st = weft_register_natives(rt, "b", &big, 1, false, &err);
  CHECK(st == WEFT_FAIL && strstr(err.message, "register it raw"),
        "20 integer parameters: direct call refused: %s", err.message);
  CHECK(weft_register_natives(rt, "b", &big, 1, true, &err) == WEFT_OK,
        "20 integer parameters: accepted raw");
  weft_native_symbol fl = {"fl", (void *)n_dummy, "(fffffffff)", NULL};
  st = weft_register_natives(rt, "b", &fl, 1, false, &err);
  CHECK(st == WEFT_FAIL && strstr(err.message, "9 float"), "9 float parameters refused: %s",
        err.message);
  if (m) weft_module_delete(m);
}

static void test_letters(weft_exec *ex, weft_instance *a) {
  weft_error err;
  weft_slot r[1];
  uint8_t *base = weft_memory_data(weft_instance_default_memory(a));

  weft_slot mix[] = {I32((uint32_t)-5), I64(INT64_C(1) << 40), F32(1.5f), F64(2.25)};
  weft_trap t = call(ex, a, "mix", mix, 4, r, &err);
  CHECK(t == WEFT_TRAP_NONE && r[0].f64 == -5.0 + 1099511627776.0 + 1.5 + 2.25,
        "(iIfF)F: result %.17g", r[0].f64);
  CHECK(last.i[0] == -5 && last.i[1] == (INT64_C(1) << 40) && last.d[0] == 1.5 &&
            last.d[1] == 2.25,
        "(iIfF)F: i32 -5, i64 2^40, f32 1.5, f64 2.25 arrive as C values");

  weft_slot mix2[] = {F32(0.375f), I32((uint32_t)-7), F64(-3.5), I64(-(INT64_C(1) << 33))};
  CHECK(call(ex, a, "mix2", mix2, 4, r, &err) == WEFT_TRAP_NONE && r[0].f32 == 1.5f &&
            (r[0].i64 >> 32) == 0,
        "(fiFI)f: float result 1.5 (upper slot bits clear)");
  CHECK(last.d[0] == 0.375 && last.i[0] == -7 && last.d[1] == -3.5 &&
            last.i[1] == -(INT64_C(1) << 33),
        "(fiFI)f: arguments in order");

  weft_slot buf[] = {I32(16), I32(6)};
  t = call(ex, a, "buf", buf, 2, r, &err);
  CHECK(t == WEFT_TRAP_NONE && r[0].i32 == 'h' + 'e' + 'l' + 'l' + 'o',
        "(*~)i: sums \"hello\\0\" = %u", r[0].i32);
  CHECK(last.p == base + 16 && last.len == 6, "(*~)i: pointer is memory base + 16, length 6");
  CHECK(call(ex, a, "buf_plus", buf, 2, r, &err) == WEFT_TRAP_NONE &&
            r[0].i64 == 'h' + 'e' + 'l' + 'l' + 'o' + 1,
        "i32 result extends cleanly to i64 in wasm");

  weft_slot str[] = {I32(16)};
  t = call(ex, a, "str", str, 1, r, &err);
  CHECK(t == WEFT_TRAP_NONE && r[0].i32 == 5 && last.s == (const char *)base + 16,
        "($)i: string \"hello\" at base + 16, length %u", r[0].i32);

  weft_slot one[] = {I32(65535)};
  CHECK(call(ex, a, "one", one, 1, r, &err) == WEFT_TRAP_NONE && last.p == base + 65535,
        "(*)i: a lone * at the last byte of memory is accepted");

  weft_slot ref[] = {{.ref = 0x1234}};
  CHECK(call(ex, a, "ref", ref, 1, r, &err) == WEFT_TRAP_NONE && r[0].ref == 0x1235,
        "(r)r: externref in and out as uintptr_t");

  int before = last.calls;
  CHECK(call(ex, a, "void", NULL, 0, NULL, &err) == WEFT_TRAP_NONE && last.calls == before + 1,
        "(): no parameters, no result");

  weft_slot many[12];
  uint64_t expect = 0;
  for (int k = 0; k < 12; k++) {
    many[k] = I32((uint32_t)(k * 1000 - 5000));
    expect = expect * 31 + (uint64_t)(int64_t)(k * 1000 - 5000);
  }
  CHECK(call(ex, a, "many", many, 12, r, &err) == WEFT_TRAP_NONE && r[0].i64 == expect,
        "(iiiiiiiiiiii)I: 12 integer arguments in order (register and stack)");

  weft_slot wide[20];
  int64_t ie[12];
  double de[8];
  int ii = 0, di = 0;
  const char *wsig = "iFIfiFIfiFIfiFIfiiii";
  for (int k = 0; k < 20; k++) {
    switch (wsig[k]) {
    case 'i': ie[ii] = -(k + 1) * 7; wide[k] = I32((uint32_t)ie[ii]); ii++; break;
    case 'I': ie[ii] = (INT64_C(1) << 35) + k; wide[k] = I64(ie[ii]); ii++; break;
    case 'f': de[di] = k + 0.5; wide[k] = F32((float)de[di]); di++; break;
    default: de[di] = k * 1.25; wide[k] = F64(de[di]); di++; break;
    }
  }
  bool ok = call(ex, a, "wide", wide, 20, r, &err) == WEFT_TRAP_NONE &&
            r[0].f64 == de[0] + de[2] + de[4] + de[6];
  for (int k = 0; k < 12; k++) ok = ok && last.i[k] == ie[k];
  for (int k = 0; k < 8; k++) ok = ok && last.d[k] == de[k];
  CHECK(ok, "(iFIfiFIfiFIfiFIfiiii)F: 12 integer-class and 8 float arguments interleaved");

  weft_slot all[] = {I32(42), I64(-1),  F32(-0.5f), F64(1e300),
                     I32(20), I32(3), I32(16),     {.ref = 99}};
  CHECK(call(ex, a, "all", all, 8, r, &err) == WEFT_TRAP_NONE && r[0].i32 == (uint32_t)-3,
        "(iIfF*~$r)i: every letter in one signature");
  CHECK(last.i[0] == 42 && last.i[1] == -1 && last.d[0] == -0.5 && last.d[1] == 1e300 &&
            last.p == base + 20 && last.len == 3 && last.s == (const char *)base + 16 &&
            last.r == 99,
        "(iIfF*~$r)i: values and converted pointers");

  weft_slot raw[] = {I32(7), I32(17), I32(4), I32(16), F64(2.5), I64(-100)};
  CHECK(call(ex, a, "raw", raw, 6, r, &err) == WEFT_TRAP_NONE && (int64_t)r[0].i64 == 7 - 100 + 4,
        "raw (i*~$FI)I: result in args[0]");
  CHECK(last.i[0] == 7 && last.p == base + 17 && last.len == 4 &&
            last.s == (const char *)base + 16 && last.d[0] == 2.5 && last.i[1] == -100,
        "raw: cells hold i32, converted pointers, the ~ length, f64, i64");
  weft_slot rawf[] = {F32(1.25f)};
  CHECK(call(ex, a, "rawf", rawf, 1, r, &err) == WEFT_TRAP_NONE && r[0].f32 == 2.5f &&
            (r[0].i64 >> 32) == 0,
        "raw (f)f: f32 result, upper slot bits cleared");

  CHECK(call(ex, a, "att", NULL, 0, r, &err) == WEFT_TRAP_NONE && r[0].i32 == 0x77,
        "weft_exec_native_attachment inside the native");
  CHECK(weft_exec_native_attachment(ex) == NULL, "weft_exec_native_attachment outside: NULL");
}

/* Each out-of-bounds argument traps before the native runs. */
static void test_bounds(weft_exec *ex, weft_instance *a) {
  weft_error err;
  weft_slot r[1];
  struct {
    const char *fn;
    uint32_t a0, a1;
    bool traps;
    const char *what;
  } cases[] = {
      {"buf", 65532, 4, false, "*~ ending exactly at the end of memory"},
      {"buf", 65532, 5, true, "*~ one byte past the end"},
      {"buf", 65536, 0, false, "*~ of length 0 at the end"},
      {"buf", 65537, 0, true, "*~ of length 0 past the end"},
      {"buf", 0xFFFFFFFFu, 2, true, "*~ at 0xFFFFFFFF (no 32-bit wrap)"},
      {"buf", 16, 0x80000000u, true, "*~ with a 2 GiB length"},
      {"one", 65536, 0, true, "lone * at the end (needs 1 byte)"},
      {"str", 65532, 0, true, "$ without a NUL before the end"},
      {"str", 70000, 0, true, "$ past the end"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    weft_slot args[2] = {I32(cases[k].a0), I32(cases[k].a1)};
    uint32_t n = strcmp(cases[k].fn, "buf") == 0 ? 2 : 1;
    int before = last.calls;
    weft_trap t = call(ex, a, cases[k].fn, args, n, r, &err);
    if (cases[k].traps)
      CHECK(t == WEFT_TRAP_OOB_MEMORY && last.calls == before &&
                strcmp(err.message, "out of bounds memory access") == 0,
            "%s: traps \"%s\" before the native runs", cases[k].what, err.message);
    else
      CHECK(t == WEFT_TRAP_NONE && last.calls == before + 1, "%s: accepted", cases[k].what);
  }
  weft_slot raw[] = {I32(1), I32(65530), I32(7), I32(16), F64(0), I64(0)};
  int before = last.calls;
  CHECK(call(ex, a, "raw", raw, 6, r, &err) == WEFT_TRAP_OOB_MEMORY && last.calls == before,
        "raw: out-of-bounds *~ traps before the native runs");
  weft_slot all[] = {I32(0), I64(0), F32(0), F64(0), I32(0), I32(1), I32(65532), {.ref = 0}};
  CHECK(call(ex, a, "all", all, 8, r, &err) == WEFT_TRAP_OOB_MEMORY && last.calls == before,
        "a bad $ after a good * still stops the call");
}

static void test_instances(weft_exec *ex, weft_instance *a, weft_instance *b) {
  weft_error err;
  weft_slot r[1];
  expected_caller = a;
  CHECK(call(ex, a, "who", NULL, 0, r, &err) == WEFT_TRAP_NONE && r[0].i32 == 1,
        "weft_exec_caller_instance: instance A when A calls");
  CHECK(call(ex, b, "who", NULL, 0, r, &err) == WEFT_TRAP_NONE && r[0].i32 == 0,
        "weft_exec_caller_instance: not A when B calls");
  expected_caller = b;
  CHECK(call(ex, b, "who", NULL, 0, r, &err) == WEFT_TRAP_NONE && r[0].i32 == 1,
        "weft_exec_caller_instance: instance B when B calls");
  CHECK(weft_exec_caller_instance(ex) == NULL, "weft_exec_caller_instance outside a host call");
  weft_slot buf[] = {I32(16), I32(6)};
  uint8_t *bbase = weft_memory_data(weft_instance_default_memory(b));
  CHECK(call(ex, b, "buf", buf, 2, r, &err) == WEFT_TRAP_NONE && last.p == bbase + 16 &&
            bbase != weft_memory_data(weft_instance_default_memory(a)),
        "pointers convert into the calling instance's memory");
}

static void test_exit(weft_exec *ex, weft_instance *a) {
  weft_error err;
  weft_slot arg[] = {I32(7)};
  int before = last.calls;
  weft_trap t = call(ex, a, "bye", arg, 1, NULL, &err);
  int code = weft_exec_exit_code(ex);
  CHECK(t == WEFT_TRAP_EXIT && code == 7 && last.calls == before + 1 &&
            strcmp(err.message, "exit") == 0,
        "weft_exec_exit(7) in a native two wasm frames deep ends the call: trap \"%s\", code %d",
        err.message, code);
  weft_slot buf[] = {I32(16), I32(6)};
  weft_slot r[1];
  CHECK(call(ex, a, "buf", buf, 2, r, &err) == WEFT_TRAP_NONE, "the exec runs again after exit");
}

int main(void) {
  size_t len, plen;
  uint8_t *bytes = load_file(WASM_DIR "/natives.wasm", &len);
  uint8_t *probe = load_file(WASM_DIR "/probe.wasm", &plen);
  if (!bytes || !probe) return 1;
  weft_runtime *rt = weft_runtime_new(NULL);
  weft_error err;
  CHECK(weft_register_natives(rt, "t", direct_syms, sizeof direct_syms / sizeof direct_syms[0],
                              false, &err) == WEFT_OK,
        "register 13 direct natives %s", err.message);
  CHECK(weft_register_natives(rt, "t", raw_syms, 2, true, &err) == WEFT_OK,
        "register 2 raw natives %s", err.message);
  test_registration_errors(rt, probe, plen);

  weft_module *m = weft_module_new(rt, bytes, len, &err);
  weft_instance *a = m ? weft_instantiate(rt, m, NULL, &err) : NULL;
  weft_instance *b = m ? weft_instantiate(rt, m, NULL, &err) : NULL;
  weft_exec *ex = weft_exec_new(rt);
  if (!CHECK(a && b && ex, "two instances of natives.wasm link against the natives (%s)",
             err.message))
    return check_summary();
  test_letters(ex, a);
  test_bounds(ex, a);
  test_instances(ex, a, b);
  test_exit(ex, a);

  weft_exec_delete(ex);
  weft_instance_delete(a);
  weft_instance_delete(b);
  weft_module_delete(m);
  weft_runtime_delete(rt);
  free(bytes);
  free(probe);
  return check_summary();
}
