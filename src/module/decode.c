/* decode.c — the binary decoder: bytes → wmodule (see module.h).
 *
 * Implements the WebAssembly 2.0 binary format plus the threads proposal's shared-memory
 * limits flags. Only structure is decoded here: function bodies are kept as byte ranges
 * (the validator decodes their instructions) and constant expressions are captured as the
 * byte range through their final `end`. Messages use the spec test suite's texts, followed
 * by "(section N at offset 0x..)".
 *
 * Safety invariants: every read is bounded by the current section's end (d->end), and no
 * allocation is sized by an untrusted count before checking that the remaining bytes could
 * hold that many entries (each entry needs at least `min` bytes), so a tiny input can never
 * cause a huge allocation or an overflow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "module.h"
#include "reader.h"
#include "../util/leb128.h"

/* Practical cap on the declared locals of one function (the spec allows 2^32-1). */
#define WEFT_MAX_LOCALS 50000u

/* Decoder cursor: p walks [p, end) where end is the current section's end (or the file's
 * end between sections); sec is the section id being decoded, -1 outside any section. */
typedef struct {
  const uint8_t *base, *p, *end, *file_end;
  int sec;
  werr *err;
  wmodule *m;
} dctx;

static uint32_t doff(const dctx *d, const uint8_t *at) { return (uint32_t)(at - d->base); }

/* Sets a WERR_MALFORMED error "<why> (section N at offset 0x..)" located at `at`. */
static wstatus W_PRINTF(3, 4) derr(dctx *d, const uint8_t *at, const char *fmt, ...) {
  char why[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  if (d->sec >= 0)
    return werr_set(d->err, WERR_MALFORMED, "%s (section %d at offset 0x%x)", why, d->sec,
                    doff(d, at));
  return werr_set(d->err, WERR_MALFORMED, "%s (at offset 0x%x)", why, doff(d, at));
}

static wstatus oom(dctx *d) {
  return werr_set(d->err, WERR_RESOURCE, "out of memory while decoding module");
}

/* The spec's message for running off the end: inside a section it names the section. */
static const char *end_msg(const dctx *d) {
  return d->sec >= 0 ? "unexpected end of section or function" : "unexpected end";
}

static wstatus rd_byte(dctx *d, uint8_t *b) {
  if (d->p >= d->end) return derr(d, d->p, "%s", end_msg(d));
  *b = *d->p++;
  return W_OK;
}

/* Reads a u32 LEB128 bounded by the section end. */
static wstatus rd_u32(dctx *d, uint32_t *v) {
  const char *why = NULL;
  size_t n = wleb_u32(d->p, d->end, v, &why);
  if (!n) {
    /* Truncated by the section end: like the spec's decoder, report an overlong or
     * too-large encoding if the bytes beyond the section show one. */
    if (strcmp(why, "unexpected end") == 0 && d->end < d->file_end &&
        (wleb_u32(d->p, d->file_end, v, &why) || strcmp(why, "unexpected end") == 0))
      why = end_msg(d);
    else if (strcmp(why, "unexpected end") == 0)
      why = end_msg(d);
    return derr(d, d->p, "%s", why);
  }
  d->p += n;
  return W_OK;
}

/* Reads a vector count and checks that the remaining bytes could hold that many entries
 * (each takes at least one byte), which bounds every allocation by the input size. */
static wstatus rd_count(dctx *d, uint32_t *n, const char *what) {
  const uint8_t *at = d->p;
  if (rd_u32(d, n)) return W_ERR;
  if (*n > (uint64_t)(d->end - d->p))
    return derr(d, at, "%s: %u %s cannot fit in the remaining %u bytes", end_msg(d), *n, what,
                (uint32_t)(d->end - d->p));
  return W_OK;
}

/* Returns true when [s, s+len) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
static bool utf8_valid(const uint8_t *s, uint32_t len) {
  uint32_t i = 0;
  while (i < len) {
    uint8_t c = s[i];
    if (c < 0x80) { i++; continue; }
    uint32_t n, cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return false;
    if (len - i - 1 < n) return false;
    for (uint32_t k = 1; k <= n; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;  /* overlong */
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;                         /* surrogate */
    if (cp > 0x10FFFF) return false;
    i += n + 1;
  }
  return true;
}

