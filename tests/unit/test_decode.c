/* test_decode.c — the binary decoder: malformed-module error paths (kind and message) on
 * hand-built byte arrays, and a full valid module decoded field by field. */
#include <stdlib.h>
#include "module/module.h"
#include "wtest.h"

/* A growable byte buffer for building modules. */
typedef struct { uint8_t b[4096]; size_t n; } buf;

static void put(buf *o, const void *p, size_t n) {
  if (o->n + n > sizeof o->b) abort();
  memcpy(o->b + o->n, p, n);
  o->n += n;
}
static void hdr(buf *o) { o->n = 0; put(o, "\0asm\1\0\0\0", 8); }
/* Appends section `id` with the given content (size < 128). */
static void sec(buf *o, uint8_t id, const void *content, size_t n) {
  uint8_t h[2] = {id, (uint8_t)n};
  if (n >= 128) abort();
  put(o, h, 2);
  put(o, content, n);
}
#define SEC(o, id, ...) \
  sec((o), (id), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))
#define RAW(o, ...) put((o), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* Decodes and expects failure of `kind` with `msg` in the message. */
static void bad_at(int line, const uint8_t *p, size_t n, werr_kind kind, const char *msg) {
  werr e;
  werr_clear(&e);
  wmodule *m = wmod_decode(p, n, &e);
  WT_RECORD(m == NULL, "line %d: module decoded, expected \"%s\"", line, msg);
  wmod_free(m);
  WT_RECORD(e.kind == kind, "line %d: kind %d, want %d (%s)", line, e.kind, kind, e.msg);
  WT_RECORD(strstr(e.msg, msg) != NULL, "line %d: message \"%s\" lacks \"%s\"", line, e.msg,
            msg);
}
#define BAD(o, msg) bad_at(__LINE__, (o)->b, (o)->n, WERR_MALFORMED, (msg))

/* Decodes and expects success. */
static wmodule *good_at(int line, const buf *o) {
  werr e;
  werr_clear(&e);
  wmodule *m = wmod_decode(o->b, o->n, &e);
  WT_RECORD(m != NULL, "line %d: decode failed: %s", line, e.msg);
  return m;
}
#define GOOD(o) good_at(__LINE__, (o))

static void header_errors(void) {
  buf o;
  o.n = 0;
  BAD(&o, "unexpected end");
  RAW(&o, 0, 'a', 's');
  BAD(&o, "unexpected end");
  o.n = 0;
  RAW(&o, 0, 'a', 's', 'n', 1, 0, 0, 0);
  BAD(&o, "magic header not detected");
  o.n = 0;
  RAW(&o, 'a', 's', 'm', 0, 1, 0, 0, 0);
  BAD(&o, "magic header not detected");
  o.n = 0;
  RAW(&o, 0, 'a', 's', 'm', 1, 0, 0);
  BAD(&o, "unexpected end");
  o.n = 0;
  RAW(&o, 0, 'a', 's', 'm', 2, 0, 0, 0);
  BAD(&o, "unknown binary version");
  o.n = 0;
  RAW(&o, 0, 'a', 's', 'm', 0, 0, 0, 1);
  BAD(&o, "unknown binary version");
  hdr(&o);
  wmodule *m = GOOD(&o);                          /* empty module */
  if (m) CHECK_EQ(m->nfuncs, 0);
  wmod_free(m);
}

static void section_errors(void) {
  buf o;
  hdr(&o);
  RAW(&o, 13, 0);
  BAD(&o, "malformed section id");
  hdr(&o);
  RAW(&o, 0x80, 0);
  BAD(&o, "malformed section id");
  hdr(&o);
  RAW(&o, 1);                                     /* id, no size */
  BAD(&o, "unexpected end");
  hdr(&o);
  RAW(&o, 1, 5, 1, 0x60);                         /* size beyond the file */
  BAD(&o, "length out of bounds");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0, 0);                   /* one byte left over */
  BAD(&o, "section size mismatch");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0);                         /* type truncated by its section */
  RAW(&o, 0);
  BAD(&o, "unexpected end of section or function");
  hdr(&o);
  SEC(&o, 3, 0);
  SEC(&o, 1, 0);                                  /* type after function */
  BAD(&o, "unexpected content after last section");
  hdr(&o);
  SEC(&o, 1, 0);
  SEC(&o, 1, 0);                                  /* duplicated */
  BAD(&o, "unexpected content after last section");
  hdr(&o);
  SEC(&o, 10, 0);
  SEC(&o, 12, 0);                                 /* datacount must precede code */
  BAD(&o, "unexpected content after last section");
  hdr(&o);
  SEC(&o, 12, 0);
  SEC(&o, 10, 0);
  SEC(&o, 0, 1, 'x');                             /* custom sections go anywhere */
  SEC(&o, 11, 0);
  wmod_free(GOOD(&o));
  hdr(&o);
  RAW(&o, 0, 0);                                  /* custom without a name */
  BAD(&o, "unexpected end");
  hdr(&o);
  SEC(&o, 1, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00); /* overlong count */
  BAD(&o, "integer representation too long");
  hdr(&o);
  SEC(&o, 1, 0x82, 0x80, 0x80, 0x80, 0x70);       /* count with junk bits */
  BAD(&o, "integer too large");
}

