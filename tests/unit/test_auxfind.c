/* test_auxfind.c — wmod_find_aux_stack (src/module/auxstack.c): which global is the stack
 * pointer and the stack's bounds, for wasm-ld's two layouts (data then stack, and
 * --stack-first), with and without the __data_end export, active and passive data, the
 * name section, an imported (PIC) stack pointer, and stacks too small to use. Modules are
 * assembled here byte by byte. */
#include <string.h>
#include "weft.h"
#include "module/module.h"
#include "wtest.h"

/* A tiny module assembler: sections appended to a fixed buffer. */
typedef struct { uint8_t b[1024]; size_t n; } mbuf;

static void put(mbuf *m, uint8_t v) { if (m->n < sizeof m->b) m->b[m->n++] = v; }
static void leb_u(mbuf *m, uint32_t v) {
  do { uint8_t c = v & 0x7f; v >>= 7; put(m, (uint8_t)(c | (v ? 0x80 : 0))); } while (v);
}
static void leb_s(mbuf *m, int32_t v) {
  for (;;) {
    uint8_t c = v & 0x7f;
    v >>= 7;   /* arithmetic shift on every compiler weft supports */
    bool done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
    put(m, (uint8_t)(c | (done ? 0 : 0x80)));
    if (done) return;
  }
}
static void name(mbuf *m, const char *s) {
  leb_u(m, (uint32_t)strlen(s));
  for (; *s; s++) put(m, (uint8_t)*s);
}
/* Appends section `id` with the contents of `body`. */
static void section(mbuf *m, uint8_t id, const mbuf *body) {
  put(m, id);
  leb_u(m, (uint32_t)body->n);
  for (size_t i = 0; i < body->n; i++) put(m, body->b[i]);
}

/* What a test module has. */
typedef struct {
  bool import_sp;                /* an imported mutable i32 global first (PIC-style) */
  bool shared;                   /* memory 0 shared (then data is passive) */
  uint32_t nglobals;             /* defined mutable i32 globals, initialised to init[k] */
  int32_t init[3];
  const char *export_sp;         /* export defined global sp_idx under this name, or NULL */
  uint32_t sp_idx;
  int64_t data_end;              /* export an immutable __data_end global, -1: none */
  uint32_t ndata;                /* data segments: active at off[k] (or passive), len[k] */
  uint32_t off[2], len[2];
  bool passive;
  int64_t named_sp;              /* name-section name __stack_pointer for this global, -1 */
} spec;

