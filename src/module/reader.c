/* reader.c — the instruction decoder (see reader.h). */
#include "reader.h"
#include "module.h"
#include "../util/leb128.h"

static uint32_t off(const wreader *r, const uint8_t *p) { return (uint32_t)(p - r->base); }

static wstatus fail(wreader *r, const uint8_t *at, werr *err, const char *why) {
  return werr_set(err, WERR_MALFORMED, "%s at offset 0x%x", why, off(r, at));
}

#define READ_LEB(fn, dst)                                   \
  do {                                                      \
    const char *why_ = 0;                                   \
    size_t n_ = fn(r->p, r->end, (dst), &why_);             \
    if (!n_) return fail(r, r->p, err, why_);               \
    r->p += n_;                                             \
  } while (0)

static wstatus read_byte(wreader *r, uint8_t *b, werr *err) {
  if (r->p >= r->end) return fail(r, r->p, err, "unexpected end");
  *b = *r->p++;
  return W_OK;
}

static wstatus read_zero(wreader *r, werr *err) {
  uint8_t b = 0;
  const uint8_t *at = r->p;
  if (read_byte(r, &b, err)) return W_ERR;
  if (b != 0) return fail(r, at, err, "zero byte expected");
  return W_OK;
}

static int is_valtype(uint8_t b) {
  return b == WT_I32 || b == WT_I64 || b == WT_F32 || b == WT_F64 || b == WT_FUNCREF ||
         b == WT_EXTERNREF;
}