/* Huge counts with tiny input must fail cleanly without allocating. */
static void huge_counts(void) {
  static const uint8_t ids[] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 11};
  for (size_t i = 0; i < sizeof ids; i++) {
    buf o;
    hdr(&o);
    SEC(&o, ids[i], 0xff, 0xff, 0xff, 0xff, 0x0f);
    BAD(&o, "unexpected end");
  }
  buf o;
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0xff, 0xff, 0xff, 0xff, 0x0f, 0);  /* huge param count */
  BAD(&o, "unexpected end");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 7, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b); /* huge local group count */
  BAD(&o, "unexpected end");
  hdr(&o);
  SEC(&o, 5, 1, 0, 1);
  SEC(&o, 11, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f);       /* huge data length */
  BAD(&o, "unexpected end");
  hdr(&o);
  SEC(&o, 9, 1, 1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);     /* huge element count */
  BAD(&o, "unexpected end");
  hdr(&o);
  SEC(&o, 7, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0);     /* huge name length */
  BAD(&o, "length out of bounds");
}

static void utf8_errors(void) {
  static const uint8_t bad[][4] = {
      {1, 0x80},              /* lone continuation */
      {2, 0xc0, 0x80},        /* overlong NUL */
      {2, 0xc2, 0x41},        /* bad continuation */
      {3, 0xe0, 0x80, 0x80},  /* overlong 3-byte */
      {3, 0xed, 0xa0, 0x80},  /* surrogate U+D800 */
      {2, 0xe2, 0x82},        /* truncated */
      {1, 0xff},
      {1, 0xf8},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    buf o;
    uint8_t n = bad[i][0];
    /* as an export name */
    hdr(&o);
    uint8_t c[16] = {1, n};
    memcpy(c + 2, bad[i] + 1, n);
    c[2 + n] = 0;
    c[3 + n] = 0;
    sec(&o, 7, c, 4u + n);
    BAD(&o, "malformed UTF-8 encoding");
    /* as a custom section name */
    hdr(&o);
    sec(&o, 0, c + 1, 1u + n);
    BAD(&o, "malformed UTF-8 encoding");
    /* as an import module name */
    hdr(&o);
    uint8_t im[16] = {1, n};
    memcpy(im + 2, bad[i] + 1, n);
    memcpy(im + 2 + n, "\1f\0\0", 4);
    sec(&o, 2, im, 6u + n);
    BAD(&o, "malformed UTF-8 encoding");
  }
  /* valid multi-byte names: U+00E9, U+20AC, U+1F600, U+10FFFF */
  buf o;
  hdr(&o);
  SEC(&o, 0, 13, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x8f, 0xbf, 0xbf);
  wmod_free(GOOD(&o));
  hdr(&o);
  SEC(&o, 0, 4, 0xf4, 0x90, 0x80, 0x80);          /* U+110000 */
  BAD(&o, "malformed UTF-8 encoding");
}

static void entry_errors(void) {
  buf o;
  hdr(&o);
  SEC(&o, 1, 1, 0x61, 0, 0);
  BAD(&o, "malformed function type");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 1, 0x7b, 0);                /* v128 param */
  BAD(&o, "SIMD is not supported");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 1, 0x40, 0);
  BAD(&o, "malformed value type");
  hdr(&o);
  SEC(&o, 2, 1, 0, 0, 4, 0);
  BAD(&o, "malformed import kind");
  hdr(&o);
  SEC(&o, 2, 1, 0, 0, 3, 0x7f, 2);
  BAD(&o, "malformed mutability");
  hdr(&o);
  SEC(&o, 6, 1, 0x7f, 0xff, 0x41, 0, 0x0b);
  BAD(&o, "malformed mutability");
  hdr(&o);
  SEC(&o, 6, 1, 0x7b, 0, 0x41, 0, 0x0b);          /* v128 global */
  BAD(&o, "SIMD is not supported");
  hdr(&o);
  SEC(&o, 4, 1, 0x70, 2, 0);                      /* tables cannot be shared */
  BAD(&o, "integer too large");
  hdr(&o);
  SEC(&o, 4, 1, 0x7f, 0, 0);
  BAD(&o, "malformed reference type");
  hdr(&o);
  SEC(&o, 5, 1, 4, 0);
  BAD(&o, "integer too large");
  hdr(&o);
  SEC(&o, 5, 1, 0x81, 0, 0);
  BAD(&o, "integer representation too long");
  hdr(&o);
  SEC(&o, 7, 1, 0, 4, 0);
  BAD(&o, "malformed export kind");
  hdr(&o);
  SEC(&o, 6, 1, 0x7f, 0, 0x41, 0);                /* constant expression without end */
  BAD(&o, "unexpected end");
  hdr(&o);
  SEC(&o, 6, 1, 0x7f, 0, 0xf3, 0x0b);             /* illegal opcode in a constant */
  BAD(&o, "illegal opcode");
  hdr(&o);
  SEC(&o, 9, 1, 8, 0);
  BAD(&o, "malformed elements segment kind");
  hdr(&o);
  SEC(&o, 9, 1, 1, 1, 0);                         /* element kind must be 0 */
  BAD(&o, "malformed element kind");
  hdr(&o);
  SEC(&o, 9, 1, 5, 0x7f, 0);
  BAD(&o, "malformed reference type");
  hdr(&o);
  SEC(&o, 11, 1, 3, 0);
  BAD(&o, "malformed data segment kind");
  hdr(&o);
  SEC(&o, 11, 1, 1, 3, 'a', 'b');                 /* data shorter than declared */
  BAD(&o, "unexpected end of section or function");
}

