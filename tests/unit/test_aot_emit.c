/* test_aot_emit.c — the C emitter (src/aot/emit*.c) on small hand-assembled modules: the
 * output's frame (embedded headers first, descriptor last), prologue checks only where
 * needed, unused loop labels dropped, the shared-memory refusal, deep ifs as gotos, and that
 * prelude.h has a W_<NAME> macro for every typed numeric, load and store row of
 * opcodes.def. */
#include <stdlib.h>
#include "aot/aot.h"
#include "module/module.h"
#include "module/opcodes.h"
#include "wtest.h"

static const uint8_t HDR[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

/* (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
 * (func (param i32) (loop end))                 ;; a loop nothing branches to
 * (func (param i32) (loop (br_if 0 (local.get 0))))
 * (func (param i32) (result i32) (call 0 (local.get 0))) */
static const uint8_t FUNCS[] = {
    0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00,   /* types */
    0x03, 0x05, 0x04, 0x00, 0x01, 0x01, 0x00,                                 /* funcs */
    0x0a, 0x20, 0x04,                                                         /* code */
    0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b,
    0x05, 0x00, 0x03, 0x40, 0x0b, 0x0b,
    0x09, 0x00, 0x03, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x0b,
    0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b,
};

/* (memory 1 1 shared) */
static const uint8_t SHARED[] = {0x05, 0x04, 0x01, 0x03, 0x01, 0x01};

static wmodule *load(const uint8_t *body, size_t n) {
  uint8_t buf[1024];
  if (n + sizeof HDR > sizeof buf) return NULL;
  memcpy(buf, HDR, sizeof HDR);
  memcpy(buf + sizeof HDR, body, n);
  werr e;
  wmodule *m = wmod_decode(buf, sizeof HDR + n, &e);
  if (m && wmod_validate(m, 0, &e) != W_OK) { wmod_free(m); m = NULL; }
  if (!m) fprintf(stderr, "test_aot_emit: module: %s\n", e.msg);
  return m;
}

/* Emits m into a heap string (NULL on failure, *err set). */
static char *emit_opts(const wmodule *m, bool bounds, bool mt, bool async, werr *err) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  waot_emit_opts o = {bounds, mt, async};
  wstatus st = waot_emit_c(m, &o, 0x1122334455667788ull, f, err);
  fclose(f);
  if (st != W_OK) { free(text); return NULL; }
  return text;
}

static char *emit(const wmodule *m, bool bounds, bool mt, werr *err) {
  return emit_opts(m, bounds, mt, false, err);
}

/* The text of function wf_<i>'s definition (up to the next blank line), or "". */
static const char *func_text(const char *c, int i, char *buf, size_t n) {
  char head[64];
  snprintf(head, sizeof head, " wf_%d(struct wexec *e, winstance *inst, uint32_t l0) {", i);
  const char *p = strstr(c, head);
  const char *q = p ? strstr(p, "\n\n") : NULL;
  if (!p || !q || (size_t)(q - p) >= n) return "";
  memcpy(buf, p, (size_t)(q - p));
  buf[q - p] = 0;
  return buf;
}

static void test_frame(void) {
  wmodule *m = load(FUNCS, sizeof FUNCS);
  CHECK(m != NULL);
  if (!m) return;
  werr e;
  char *c = emit(m, false, false, &e);
  CHECK(c != NULL);
  if (c) {
    CHECK(strncmp(c, waot_header_text, strlen(waot_header_text)) == 0);
    CHECK_CONTAINS(c, "const waot_desc WAOT_DESC_SYMBOL = {");
    CHECK_CONTAINS(c, "0x1122334455667788ull");
    CHECK_CONTAINS(c, "static uint32_t wf_0(struct wexec *e, winstance *inst, uint32_t l0);");
    char buf[2048];
    const char *f0 = func_text(c, 0, buf, sizeof buf);
    CHECK_CONTAINS(f0, "W_I32_ADD(");
    CHECK(strstr(f0, "W_ENTER_CHECK") == NULL);           /* a leaf needs no check */
    const char *f1 = func_text(c, 1, buf, sizeof buf);
    CHECK(f1[0] != 0);
    CHECK(strstr(f1, "W_LOOP_CHECK") == NULL);            /* not a loop: label dropped */
    CHECK(strstr(f1, "L2:") == NULL);
    const char *f2 = func_text(c, 2, buf, sizeof buf);
    CHECK_CONTAINS(f2, "W_LOOP_CHECK();");
    CHECK_CONTAINS(f2, "goto L2;");
    const char *f3 = func_text(c, 3, buf, sizeof buf);
    CHECK_CONTAINS(f3, "W_ENTER_CHECK();");
    CHECK_CONTAINS(f3, "= wf_0(e, inst, ");
    CHECK(strstr(c, "W_CHK_") == NULL);                   /* guard mode */
    free(c);
  }
  c = emit(m, true, false, &e);
  CHECK(c != NULL && strstr(c, "#define W_CHK_") != NULL && strstr(c, "0x1122334455667788ull"));
  free(c);
  wmod_free(m);
}

/* (func (param i32) (loop (br_if 0 (local.get 0))))                  ;; pure
 * (func (param i32) (loop (br_if 0 (i32.popcnt (local.get 0)))))     ;; a libcall
 * (func (param i32) (loop (loop (br_if 0 (local.get 0))) (br_if 0 (i32.popcnt (local.get 0)))))
 * (func (param i32) (loop (loop (br_if 0 (local.get 0))) (br_if 0 (local.get 0))))   ;; both pure */