wstatus wreader_next(wreader *r, winstr *in, werr *err) {
  const uint8_t *start = r->p;
  uint8_t b = 0;
  if (read_byte(r, &b, err)) return W_ERR;
  in->offset = off(r, start);
  int op;
  if (b == 0xFC || b == 0xFE) {
    uint32_t sub;
    READ_LEB(wleb_u32, &sub);
    op = wop_lookup(b, sub);
    if (op < 0)
      return werr_set(err, WERR_MALFORMED, "illegal opcode 0x%02x 0x%x at offset 0x%x", b, sub,
                      in->offset);
  } else if (b == 0xFD) {
    return werr_set(err, WERR_MALFORMED, "SIMD is not supported (opcode 0xfd at offset 0x%x)",
                    in->offset);
  } else {
    op = wop_lookup(0, b);
    if (op < 0)
      return werr_set(err, WERR_MALFORMED, "illegal opcode 0x%02x at offset 0x%x", b, in->offset);
  }
  in->op = (wop)op;
  switch (wop_info[op].imm) {
  case WIMM_NONE: break;
  case WIMM_BLOCKTYPE: {
    uint8_t t = 0;
    if (r->p >= r->end) return fail(r, r->p, err, "unexpected end");
    t = *r->p;
    if (t == 0x40) { in->imm.blocktype = -64; r->p++; }
    else if (is_valtype(t) || t == WT_V128) {
      if (t == WT_V128) return fail(r, r->p, err, "SIMD is not supported (v128 block type)");
      in->imm.blocktype = (int64_t)t - 0x80;
      r->p++;
    } else {
      int64_t v;
      READ_LEB(wleb_s33, &v);
      if (v < 0) return fail(r, start + 1, err, "malformed block type");
      in->imm.blocktype = v;
    }
    break;
  }
  case WIMM_LABEL: case WIMM_FUNC: case WIMM_LOCAL: case WIMM_GLOBAL: case WIMM_TABLE:
  case WIMM_DATA: case WIMM_ELEM:
    READ_LEB(wleb_u32, &in->imm.index);
    break;
  case WIMM_BR_TABLE: {
    READ_LEB(wleb_u32, &in->imm.br_table.count);
    in->imm.br_table.targets = r->p;
    for (uint32_t i = 0; i < in->imm.br_table.count; i++) {
      uint32_t t;
      READ_LEB(wleb_u32, &t);
    }
    READ_LEB(wleb_u32, &in->imm.br_table.def);
    break;
  }
  case WIMM_CALL_INDIRECT:
    READ_LEB(wleb_u32, &in->imm.ci.type_idx);
    READ_LEB(wleb_u32, &in->imm.ci.table);
    break;
  case WIMM_SELECT_T: {
    uint32_t n;
    READ_LEB(wleb_u32, &n);
    if (n != 1)
      return werr_set(err, WERR_INVALID, "invalid result arity: select takes exactly one type "
                      "at offset 0x%x", in->offset);
    uint8_t t = 0;
    const uint8_t *at = r->p;
    if (read_byte(r, &t, err)) return W_ERR;
    if (t == WT_V128) return fail(r, at, err, "SIMD is not supported (v128 select type)");
    if (!is_valtype(t)) return fail(r, at, err, "malformed value type");
    in->imm.valtype = t;
    break;
  }
  case WIMM_MEMARG:
    READ_LEB(wleb_u32, &in->imm.mem.align);
    READ_LEB(wleb_u32, &in->imm.mem.offset);
    break;
  case WIMM_MEMIDX: case WIMM_ZERO_BYTE:
    if (read_zero(r, err)) return W_ERR;
    break;
  case WIMM_I32: READ_LEB(wleb_s32, &in->imm.i32); break;
  case WIMM_I64: READ_LEB(wleb_s64, &in->imm.i64); break;
  case WIMM_F32: {
    if (r->end - r->p < 4) return fail(r, r->p, err, "unexpected end");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)r->p[i] << (8 * i);
    in->imm.f32_bits = v;
    r->p += 4;
    break;
  }
  case WIMM_F64: {
    if (r->end - r->p < 8) return fail(r, r->p, err, "unexpected end");
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)r->p[i] << (8 * i);
    in->imm.f64_bits = v;
    r->p += 8;
    break;
  }
  case WIMM_REFTYPE: {
    uint8_t t = 0;
    const uint8_t *at = r->p;
    if (read_byte(r, &t, err)) return W_ERR;
    if (t != WT_FUNCREF && t != WT_EXTERNREF) return fail(r, at, err, "malformed reference type");
    in->imm.valtype = t;
    break;
  }
  case WIMM_MEMORY_INIT:
    READ_LEB(wleb_u32, &in->imm.two.a);
    if (read_zero(r, err)) return W_ERR;
    in->imm.two.b = 0;
    break;
  case WIMM_MEMORY_COPY:
    if (read_zero(r, err)) return W_ERR;
    if (read_zero(r, err)) return W_ERR;
    break;
  case WIMM_TABLE_INIT: case WIMM_TABLE_COPY:
    READ_LEB(wleb_u32, &in->imm.two.a);
    READ_LEB(wleb_u32, &in->imm.two.b);
    break;
  }
  return W_OK;
}

uint32_t wreader_br_table_read(const uint8_t **cursor) {
  uint32_t v = 0;
  const char *why;
  size_t n = wleb_u32(*cursor, *cursor + 5, &v, &why);
  *cursor += n ? n : 1;
  return v;
}

/* One-byte arrays for value-type block results: index by (type - WT_EXTERNREF). */
static const uint8_t single_types[] = {WT_EXTERNREF, WT_FUNCREF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       WT_V128, WT_F64, WT_F32, WT_I64, WT_I32};

wstatus wreader_blocksig(const struct wmodule *m, int64_t bt, wblocksig *out, werr *err) {
  out->nparams = 0;
  out->params = 0;
  if (bt == -64) { out->nresults = 0; out->results = 0; return W_OK; }
  if (bt < 0) {
    uint8_t t = (uint8_t)(bt + 0x80);
    out->nresults = 1;
    out->results = &single_types[t - WT_EXTERNREF];
    return W_OK;
  }
  if ((uint64_t)bt >= m->ntypes)
    return werr_set(err, WERR_INVALID, "unknown type %lld in block type", (long long)bt);
  const wfunctype *ft = &m->types[bt];
  out->nparams = ft->nparams;
  out->params = ft->types;
  out->nresults = ft->nresults;
  out->results = ft->types + ft->nparams;
  return W_OK;
}