/* Reads a name (vec(byte), UTF-8) as a pointer into the binary. */
static wstatus rd_name_raw(dctx *d, const uint8_t **s, uint32_t *len) {
  const uint8_t *at = d->p;
  if (rd_u32(d, len)) return W_ERR;
  if (*len > (uint64_t)(d->end - d->p))
    return derr(d, at, "length out of bounds: name of %u bytes", *len);
  if (!utf8_valid(d->p, *len)) return derr(d, d->p, "malformed UTF-8 encoding");
  *s = d->p;
  d->p += *len;
  return W_OK;
}

/* NUL-terminated heap copy of len bytes; NULL when out of memory. */
static char *dupn(const uint8_t *s, uint32_t len) {
  char *c = malloc((size_t)len + 1);
  if (!c) return NULL;
  if (len) memcpy(c, s, len);
  c[len] = 0;
  return c;
}

/* Reads a name into a fresh NUL-terminated copy. */
static wstatus rd_name(dctx *d, char **out, uint32_t *len) {
  const uint8_t *s;
  if (rd_name_raw(d, &s, len)) return W_ERR;
  if (!(*out = dupn(s, *len))) return oom(d);
  return W_OK;
}

static bool is_numtype(uint8_t b) {
  return b == WT_I32 || b == WT_I64 || b == WT_F32 || b == WT_F64;
}
static bool is_reftype(uint8_t b) { return b == WT_FUNCREF || b == WT_EXTERNREF; }

static wstatus rd_valtype(dctx *d, uint8_t *t) {
  const uint8_t *at = d->p;
  if (rd_byte(d, t)) return W_ERR;
  if (*t == WT_V128) return derr(d, at, "SIMD is not supported (v128 value type)");
  if (!is_numtype(*t) && !is_reftype(*t)) return derr(d, at, "malformed value type 0x%02x", *t);
  return W_OK;
}

static wstatus rd_reftype(dctx *d, uint8_t *t) {
  const uint8_t *at = d->p;
  if (rd_byte(d, t)) return W_ERR;
  if (!is_reftype(*t)) return derr(d, at, "malformed reference type 0x%02x", *t);
  return W_OK;
}

/* Limits: a one-byte flag (read as a 1-byte LEB, as the spec does), min, optional max.
 * Tables allow flags 0/1; memories also 2/3 (threads: shared). */
static wstatus rd_limits(dctx *d, wlimits *l, bool memory) {
  const uint8_t *at = d->p;
  uint8_t f = 0;
  if (rd_byte(d, &f)) return W_ERR;
  if (f & 0x80) return derr(d, at, "integer representation too long (limits flag)");
  if (f > (memory ? 3 : 1)) return derr(d, at, "integer too large (limits flag 0x%02x)", f);
  uint32_t v;
  if (rd_u32(d, &v)) return W_ERR;
  l->min = v;
  l->has_max = f & 1;
  l->shared = (f & 2) != 0;
  l->max = 0;
  if (l->has_max) {
    if (rd_u32(d, &v)) return W_ERR;
    l->max = v;
  }
  return W_OK;
}

static wstatus rd_globaltype(dctx *d, wglobaltype *g) {
  if (rd_valtype(d, &g->type)) return W_ERR;
  const uint8_t *at = d->p;
  uint8_t mut = 0;
  if (rd_byte(d, &mut)) return W_ERR;
  if (mut > 1) return derr(d, at, "malformed mutability 0x%02x", mut);
  g->mut = mut;
  return W_OK;
}

/* Captures a constant expression: walks instructions with the shared reader until the
 * `end` at depth 0 and records the byte range (the validator checks the contents). */