static void function_errors(void) {
  buf o;
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);                               /* function without code */
  BAD(&o, "function and code section have inconsistent lengths");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 10, 1, 2, 0, 0x0b);                     /* code without function */
  BAD(&o, "function and code section have inconsistent lengths");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 3, 0, 0x41, 0x00);               /* no final end */
  BAD(&o, "END opcode expected");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 5, 0, 0x0b);                     /* body larger than the section */
  BAD(&o, "unexpected end of section or function");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 8, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7f, 0x0b); /* 2^32 locals */
  BAD(&o, "integer too large");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 14, 2, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x04,
      0x7e, 0x0b);                                /* 2^31 locals in two groups */
  BAD(&o, "too many locals");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 6, 1, 0xd1, 0x86, 0x03, 0x7f, 0x0b); /* 50001 locals: over the cap */
  BAD(&o, "too many locals");
  hdr(&o);
  SEC(&o, 1, 1, 0x60, 0, 0);
  SEC(&o, 3, 1, 0);
  SEC(&o, 10, 1, 4, 1, 1, 0x7b, 0x0b);            /* v128 local */
  BAD(&o, "SIMD is not supported");
  hdr(&o);
  SEC(&o, 5, 1, 0, 1);
  SEC(&o, 12, 2);
  SEC(&o, 11, 1, 1, 0);
  BAD(&o, "data count and data section have inconsistent lengths");
  hdr(&o);
  SEC(&o, 12, 1);                                 /* datacount without data section */
  BAD(&o, "data count and data section have inconsistent lengths");
}