static const uint8_t LOOPS[] = {
    0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00,                                 /* types */
    0x03, 0x05, 0x04, 0x00, 0x00, 0x00, 0x00,                                 /* funcs */
    0x0a, 0x39, 0x04,                                                         /* code */
    0x09, 0x00, 0x03, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x0b,
    0x0a, 0x00, 0x03, 0x40, 0x20, 0x00, 0x69, 0x0d, 0x00, 0x0b, 0x0b,
    0x11, 0x00, 0x03, 0x40, 0x03, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x00, 0x69, 0x0d,
    0x00, 0x0b, 0x0b,
    0x10, 0x00, 0x03, 0x40, 0x03, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x00, 0x0d, 0x00,
    0x0b, 0x0b,
};

/* A pure loop (nothing in it leaves generated code) checks for a stop once, in front of
 * its label, when the runtime's interrupt signal covers it — and not at all inside a pure
 * loop; a loop with a libcall keeps its per-iteration check, and so does every loop
 * without async interrupts. */
static void test_pure_loop_check_hoisted(void) {
  wmodule *m = load(LOOPS, sizeof LOOPS);
  CHECK(m != NULL);
  if (!m) return;
  werr e;
  char buf[2048];
  char *c = emit_opts(m, false, false, true, &e);
  CHECK(c != NULL);
  if (c) {
    CHECK_CONTAINS(func_text(c, 0, buf, sizeof buf), "W_LOOP_CHECK(); L2:;");
    CHECK_CONTAINS(func_text(c, 1, buf, sizeof buf), "L2:; W_LOOP_CHECK();");
    const char *f2 = func_text(c, 2, buf, sizeof buf);
    CHECK_CONTAINS(f2, "L2:; W_LOOP_CHECK();");          /* the outer loop has the popcnt */
    CHECK_CONTAINS(f2, "W_LOOP_CHECK(); L3:;");          /* the inner one is pure */
    const char *f3 = func_text(c, 3, buf, sizeof buf);
    CHECK_CONTAINS(f3, "W_LOOP_CHECK(); L2:;");          /* the outer pure loop checks */
    CHECK(strstr(f3, "W_LOOP_CHECK(); L3:;") == NULL);    /* the inner: covered by it */
    CHECK_CONTAINS(f3, "L3:;");
    free(c);
  }
  c = emit_opts(m, false, false, false, &e);
  CHECK(c != NULL);
  if (c) {
    CHECK_CONTAINS(func_text(c, 0, buf, sizeof buf), "L2:; W_LOOP_CHECK();");
    CHECK_CONTAINS(func_text(c, 2, buf, sizeof buf), "L3:; W_LOOP_CHECK();");
    free(c);
  }
  wmod_free(m);
}

static void test_shared_memory(void) {
  wmodule *m = load(SHARED, sizeof SHARED);
  CHECK(m != NULL);
  if (!m) return;
  werr e;
  memset(&e, 0, sizeof e);
  char *c = emit(m, false, false, &e);
  CHECK(c == NULL);
  CHECK_EQ(e.kind, WERR_INVALID);
  CHECK_CONTAINS(e.msg, "--enable-multi-thread");
  c = emit(m, false, true, &e);
  CHECK(c != NULL);
  free(c);
  wmod_free(m);
}

/* 100 nested ifs: the outer ones are C ifs, the inner ones gotos (bracket limits). */
static void test_deep_if(void) {
  enum { D = 100 };
  uint8_t body[8 + 5 * D + 16];
  size_t n = 0;
  body[n++] = 0;                                          /* no locals */
  for (int k = 0; k < D; k++) { body[n++] = 0x20; body[n++] = 0x00; body[n++] = 0x04; body[n++] = 0x40; }
  for (int k = 0; k < D; k++) body[n++] = 0x0b;
  body[n++] = 0x0b;
  uint8_t mod[sizeof body + 32];
  size_t m = 0;
  const uint8_t head[] = {0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a};
  memcpy(mod, head, sizeof head);
  m = sizeof head;
  size_t sec = 1 + 2 + n;                                 /* count, 2-byte body size, body */
  mod[m++] = (uint8_t)(0x80 | (sec & 0x7f)); mod[m++] = (uint8_t)(sec >> 7);
  mod[m++] = 1;
  mod[m++] = (uint8_t)(0x80 | (n & 0x7f)); mod[m++] = (uint8_t)(n >> 7);
  memcpy(mod + m, body, n);
  m += n;
  wmodule *wm = load(mod, m);
  CHECK(wm != NULL);
  if (!wm) return;
  werr e;
  char *c = emit(wm, false, false, &e);
  CHECK(c != NULL);
  if (c) {
    CHECK_CONTAINS(c, "if (l0) {");
    CHECK_CONTAINS(c, "if (!l0) goto E");
    free(c);
  }
  wmod_free(wm);
}

/* Every typed row the emitter writes as W_<NAME>(...) has its macro in the prelude. */
static void test_prelude_covers_ops(void) {
  static const char *const names[WOP_COUNT_] = {
#define X(NAME, TEXT, PREFIX, CODE, IMM, SIG, MEMSIZE) #NAME,
#include "module/opcodes.def"
#undef X
  };
  for (int i = 0; i < WOP_COUNT_; i++) {
    const wopinfo *o = &wop_info[i];
    bool numeric = o->imm == WIMM_NONE && strcmp(o->sig, "*") && strcmp(o->sig, ":");
    bool access = o->prefix == 0 && o->memsize;
    if (!numeric && !access) continue;
    char def[64];
    snprintf(def, sizeof def, "#define W_%s(", names[i]);
    WT_RECORD(strstr(waot_header_text, def) != NULL, "prelude.h lacks %s...)", def);
  }
}

void test_aot_emit(void) {
  test_frame();
  test_pure_loop_check_hoisted();
  test_shared_memory();
  test_deep_if();
  test_prelude_covers_ops();
}