static wstatus rd_constexpr(dctx *d, wconstexpr *ce) {
  wreader r = {d->p, d->end, d->base};
  uint32_t depth = 0;
  for (;;) {
    winstr in;
    if (wreader_next(&r, &in, d->err)) {
      /* the reader's messages carry the offset; add the section and the spec's text */
      char msg[sizeof d->err->msg];
      if (!d->err) return W_ERR;
      if (strncmp(d->err->msg, "unexpected end", 14) == 0)
        snprintf(msg, sizeof msg, "unexpected end of section or function (constant "
                 "expression%s, section %d)", d->err->msg + 14, d->sec);
      else
        snprintf(msg, sizeof msg, "%.400s (section %d)", d->err->msg, d->sec);
      memcpy(d->err->msg, msg, sizeof msg);
      return W_ERR;
    }
    if (in.op == WOP_BLOCK || in.op == WOP_LOOP || in.op == WOP_IF) depth++;
    else if (in.op == WOP_END) {
      if (depth == 0) break;
      depth--;
    }
  }
  ce->code = d->p;
  ce->len = (uint32_t)(r.p - d->p);
  ce->offset = doff(d, d->p);
  d->p = r.p;
  return W_OK;
}

/* Grows *arr (of `old` elements of size sz) to old + add zeroed elements. */
static wstatus grow(dctx *d, void **arr, uint32_t old, uint32_t add, size_t sz) {
  size_t n = (size_t)old + add;
  if (n == 0) return W_OK;
  void *a = realloc(*arr, n * sz);
  if (!a) return oom(d);
  memset((char *)a + (size_t)old * sz, 0, (size_t)add * sz);
  *arr = a;
  return W_OK;
}

/* ---- sections ---- */

static wstatus sec_type(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "types")) return W_ERR;
  if (n && !(m->types = calloc(n, sizeof *m->types))) return oom(d);
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = d->p;
    uint8_t form = 0;
    if (rd_byte(d, &form)) return W_ERR;
    if (form & 0x80) return derr(d, at, "integer representation too long (function type form)");
    if (form != 0x60) return derr(d, at, "malformed function type 0x%02x", form);
    wfunctype *ft = &m->types[i];
    m->ntypes = i + 1;
    uint32_t np, nr;
    if (rd_count(d, &np, "parameter types")) return W_ERR;
    const uint8_t *ps = d->p;
    for (uint32_t k = 0; k < np; k++) {
      uint8_t t;
      if (rd_valtype(d, &t)) return W_ERR;
    }
    if (rd_count(d, &nr, "result types")) return W_ERR;
    const uint8_t *rs = d->p;
    for (uint32_t k = 0; k < nr; k++) {
      uint8_t t;
      if (rd_valtype(d, &t)) return W_ERR;
    }
    if (!(ft->types = malloc((size_t)np + nr + 1))) return oom(d);
    memcpy(ft->types, ps, np);
    memcpy(ft->types + np, rs, nr);
    ft->nparams = np;
    ft->nresults = nr;
  }
  return W_OK;
}

static wstatus sec_import(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "imports")) return W_ERR;
  if (n && !(m->imports = calloc(n, sizeof *m->imports))) return oom(d);
  for (uint32_t i = 0; i < n; i++) {
    wimport *im = &m->imports[i];
    m->nimports = i + 1;
    if (rd_name(d, &im->module, &im->module_len)) return W_ERR;
    if (rd_name(d, &im->name, &im->name_len)) return W_ERR;
    const uint8_t *at = d->p;
    uint8_t kind = 0;
    if (rd_byte(d, &kind)) return W_ERR;
    switch (kind) {
    case WEXT_FUNC: {
      if (rd_u32(d, &im->u.func_type)) return W_ERR;
      if (grow(d, (void **)&m->func_types, m->nfuncs, 1, sizeof *m->func_types)) return W_ERR;
      m->func_types[m->nfuncs++] = im->u.func_type;
      m->nimported_funcs = m->nfuncs;
      break;
    }
    case WEXT_TABLE:
      if (rd_reftype(d, &im->u.table.elem) || rd_limits(d, &im->u.table.lim, false)) return W_ERR;
      if (grow(d, (void **)&m->tables, m->ntables, 1, sizeof *m->tables)) return W_ERR;
      m->tables[m->ntables++] = im->u.table;
      m->nimported_tables = m->ntables;
      break;
    case WEXT_MEMORY:
      if (rd_limits(d, &im->u.mem.lim, true)) return W_ERR;
      if (grow(d, (void **)&m->mems, m->nmems, 1, sizeof *m->mems)) return W_ERR;
      m->mems[m->nmems++] = im->u.mem;
      m->nimported_mems = m->nmems;
      break;
    case WEXT_GLOBAL:
      if (rd_globaltype(d, &im->u.global)) return W_ERR;
      if (grow(d, (void **)&m->globals, m->nglobals, 1, sizeof *m->globals)) return W_ERR;
      m->globals[m->nglobals++].type = im->u.global;
      m->nimported_globals = m->nglobals;
      break;
    default:
      return derr(d, at, "malformed import kind 0x%02x", kind);
    }
    im->kind = (wextkind)kind;
  }
  return W_OK;
}