/* A module using every section, checked field by field. */
static void valid_module(void) {
  buf o;
  hdr(&o);
  SEC(&o, 1, 2, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0);          /* (i32 i32)->i32, ()->() */
  SEC(&o, 2, 2, 3, 'e', 'n', 'v', 1, 'f', 0, 1,                     /* func env.f : type 1 */
      3, 'e', 'n', 'v', 1, 'g', 3, 0x7e, 0);                        /* global i64 const */
  SEC(&o, 3, 2, 0, 1);
  SEC(&o, 4, 1, 0x70, 1, 1, 10);                                    /* funcref 1..10 */
  SEC(&o, 5, 1, 3, 1, 2);                                           /* shared 1..2 */
  SEC(&o, 6, 1, 0x7f, 1, 0x41, 42, 0x0b);                           /* mut i32 = 42 */
  SEC(&o, 7, 2, 3, 'a', 'd', 'd', 0, 1, 3, 'm', 'e', 'm', 2, 0);
  SEC(&o, 8, 2);
  SEC(&o, 9, 3,
      0, 0x41, 0, 0x0b, 2, 1, 2,                                    /* active, indices */
      5, 0x70, 2, 0xd2, 1, 0x0b, 0xd0, 0x70, 0x0b,                  /* passive, exprs */
      3, 0, 1, 2);                                                  /* declarative */
  SEC(&o, 12, 2);
  SEC(&o, 10, 2,
      11, 2, 2, 0x7f, 1, 0x7e, 0x20, 0, 0x20, 1, 0x6a, 0x0b,        /* add with 3 locals */
      2, 0, 0x0b);
  SEC(&o, 11, 2, 0, 0x41, 8, 0x0b, 3, 'a', 'b', 'c', 1, 2, 'x', 'y');
  SEC(&o, 0, 4, 'n', 'a', 'm', 'e',
      0, 4, 3, 'm', 'o', 'd',                                       /* module name */
      1, 9, 2, 1, 3, 'a', 'd', 'd', 2, 1, 'h');                     /* func names */
  wmodule *m = GOOD(&o);
  if (!m) return;
  CHECK_EQ(m->ntypes, 2);
  CHECK_EQ(m->types[0].nparams, 2);
  CHECK_EQ(m->types[0].nresults, 1);
  CHECK_EQ(WFT_RESULT(&m->types[0], 0), WT_I32);
  CHECK_EQ(m->nimports, 2);
  CHECK_STR(m->imports[0].module, "env");
  CHECK_STR(m->imports[1].name, "g");
  CHECK_EQ(m->imports[1].kind, WEXT_GLOBAL);
  CHECK_EQ(m->nfuncs, 3);
  CHECK_EQ(m->nimported_funcs, 1);
  CHECK_EQ(m->func_types[0], 1);
  CHECK_EQ(m->func_types[1], 0);
  CHECK_EQ(m->func_types[2], 1);
  CHECK_EQ(wmod_func_type(m, 1)->nparams, 2);
  CHECK_EQ(m->funcs[0].nlocals, 3);
  CHECK_EQ(m->funcs[0].local_types[1], WT_I32);
  CHECK_EQ(m->funcs[0].local_types[2], WT_I64);
  CHECK_EQ(m->funcs[0].code_len, 6);
  CHECK_EQ(m->funcs[0].code[0], 0x20);
  CHECK_EQ(m->funcs[0].code + m->funcs[0].code_len - m->bytes,
           m->funcs[0].code_offset + m->funcs[0].code_len);
  CHECK_EQ(m->funcs[1].nlocals, 0);
  CHECK_EQ(m->ntables, 1);
  CHECK_EQ(m->tables[0].lim.max, 10);
  CHECK(m->tables[0].lim.has_max);
  CHECK_EQ(m->nmems, 1);
  CHECK(m->mems[0].lim.shared);
  CHECK_EQ(m->mems[0].lim.max, 2);
  CHECK_EQ(m->nglobals, 2);
  CHECK_EQ(m->nimported_globals, 1);
  CHECK_EQ(m->globals[0].type.type, WT_I64);
  CHECK(m->globals[1].type.mut);
  CHECK_EQ(m->globals[1].init.len, 3);
  CHECK_EQ(m->globals[1].init.code[1], 42);
  CHECK_EQ(m->nexports, 2);
  CHECK_STR(m->exports[0].name, "add");
  CHECK_EQ(m->exports[1].kind, WEXT_MEMORY);
  CHECK(m->has_start);
  CHECK_EQ(m->start, 2);
  CHECK_EQ(m->nelems, 3);
  CHECK_EQ(m->elems[0].mode, WSEG_ACTIVE);
  CHECK_EQ(m->elems[0].count, 2);
  CHECK_EQ(m->elems[0].funcs[1], 2);
  CHECK_EQ(m->elems[0].offset.len, 3);
  CHECK_EQ(m->elems[1].mode, WSEG_PASSIVE);
  CHECK(m->elems[1].exprs != NULL);
  CHECK_EQ(m->elems[1].exprs[1].len, 3);
  CHECK_EQ(m->elems[2].mode, WSEG_DECLARATIVE);
  CHECK(m->has_datacount);
  CHECK_EQ(m->ndatas, 2);
  CHECK_EQ(m->datas[0].len, 3);
  CHECK(memcmp(m->datas[0].bytes, "abc", 3) == 0);
  CHECK_EQ(m->datas[1].mode, WSEG_PASSIVE);
  CHECK_STR(m->name, "mod");
  char nb[32];
  CHECK_STR(wmod_func_name(m, 1, nb, sizeof nb), "add");
  CHECK_STR(wmod_func_name(m, 2, nb, sizeof nb), "h");
  CHECK_STR(wmod_func_name(m, 0, nb, sizeof nb), "$f0");
  CHECK_STR(wvaltype_name(WT_EXTERNREF), "externref");
  wmod_free(m);

  /* a malformed name section is ignored, not an error */
  hdr(&o);
  SEC(&o, 0, 4, 'n', 'a', 'm', 'e', 1, 5, 1, 7, 2, 'a');
  m = GOOD(&o);
  if (m) CHECK(m->func_names == NULL && m->name == NULL);
  wmod_free(m);
  hdr(&o);
  SEC(&o, 0, 4, 'n', 'a', 'm', 'e', 0, 3, 2, 0xc0, 0x80);            /* bad UTF-8 inside */
  m = GOOD(&o);
  if (m) CHECK(m->name == NULL);
  wmod_free(m);
}

void test_decode(void) {
  header_errors();
  section_errors();
  huge_counts();
  utf8_errors();
  entry_errors();
  function_errors();
  valid_module();
}