/* Assembles s into m. */
static void build(mbuf *m, const spec *s) {
  static const uint8_t hdr[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  m->n = 0;
  for (int i = 0; i < 8; i++) put(m, hdr[i]);
  mbuf b;
  uint32_t nimp = s->import_sp ? 1 : 0;
  if (nimp) {
    b.n = 0;
    leb_u(&b, 1);
    name(&b, "env");
    name(&b, "__stack_pointer");
    put(&b, 3); put(&b, 0x7f); put(&b, 1);
    section(m, 2, &b);
  }
  b.n = 0;                                   /* memory: 2 pages (shared: max 2) */
  leb_u(&b, 1);
  if (s->shared) { put(&b, 3); leb_u(&b, 2); leb_u(&b, 2); } else { put(&b, 0); leb_u(&b, 2); }
  section(m, 5, &b);
  b.n = 0;
  uint32_t nglob = s->nglobals + (s->data_end >= 0 ? 1 : 0);
  leb_u(&b, nglob);
  for (uint32_t k = 0; k < s->nglobals; k++) {
    put(&b, 0x7f); put(&b, 1); put(&b, 0x41); leb_s(&b, s->init[k]); put(&b, 0x0b);
  }
  if (s->data_end >= 0) {
    put(&b, 0x7f); put(&b, 0); put(&b, 0x41); leb_s(&b, (int32_t)s->data_end); put(&b, 0x0b);
  }
  section(m, 6, &b);
  b.n = 0;
  uint32_t nexp = (s->export_sp ? 1 : 0) + (s->data_end >= 0 ? 1 : 0);
  leb_u(&b, nexp);
  if (s->export_sp) { name(&b, s->export_sp); put(&b, 3); leb_u(&b, nimp + s->sp_idx); }
  if (s->data_end >= 0) { name(&b, "__data_end"); put(&b, 3); leb_u(&b, nimp + s->nglobals); }
  section(m, 7, &b);
  if (s->ndata) {
    b.n = 0;
    leb_u(&b, s->ndata);
    for (uint32_t k = 0; k < s->ndata; k++) {
      if (s->passive) {
        put(&b, 1);
      } else {
        put(&b, 0); put(&b, 0x41); leb_s(&b, (int32_t)s->off[k]); put(&b, 0x0b);
      }
      leb_u(&b, s->len[k]);
      for (uint32_t i = 0; i < s->len[k]; i++) put(&b, 0xAB);
    }
    section(m, 11, &b);
  }
  if (s->named_sp >= 0) {                    /* name section, global names (subsection 7) */
    mbuf sub, body;
    sub.n = 0;
    leb_u(&sub, 1);
    leb_u(&sub, (uint32_t)s->named_sp);
    name(&sub, "__stack_pointer");
    body.n = 0;
    name(&body, "name");
    put(&body, 7);
    leb_u(&body, (uint32_t)sub.n);
    for (size_t i = 0; i < sub.n; i++) put(&body, sub.b[i]);
    section(m, 0, &body);
  }
}

/* Loads s and returns its aux stack record (found = false when loading failed: CHECKed). */
static wauxstack find(const spec *s) {
  static mbuf m;
  build(&m, s);
  wauxstack a;
  memset(&a, 0, sizeof a);
  weft_error err;
  weft_runtime *rt = weft_runtime_new(NULL);
  weft_module *mod = weft_module_new(rt, m.b, m.n, &err);
  CHECK(mod != NULL);
  if (mod) a = mod->aux_stack;
  weft_module_delete(mod);
  weft_runtime_delete(rt);
  return a;
}

static spec base(void) {
  spec s;
  memset(&s, 0, sizeof s);
  s.nglobals = 1;
  s.init[0] = 70000;
  s.data_end = -1;
  s.named_sp = -1;
  return s;
}

/* wasm-ld's default layout: data, then the stack up to __stack_pointer's initial value. */
static void default_layout(void) {
  spec s = base();
  s.export_sp = "__stack_pointer";
  s.data_end = 1060;                         /* rounded up to 16 */
  s.ndata = 1; s.off[0] = 1024; s.len[0] = 36;
  wauxstack a = find(&s);
  CHECK(a.found && a.bounded);
  CHECK_EQ(a.global, 0);
  CHECK_EQ(a.lo, 1072);
  CHECK_EQ(a.hi, 70000);
  /* without the export, the end of the highest active segment below the stack */
  s.data_end = -1;
  s.ndata = 2; s.off[1] = 2000; s.len[1] = 8;
  a = find(&s);
  CHECK(a.found && a.bounded);
  CHECK_EQ(a.lo, 2016);
  CHECK_EQ(a.hi, 70000);
}

/* --stack-first: the stack is [0, hi) and the data lies above it. */
static void stack_first(void) {
  spec s = base();
  s.init[0] = 65536;
  s.data_end = 66000;
  s.ndata = 1; s.off[0] = 65536; s.len[0] = 100;
  wauxstack a = find(&s);
  CHECK(a.found && a.bounded);
  CHECK_EQ(a.lo, 0);
  CHECK_EQ(a.hi, 65536);
  s.data_end = -1;                           /* the data's place says the same */
  a = find(&s);
  CHECK(a.found && a.bounded);
  CHECK_EQ(a.lo, 0);
}

/* Shared memory: wasm-ld makes every segment passive, so without __data_end nothing says
 * where the stack ends; with it the bounds are known. */
static void passive_data(void) {
  spec s = base();
  s.shared = true;
  s.passive = true;
  s.ndata = 1; s.len[0] = 16;
  wauxstack a = find(&s);
  CHECK(a.found && !a.bounded);
  s.data_end = 1040;
  a = find(&s);
  CHECK(a.found && a.bounded);
  CHECK_EQ(a.lo, 1040);
}

/* Which global: the name section's __stack_pointer, the export, else the first defined
 * mutable i32 global with a constant initialiser; an imported stack pointer is not ours. */
static void which_global(void) {
  spec s = base();
  s.nglobals = 3;
  s.init[0] = 5; s.init[1] = 60000; s.init[2] = 7;
  s.named_sp = 1;
  s.data_end = 1024;
  wauxstack a = find(&s);
  CHECK(a.found && a.bounded);
  CHECK_EQ(a.global, 1);
  CHECK_EQ(a.hi, 60000);
  s.named_sp = -1;
  s.export_sp = "__stack_pointer";
  s.sp_idx = 1;
  a = find(&s);
  CHECK_EQ(a.global, 1);
  s.export_sp = NULL;                        /* first candidate: global 0 (5): too small */
  a = find(&s);
  CHECK(a.found && !a.bounded);
  CHECK_EQ(a.global, 0);
  spec p = base();                           /* PIC: the stack pointer is imported */
  p.import_sp = true;
  p.nglobals = 0;
  p.named_sp = 0;
  a = find(&p);
  CHECK(!a.found);
}

/* Bounds that leave less than 16 bytes, or a data end above a low pointer, are unusable. */
static void too_small(void) {
  spec s = base();
  s.init[0] = 1032;
  s.data_end = 1024;
  wauxstack a = find(&s);
  CHECK(a.found && !a.bounded);
}

void test_auxfind(void) {
  default_layout();
  stack_first();
  passive_data();
  which_global();
  too_small();
}