static wstatus sec_function(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "functions")) return W_ERR;
  if (grow(d, (void **)&m->func_types, m->nfuncs, n, sizeof *m->func_types)) return W_ERR;
  if (n && !(m->funcs = calloc(n, sizeof *m->funcs))) return oom(d);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t t;
    if (rd_u32(d, &t)) return W_ERR;
    m->func_types[m->nimported_funcs + i] = t;
    m->funcs[i].type_idx = t;
  }
  m->nfuncs = m->nimported_funcs + n;
  return W_OK;
}

static wstatus sec_table(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "tables")) return W_ERR;
  if (grow(d, (void **)&m->tables, m->ntables, n, sizeof *m->tables)) return W_ERR;
  for (uint32_t i = 0; i < n; i++) {
    wtabletype *t = &m->tables[m->ntables];
    if (rd_reftype(d, &t->elem) || rd_limits(d, &t->lim, false)) return W_ERR;
    m->ntables++;
  }
  return W_OK;
}

static wstatus sec_memory(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "memories")) return W_ERR;
  if (grow(d, (void **)&m->mems, m->nmems, n, sizeof *m->mems)) return W_ERR;
  for (uint32_t i = 0; i < n; i++) {
    if (rd_limits(d, &m->mems[m->nmems].lim, true)) return W_ERR;
    m->nmems++;
  }
  return W_OK;
}

static wstatus sec_global(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "globals")) return W_ERR;
  if (grow(d, (void **)&m->globals, m->nglobals, n, sizeof *m->globals)) return W_ERR;
  for (uint32_t i = 0; i < n; i++) {
    wglobal_def *g = &m->globals[m->nglobals];
    if (rd_globaltype(d, &g->type) || rd_constexpr(d, &g->init)) return W_ERR;
    m->nglobals++;
  }
  return W_OK;
}

static wstatus sec_export(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "exports")) return W_ERR;
  if (n && !(m->exports = calloc(n, sizeof *m->exports))) return oom(d);
  for (uint32_t i = 0; i < n; i++) {
    wexport *e = &m->exports[i];
    m->nexports = i + 1;
    if (rd_name(d, &e->name, &e->name_len)) return W_ERR;
    const uint8_t *at = d->p;
    uint8_t kind = 0;
    if (rd_byte(d, &kind)) return W_ERR;
    if (kind > WEXT_GLOBAL) return derr(d, at, "malformed export kind 0x%02x", kind);
    e->kind = (wextkind)kind;
    if (rd_u32(d, &e->index)) return W_ERR;
  }
  return W_OK;
}

static wstatus sec_start(dctx *d) {
  d->m->has_start = true;
  return rd_u32(d, &d->m->start);
}

/* Element segments, all eight encodings (flags bit 0: passive/declarative, bit 1: explicit
 * table index or declarative, bit 2: expressions instead of function indices). */
static wstatus sec_elem(dctx *d) {
  wmodule *m = d->m;
  uint32_t n;
  if (rd_count(d, &n, "element segments")) return W_ERR;
  if (n && !(m->elems = calloc(n, sizeof *m->elems))) return oom(d);
  for (uint32_t i = 0; i < n; i++) {
    welem *e = &m->elems[i];
    m->nelems = i + 1;
    const uint8_t *at = d->p;
    uint32_t flags;
    if (rd_u32(d, &flags)) return W_ERR;
    if (flags > 7) return derr(d, at, "malformed elements segment kind %u", flags);
    e->mode = !(flags & 1) ? WSEG_ACTIVE : (flags & 2) ? WSEG_DECLARATIVE : WSEG_PASSIVE;
    e->elem_type = WT_FUNCREF;
    if (e->mode == WSEG_ACTIVE) {
      if ((flags & 2) && rd_u32(d, &e->table)) return W_ERR;
      if (rd_constexpr(d, &e->offset)) return W_ERR;
    }
    bool exprs = flags & 4;
    if (flags & 3) {  /* an explicit element kind (indices) or reference type (exprs) */
      if (exprs) {
        if (rd_reftype(d, &e->elem_type)) return W_ERR;
      } else {
        const uint8_t *kat = d->p;
        uint8_t kind = 0;
        if (rd_byte(d, &kind)) return W_ERR;
        if (kind != 0) return derr(d, kat, "malformed element kind 0x%02x", kind);
      }
    }
    uint32_t cnt;
    if (rd_count(d, &cnt, "elements")) return W_ERR;
    if (exprs) {
      if (cnt && !(e->exprs = calloc(cnt, sizeof *e->exprs))) return oom(d);
      for (uint32_t k = 0; k < cnt; k++)
        if (rd_constexpr(d, &e->exprs[k])) return W_ERR;
    } else {
      /* keep funcs non-NULL even when empty, so "funcs or exprs" tells the encoding */
      if (!(e->funcs = malloc(((size_t)cnt + 1) * sizeof *e->funcs))) return oom(d);
      for (uint32_t k = 0; k < cnt; k++)
        if (rd_u32(d, &e->funcs[k])) return W_ERR;
    }
    e->count = cnt;
  }
  return W_OK;
}

static wstatus sec_datacount(dctx *d) {
  d->m->has_datacount = true;
  return rd_u32(d, &d->m->datacount);
}

static wstatus sec_code(dctx *d) {
  wmodule *m = d->m;
  const uint8_t *at = d->p;
  uint32_t n;
  if (rd_count(d, &n, "function bodies")) return W_ERR;
  uint32_t ndef = m->nfuncs - m->nimported_funcs;
  if (n != ndef)
    return derr(d, at, "function and code section have inconsistent lengths (%u functions, "
                "%u bodies)", ndef, n);
  for (uint32_t i = 0; i < n; i++) {
    wfunc *f = &m->funcs[i];
    const uint8_t *bat = d->p;
    uint32_t size;
    if (rd_u32(d, &size)) return W_ERR;
    if (size > (uint64_t)(d->end - d->p))
      return derr(d, bat, "%s: body of function %u (%u bytes) exceeds the section", end_msg(d),
                  m->nimported_funcs + i, size);
    f->body_offset = doff(d, bat);
    /* decode the locals inside a sub-cursor bounded by the body */
    const uint8_t *sec_end = d->end, *body_end = d->p + size;
    d->end = body_end;
    uint32_t ngroups;
    if (rd_count(d, &ngroups, "local declarations")) return W_ERR;
    const uint8_t *groups = d->p;
    uint64_t total = 0;
    for (uint32_t g = 0; g < ngroups; g++) {
      const uint8_t *lat = d->p;
      uint32_t cnt;
      uint8_t t;
      if (rd_u32(d, &cnt)) return W_ERR;
      total += cnt;
      if (total > WEFT_MAX_LOCALS)
        return derr(d, lat, "too many locals (function %u declares more than %u)",
                    m->nimported_funcs + i, WEFT_MAX_LOCALS);
      if (rd_valtype(d, &t)) return W_ERR;
    }
    if (total && !(f->local_types = malloc(total))) return oom(d);
    f->nlocals = (uint32_t)total;
    /* second pass over the already-checked groups to expand them */
    const uint8_t *q = groups;
    uint32_t k = 0;
    for (uint32_t g = 0; g < ngroups; g++) {
      uint32_t cnt;
      const char *why;
      q += wleb_u32(q, body_end, &cnt, &why);
      uint8_t t = *q++;
      if (cnt) memset(f->local_types + k, t, cnt);
      k += cnt;
    }
    f->code = d->p;
    f->code_len = (uint32_t)(body_end - d->p);
    f->code_offset = doff(d, d->p);
    if (f->code_len == 0 || body_end[-1] != 0x0B)
      return derr(d, body_end, "unexpected end of section or function: END opcode expected at "
                  "the end of function %u", m->nimported_funcs + i);
    d->p = body_end;
    d->end = sec_end;
  }
  return W_OK;
}

static wstatus sec_data(dctx *d) {
  wmodule *m = d->m;
  const uint8_t *at = d->p;
  uint32_t n;
  if (rd_count(d, &n, "data segments")) return W_ERR;
  if (m->has_datacount && n != m->datacount)
    return derr(d, at, "data count and data section have inconsistent lengths (%u and %u)",
                m->datacount, n);
  if (n && !(m->datas = calloc(n, sizeof *m->datas))) return oom(d);
  for (uint32_t i = 0; i < n; i++) {
    wdata *s = &m->datas[i];
    m->ndatas = i + 1;
    const uint8_t *fat = d->p;
    uint32_t flags;
    if (rd_u32(d, &flags)) return W_ERR;
    if (flags > 2) return derr(d, fat, "malformed data segment kind %u", flags);
    s->mode = flags == 1 ? WSEG_PASSIVE : WSEG_ACTIVE;
    if (flags == 2 && rd_u32(d, &s->mem)) return W_ERR;
    if (flags != 1 && rd_constexpr(d, &s->offset)) return W_ERR;
    const uint8_t *lat = d->p;
    if (rd_u32(d, &s->len)) return W_ERR;
    if (s->len > (uint64_t)(d->end - d->p))
      return derr(d, lat, "%s: data segment %u of %u bytes exceeds the section", end_msg(d), i,
                  s->len);
    s->bytes = d->p;
    d->p += s->len;
  }
  return W_OK;
}

/* ---- the name section (best effort: anything malformed is ignored) ---- */

static void free_names(wmodule *m) {
  free(m->name);
  m->name = NULL;
  if (m->func_names) {
    for (uint32_t i = 0; i < m->nfuncs; i++) free(m->func_names[i]);
    free(m->func_names);
    m->func_names = NULL;
  }
  if (m->global_names) {
    for (uint32_t i = 0; i < m->nglobals; i++) free(m->global_names[i]);
    free(m->global_names);
    m->global_names = NULL;
  }
}

/* Reads a name map (vec of index, name; indices increasing and below n) into a fresh
 * array of n entries at *out. Returns false if malformed or out of memory. */
static bool parse_name_map(dctx *d, uint32_t n, char ***out) {
  uint32_t count;
  if (rd_count(d, &count, "names")) return false;
  if (n && !(*out = calloc(n, sizeof **out))) return false;
  int64_t prev = -1;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t idx, len;
    const uint8_t *s;
    if (rd_u32(d, &idx) || rd_name_raw(d, &s, &len)) return false;
    if ((int64_t)idx <= prev || idx >= n) return false;
    prev = idx;
    if (!((*out)[idx] = dupn(s, len))) return false;
  }
  return true;
}

/* Parses subsections 0 (module name), 1 (function names) and 7 (global names, which
 * wasm-ld emits and the thread manager uses to find `__stack_pointer`). Returns false if
 * malformed or out of memory; the caller then drops whatever was set. */
static bool parse_names(dctx *d) {
  wmodule *m = d->m;
  int last = -1;
  while (d->p < d->end) {
    uint8_t id;
    uint32_t size;
    if (rd_byte(d, &id) || rd_u32(d, &size)) return false;
    if (size > (uint64_t)(d->end - d->p)) return false;
    bool known = id <= 1 || id == 7;
    if (known && (int)id <= last) return false;  /* out of order or duplicated */
    if (known) last = id;
    const uint8_t *sub_end = d->p + size, *outer_end = d->end;
    d->end = sub_end;
    if (id == 0) {
      const uint8_t *s;
      uint32_t len;
      if (rd_name_raw(d, &s, &len)) return false;
      if (!(m->name = dupn(s, len))) return false;
    } else if (id == 1) {
      if (!parse_name_map(d, m->nfuncs, &m->func_names)) return false;
    } else if (id == 7) {
      if (!parse_name_map(d, m->nglobals, &m->global_names)) return false;
    }
    if (d->p != sub_end && known) return false;
    d->p = sub_end;
    d->end = outer_end;
  }
  return true;
}

static void decode_names(dctx *d, const uint8_t *p, const uint8_t *end) {
  werr scratch;
  dctx nd = *d;
  nd.p = p;
  nd.end = end;
  nd.sec = 0;
  nd.err = &scratch;
  if (!parse_names(&nd)) free_names(d->m);
}

/* ---- the module ---- */

/* Position of each known section id in the required order (datacount sits before code). */
static int section_rank(uint8_t id) {
  static const int rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return rank[id];
}

static wstatus decode_sections(dctx *d) {
  wmodule *m = d->m;
  const uint8_t *name_sec = NULL, *name_end = NULL;
  bool have_code = false, have_data = false;
  int last_rank = 0;

  if ((size_t)(d->file_end - d->p) < 4) return derr(d, d->file_end, "unexpected end");
  if (memcmp(d->p, "\0asm", 4) != 0) return derr(d, d->p, "magic header not detected");
  d->p += 4;
  if ((size_t)(d->file_end - d->p) < 4) return derr(d, d->file_end, "unexpected end");
  if (memcmp(d->p, "\1\0\0\0", 4) != 0) return derr(d, d->p, "unknown binary version");
  d->p += 4;

  while (d->p < d->file_end) {
    const uint8_t *sat = d->p;
    d->sec = -1;
    d->end = d->file_end;
    uint8_t id = *d->p++;
    if (id > 12) return derr(d, sat, "malformed section id %u", id);
    uint32_t size;
    if (rd_u32(d, &size)) return W_ERR;
    d->sec = id;
    if (size > (uint64_t)(d->file_end - d->p))
      return derr(d, sat, "length out of bounds: section size %u exceeds the %u remaining bytes",
                  size, (uint32_t)(d->file_end - d->p));
    d->end = d->p + size;
    if (id != 0) {
      int r = section_rank(id);
      if (r <= last_rank)
        return derr(d, sat, "unexpected content after last section (section %u is out of "
                    "order or repeated)", id);
      last_rank = r;
    }
    wstatus s = W_OK;
    switch (id) {
    case 0: {
      const uint8_t *nm;
      uint32_t len;
      s = rd_name_raw(d, &nm, &len);
      if (!s && len == 4 && memcmp(nm, "name", 4) == 0) { name_sec = d->p; name_end = d->end; }
      if (!s) d->p = d->end;  /* custom payload is opaque */
      break;
    }
    case 1: s = sec_type(d); break;
    case 2: s = sec_import(d); break;
    case 3: s = sec_function(d); break;
    case 4: s = sec_table(d); break;
    case 5: s = sec_memory(d); break;
    case 6: s = sec_global(d); break;
    case 7: s = sec_export(d); break;
    case 8: s = sec_start(d); break;
    case 9: s = sec_elem(d); break;
    case 10: have_code = true; s = sec_code(d); break;
    case 11: have_data = true; s = sec_data(d); break;
    case 12: s = sec_datacount(d); break;
    }
    if (s) return W_ERR;
    if (d->p != d->end)
      return derr(d, d->p, "section size mismatch (%u bytes left over)",
                  (uint32_t)(d->end - d->p));
  }
  d->sec = -1;
  if (!have_code && m->nfuncs != m->nimported_funcs)
    return derr(d, d->file_end, "function and code section have inconsistent lengths (%u "
                "functions, no code section)", m->nfuncs - m->nimported_funcs);
  if (m->has_datacount && m->datacount != 0 && !have_data)
    return derr(d, d->file_end, "data count and data section have inconsistent lengths (%u "
                "and no data section)", m->datacount);
  if (name_sec) decode_names(d, name_sec, name_end);
  return W_OK;
}

wmodule *wmod_decode(const uint8_t *bytes, size_t len, werr *err) {
  if (len > UINT32_MAX) {
    werr_set(err, WERR_RESOURCE, "module too large (%zu bytes)", len);
    return NULL;
  }
  wmodule *m = calloc(1, sizeof *m);
  if (!m || !(m->bytes = malloc(len ? len : 1))) {
    free(m);
    werr_set(err, WERR_RESOURCE, "out of memory while decoding module");
    return NULL;
  }
  if (len) memcpy(m->bytes, bytes, len);
  m->size = len;
  dctx d = {m->bytes, m->bytes, m->bytes + len, m->bytes + len, -1, err, m};
  if (decode_sections(&d)) {
    wmod_free(m);
    return NULL;
  }
  return m;
}
