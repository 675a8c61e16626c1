/* validate.c — WebAssembly 2.0 (+ threads) validation: module-level rules, constant
 * expressions and the operand-stack/control-stack algorithm of the spec's appendix,
 * run as one linear pass per function body with heap-grown stacks (no recursion).
 *
 * Messages start with the spec's text (as in the core test suite's assert_invalid
 * expectations) so a prefix comparison works, then add detail and the location. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "module.h"
#include "reader.h"
#include "../util/leb128.h"

/* Stack entry for a value whose type is unknown (popped from a polymorphic stack). */
#define VT_UNKNOWN 0
/* Operand stack height limit: bounds memory for hostile modules (calls pushing many results). */
#define MAX_VALS (1u << 24)

/* ---- simple signatures from opcodes.def ---------------------------------------------- */

/* Parsed SIG column: np params then nr results in t[]; simple = 0 for "*" rows. */
typedef struct { uint8_t simple, np, nr, t[6]; } vsig;
static vsig sig_tab[WOP_COUNT_];

/* Maps a SIG letter to its value type. */
static uint8_t sig_letter(char c) {
  switch (c) {
  case 'i': return WT_I32;
  case 'I': return WT_I64;
  case 'f': return WT_F32;
  case 'F': return WT_F64;
  default: return VT_UNKNOWN;
  }
}

/* Parses every SIG string once, before main (like opcodes.c), so no locking is needed. */
__attribute__((constructor)) static void build_sigs(void) {
  for (int i = 0; i < WOP_COUNT_; i++) {
    const char *s = wop_info[i].sig;
    vsig *v = &sig_tab[i];
    if (s[0] == '*') continue;
    int k = 0, results = 0;
    for (; *s && k < 6; s++) {
      if (*s == ':') { results = 1; continue; }
      v->t[k++] = sig_letter(*s);
      if (results) v->nr++; else v->np++;
    }
    v->simple = 1;
  }
}

/* ---- helpers --------------------------------------------------------------------------- */

/* Text name of a value type; the validator's unknown (bottom) type prints as "any". */
static const char *tname(uint8_t t) { return t == VT_UNKNOWN ? "any" : wvaltype_name(t); }

static int is_num(uint8_t t) { return t == WT_I32 || t == WT_I64 || t == WT_F32 || t == WT_F64; }
static int is_ref(uint8_t t) { return t == WT_FUNCREF || t == WT_EXTERNREF; }

/* Formats "[t1 t2 ...]" into buf (truncating safely); `poly` prefixes "..." for a
 * polymorphic stack bottom. */
static void fmt_types(char *buf, size_t cap, const uint8_t *t, size_t n, int poly) {
  size_t len = 0;
  buf[0] = 0;
  len += (size_t)snprintf(buf, cap, "[%s", poly ? "..." : "");
  for (size_t i = 0; i < n && len < cap; i++)
    len += (size_t)snprintf(buf + len, cap - len, "%s%s", (i || poly) ? " " : "", tname(t[i]));
  if (len < cap) snprintf(buf + len, cap - len, "]");
}

/* ---- function-body validator state ----------------------------------------------------- */

/* One control frame: the spec's ctrl_frame. `kind` is WOP_BLOCK/LOOP/IF/ELSE, or WOP_END
 * for the function's own frame. Label types are sig.params for loops, else sig.results. */
typedef struct {
  wop kind;
  uint8_t unreachable;
  uint32_t height;           /* operand stack height at frame entry */
  wblocksig sig;
} vframe;

typedef struct {
  const wmodule *m;
  werr *err;
  uint32_t fidx;             /* function index (index space), for messages */
  uint32_t at;               /* offset of the instruction being validated */
  const wfunctype *ft;
  const wfunc *fn;
  uint8_t *vals; size_t nvals, capvals;      /* operand stack (heap-grown) */
  vframe *ctrls; size_t nctrls, capctrls;    /* control stack (heap-grown) */
  uint32_t disabled;         /* WFEAT_* bits of switched-off proposals */
} vctx;

/* Sets an INVALID error: the formatted text followed by the function and offset. */
W_PRINTF(2, 3) static wstatus verr(vctx *v, const char *fmt, ...) {
  char buf[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return werr_set(v->err, WERR_INVALID, "%s (function %u at offset 0x%x)", buf, v->fidx, v->at);
}

/* As verr but kind MALFORMED (binary-format rules checked during the body walk). */
W_PRINTF(2, 3) static wstatus vmal(vctx *v, const char *fmt, ...) {
  char buf[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return werr_set(v->err, WERR_MALFORMED, "%s (function %u at offset 0x%x)", buf, v->fidx, v->at);
}

/* Ensures room for `extra` more operands; fails (RESOURCE) past MAX_VALS. */
static wstatus reserve_vals(vctx *v, size_t extra) {
  if (W_LIKELY(v->nvals + extra <= v->capvals)) return W_OK;
  if (extra > MAX_VALS || v->nvals + extra > MAX_VALS)
    return werr_set(v->err, WERR_RESOURCE, "operand stack too deep (function %u at offset 0x%x)",
                    v->fidx, v->at);
  size_t cap = v->capvals ? v->capvals : 64;
  while (cap < v->nvals + extra) cap *= 2;
  uint8_t *p = realloc(v->vals, cap);
  if (!p) return werr_set(v->err, WERR_RESOURCE, "out of memory validating function %u", v->fidx);
  v->vals = p;
  v->capvals = cap;
  return W_OK;
}

/* Pushes one operand type. */
static inline wstatus push(vctx *v, uint8_t t) {
  if (reserve_vals(v, 1)) return W_ERR;
  v->vals[v->nvals++] = t;
  return W_OK;
}

/* Pushes n operand types. */
static wstatus push_n(vctx *v, const uint8_t *t, uint32_t n) {
  if (reserve_vals(v, n)) return W_ERR;
  if (n) memcpy(v->vals + v->nvals, t, n);
  v->nvals += n;
  return W_OK;
}

static inline vframe *top_frame(vctx *v) { return &v->ctrls[v->nctrls - 1]; }

/* Reports a type mismatch: `what` expected `want` (n types) but the stack holds ... */
static wstatus mismatch(vctx *v, const char *what, const uint8_t *want, uint32_t n) {
  vframe *f = top_frame(v);
  size_t avail = v->nvals - f->height;
  size_t show = avail < n ? avail : n;
  char a[160], b[160];
  fmt_types(a, sizeof a, want, n, 0);
  fmt_types(b, sizeof b, v->vals + v->nvals - show, show, f->unreachable && show < n);
  return verr(v, "type mismatch: %s expects %s but got %s", what, a, b);
}

/* Checks that the top of the stack matches want[0..n) (want[n-1] on top), treating the
 * polymorphic bottom of an unreachable frame as any types. Does not pop. */
static wstatus check_top(vctx *v, const uint8_t *want, uint32_t n, const char *what) {
  vframe *f = top_frame(v);
  size_t avail = v->nvals - f->height;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t w = want[n - 1 - i];
    if (i >= avail) {
      if (f->unreachable) break;   /* everything deeper is polymorphic */
      return mismatch(v, what, want, n);
    }
    uint8_t g = v->vals[v->nvals - 1 - i];
    if (g != w && g != VT_UNKNOWN && w != VT_UNKNOWN) return mismatch(v, what, want, n);
  }
  return W_OK;
}

/* Pops up to n operands, never below the current frame's height. */
static inline void drop_n(vctx *v, uint32_t n) {
  size_t avail = v->nvals - top_frame(v)->height;
  v->nvals -= n < avail ? n : avail;
}

/* check_top + drop_n: the spec's pop_vals. */
static wstatus pop_types(vctx *v, const uint8_t *want, uint32_t n, const char *what) {
  if (check_top(v, want, n, what)) return W_ERR;
  drop_n(v, n);
  return W_OK;
}

/* Pops one operand of type t (the spec's pop_val(expect)). */
static inline wstatus pop1(vctx *v, uint8_t t, const char *what) {
  return pop_types(v, &t, 1, what);
}

/* Pops one operand of any type into *t (VT_UNKNOWN on a polymorphic stack). */
static wstatus pop_any(vctx *v, uint8_t *t, const char *what) {
  vframe *f = top_frame(v);
  if (v->nvals == f->height) {
    if (f->unreachable) { *t = VT_UNKNOWN; return W_OK; }
    return verr(v, "type mismatch: %s expects an operand but the stack is empty", what);
  }
  *t = v->vals[--v->nvals];
  return W_OK;
}

/* Pushes a control frame and its parameter types (the spec's push_ctrl). */
static wstatus push_ctrl(vctx *v, wop kind, const wblocksig *sig) {
  if (v->nctrls == v->capctrls) {
    size_t cap = v->capctrls ? v->capctrls * 2 : 16;
    vframe *p = realloc(v->ctrls, cap * sizeof *p);
    if (!p) return werr_set(v->err, WERR_RESOURCE, "out of memory validating function %u", v->fidx);
    v->ctrls = p;
    v->capctrls = cap;
  }
  vframe *f = &v->ctrls[v->nctrls++];
  f->kind = kind;
  f->unreachable = 0;
  f->height = (uint32_t)v->nvals;
  f->sig = *sig;
  return push_n(v, sig->params, sig->nparams);
}

/* Pops the top control frame into *out after checking its results and that no extra
 * operands remain (the spec's pop_ctrl). */
static wstatus pop_ctrl(vctx *v, vframe *out, int at_else) {
  vframe *f = top_frame(v);
  static const char *const names[] = {"end of block", "end of loop", "end of if", "else",
                                      "end of else", "end of function"};
  int k = f->kind == WOP_BLOCK ? 0 : f->kind == WOP_LOOP ? 1 : f->kind == WOP_IF ? 2
        : f->kind == WOP_ELSE ? 4 : 5;
  const char *what = names[at_else ? 3 : k];
  if (pop_types(v, f->sig.results, f->sig.nresults, what)) return W_ERR;
  if (v->nvals != f->height) {
    char b[160];
    fmt_types(b, sizeof b, v->vals + f->height, v->nvals - f->height, 0);
    return verr(v, "type mismatch: %s leaves extra values %s on the stack", what, b);
  }
  *out = *f;
  v->nctrls--;
  return W_OK;
}

/* Types a branch to frame f carries. */
static inline void label_types(const vframe *f, const uint8_t **t, uint32_t *n) {
  if (f->kind == WOP_LOOP) { *t = f->sig.params; *n = f->sig.nparams; }
  else { *t = f->sig.results; *n = f->sig.nresults; }
}

/* Makes the rest of the current block unreachable: its stack becomes polymorphic. */
static inline void set_unreachable(vctx *v) {
  vframe *f = top_frame(v);
  v->nvals = f->height;
  f->unreachable = 1;
}

/* Returns the frame for label depth l, or fails with "unknown label". */
static wstatus get_label(vctx *v, uint32_t l, vframe **out) {
  if (l >= v->nctrls) return verr(v, "unknown label %u", l);
  *out = &v->ctrls[v->nctrls - 1 - l];
  return W_OK;
}

/* Type of local x, or fails with "unknown local". */
static wstatus local_type(vctx *v, uint32_t x, uint8_t *t) {
  uint64_t np = v->ft->nparams;
  if (x < np) { *t = v->ft->types[x]; return W_OK; }
  if ((uint64_t)x - np < v->fn->nlocals) { *t = v->fn->local_types[x - np]; return W_OK; }
  return verr(v, "unknown local %u", x);
}

/* Fails with "unknown memory 0" unless the module has a memory. */
static wstatus need_mem(vctx *v, const winstr *in) {
  if (v->m->nmems == 0) return verr(v, "unknown memory 0 (%s)", wop_info[in->op].text);
  return W_OK;
}

/* Table x, or fails with "unknown table". */
static wstatus get_table(vctx *v, uint32_t x, const wtabletype **t) {
  if (x >= v->m->ntables) return verr(v, "unknown table %u", x);
  *t = &v->m->tables[x];
  return W_OK;
}

/* Elem segment x, or fails with "unknown elem segment". */
static wstatus get_elem(vctx *v, uint32_t x, const welem **e) {
  if (x >= v->m->nelems) return verr(v, "unknown elem segment %u", x);
  *e = &v->m->elems[x];
  return W_OK;
}

/* Checks data index x against the data count section (required for these instructions). */
static wstatus check_data(vctx *v, uint32_t x, const winstr *in) {
  const wmodule *m = v->m;
  /* An index past every segment is "unknown data segment" even without the section, as
   * the test suite expects for modules with no data at all (scan_body agrees). */
  if (x >= (m->has_datacount ? m->datacount : m->ndatas))
    return verr(v, "unknown data segment %u", x);
  if (!m->has_datacount)
    return vmal(v, "data count section required (%s)", wop_info[in->op].text);
  return W_OK;
}

/* Checks a memarg's alignment: at most natural, or exactly natural for atomics. */
static wstatus check_align(vctx *v, const winstr *in) {
  const wopinfo *o = &wop_info[in->op];
  uint32_t lg = o->memsize == 8 ? 3 : o->memsize == 4 ? 2 : o->memsize == 2 ? 1 : 0;
  if (o->prefix == 0xFE) {
    if (in->imm.mem.align != lg)
      return verr(v, "atomic alignment must be natural: %s has alignment 2^%u, natural is %u",
                  o->text, in->imm.mem.align, o->memsize);
  } else if (in->imm.mem.align > lg) {
    return verr(v, "alignment must not be larger than natural: %s has alignment 2^%u > %u",
                o->text, in->imm.mem.align, o->memsize);
  }
  return W_OK;
}

/* Validates br_table: every target exists and agrees with the default label's arity and
 * types; targets are decoded sequentially (linear time). */
static wstatus check_br_table(vctx *v, const winstr *in) {
  if (pop1(v, WT_I32, "br_table")) return W_ERR;
  vframe *def = NULL;
  if (get_label(v, in->imm.br_table.def, &def)) return W_ERR;
  const uint8_t *dt;
  uint32_t dn;
  label_types(def, &dt, &dn);
  const uint8_t *p = in->imm.br_table.targets;
  for (uint32_t i = 0; i < in->imm.br_table.count; i++) {
    uint32_t l = wreader_br_table_read(&p);
    vframe *f = NULL;
    if (get_label(v, l, &f)) return W_ERR;
    const uint8_t *t;
    uint32_t n;
    label_types(f, &t, &n);
    if (n != dn)
      return verr(v, "type mismatch: br_table target %u has arity %u but the default has %u",
                  l, n, dn);
    if (check_top(v, t, n, "br_table")) return W_ERR;
  }
  if (check_top(v, dt, dn, "br_table")) return W_ERR;
  set_unreachable(v);
  return W_OK;
}

/* Validates one instruction whose SIG is "*" (control, variables, calls, refs, tables). */
static wstatus check_special(vctx *v, wreader *r, const winstr *in) {
  const wmodule *m = v->m;
  const char *name = wop_info[in->op].text;
  switch (in->op) {
  case WOP_UNREACHABLE:
    set_unreachable(v);
    return W_OK;
  case WOP_BLOCK: case WOP_LOOP: case WOP_IF: {
    wblocksig sig;
    if (wreader_blocksig(m, in->imm.blocktype, &sig, v->err)) return verr(v, "%s", v->err->msg);
    if (in->op == WOP_IF && pop1(v, WT_I32, "if condition")) return W_ERR;
    char what[32];
    snprintf(what, sizeof what, "%s params", name);
    if (pop_types(v, sig.params, sig.nparams, what)) return W_ERR;
    return push_ctrl(v, in->op, &sig);
  }
  case WOP_ELSE: {
    vframe f;
    if (top_frame(v)->kind != WOP_IF) return vmal(v, "END opcode expected (else without matching if)");
    if (pop_ctrl(v, &f, 1)) return W_ERR;
    return push_ctrl(v, WOP_ELSE, &f.sig);
  }
  case WOP_END: {
    vframe f;
    if (pop_ctrl(v, &f, 0)) return W_ERR;
    if (f.kind == WOP_IF) {
      /* `if` without `else`: the empty else branch must map params to results */
      int ok = f.sig.nparams == f.sig.nresults &&
               (f.sig.nparams == 0 || !memcmp(f.sig.params, f.sig.results, f.sig.nparams));
      if (!ok) return verr(v, "type mismatch: if without else must have matching params and results");
    }
    if (f.kind == WOP_END) {
      if (r->p != r->end)
        return vmal(v, "section size mismatch: %u bytes after the function's final end",
                    (unsigned)(r->end - r->p));
      return W_OK;
    }
    return push_n(v, f.sig.results, f.sig.nresults);
  }
  case WOP_BR: case WOP_BR_IF: {
    vframe *f = NULL;
    if (in->op == WOP_BR_IF && pop1(v, WT_I32, "br_if condition")) return W_ERR;
    if (get_label(v, in->imm.index, &f)) return W_ERR;
    const uint8_t *t;
    uint32_t n;
    label_types(f, &t, &n);
    char what[48];
    snprintf(what, sizeof what, "%s %u", name, in->imm.index);
    if (pop_types(v, t, n, what)) return W_ERR;
    if (in->op == WOP_BR) { set_unreachable(v); return W_OK; }
    return push_n(v, t, n);
  }
  case WOP_BR_TABLE:
    return check_br_table(v, in);
  case WOP_RETURN:
    if (pop_types(v, v->ft->types + v->ft->nparams, v->ft->nresults, "return")) return W_ERR;
    set_unreachable(v);
    return W_OK;
  case WOP_CALL: {
    if (in->imm.index >= m->nfuncs) return verr(v, "unknown function %u", in->imm.index);
    const wfunctype *ft = wmod_func_type(m, in->imm.index);
    if (pop_types(v, ft->types, ft->nparams, "call")) return W_ERR;
    return push_n(v, ft->types + ft->nparams, ft->nresults);
  }
  case WOP_CALL_INDIRECT: {
    const wtabletype *tt = NULL;
    if (get_table(v, in->imm.ci.table, &tt)) return W_ERR;
    if (tt->elem != WT_FUNCREF)
      return verr(v, "type mismatch: call_indirect on table %u of %s", in->imm.ci.table,
                  tname(tt->elem));
    if (in->imm.ci.type_idx >= m->ntypes) return verr(v, "unknown type %u", in->imm.ci.type_idx);
    const wfunctype *ft = &m->types[in->imm.ci.type_idx];
    if (pop1(v, WT_I32, "call_indirect")) return W_ERR;
    if (pop_types(v, ft->types, ft->nparams, "call_indirect")) return W_ERR;
    return push_n(v, ft->types + ft->nparams, ft->nresults);
  }
  case WOP_DROP: {
    uint8_t t = 0;
    return pop_any(v, &t, "drop");
  }
  case WOP_SELECT: {
    uint8_t t1, t2;
    if (pop1(v, WT_I32, "select")) return W_ERR;
    if (pop_any(v, &t1, "select") || pop_any(v, &t2, "select")) return W_ERR;
    if (!(is_num(t1) || t1 == VT_UNKNOWN) || !(is_num(t2) || t2 == VT_UNKNOWN))
      return verr(v, "type mismatch: select without a type needs numeric operands, got %s and %s",
                  tname(t2), tname(t1));
    if (t1 != t2 && t1 != VT_UNKNOWN && t2 != VT_UNKNOWN)
      return verr(v, "type mismatch: select operands %s and %s differ", tname(t2), tname(t1));
    return push(v, t1 == VT_UNKNOWN ? t2 : t1);
  }
  case WOP_SELECT_T: {
    uint8_t t = in->imm.valtype;
    uint8_t want[3] = {t, t, WT_I32};
    if (pop_types(v, want, 3, "select")) return W_ERR;
    return push(v, t);
  }
  case WOP_LOCAL_GET: case WOP_LOCAL_SET: case WOP_LOCAL_TEE: {
    uint8_t t = 0;
    if (local_type(v, in->imm.index, &t)) return W_ERR;
    if (in->op == WOP_LOCAL_GET) return push(v, t);
    if (pop1(v, t, name)) return W_ERR;
    return in->op == WOP_LOCAL_TEE ? push(v, t) : W_OK;
  }
  case WOP_GLOBAL_GET: case WOP_GLOBAL_SET: {
    if (in->imm.index >= m->nglobals) return verr(v, "unknown global %u", in->imm.index);
    const wglobaltype *g = &m->globals[in->imm.index].type;
    if (in->op == WOP_GLOBAL_GET) return push(v, g->type);
    if (!g->mut) return verr(v, "global is immutable: global.set %u", in->imm.index);
    return pop1(v, g->type, name);
  }
  case WOP_TABLE_GET: case WOP_TABLE_SET: {
    const wtabletype *tt = NULL;
    if (get_table(v, in->imm.index, &tt)) return W_ERR;
    if (in->op == WOP_TABLE_GET) {
      if (pop1(v, WT_I32, name)) return W_ERR;
      return push(v, tt->elem);
    }
    uint8_t want[2] = {WT_I32, tt->elem};
    return pop_types(v, want, 2, name);
  }
  case WOP_TABLE_GROW: {
    const wtabletype *tt = NULL;
    if (get_table(v, in->imm.index, &tt)) return W_ERR;
    uint8_t want[2] = {tt->elem, WT_I32};
    if (pop_types(v, want, 2, name)) return W_ERR;
    return push(v, WT_I32);
  }
  case WOP_TABLE_FILL: {
    const wtabletype *tt = NULL;
    if (get_table(v, in->imm.index, &tt)) return W_ERR;
    uint8_t want[3] = {WT_I32, tt->elem, WT_I32};
    return pop_types(v, want, 3, name);
  }
  case WOP_REF_NULL:
    return push(v, in->imm.valtype);
  case WOP_REF_IS_NULL: {
    uint8_t t = 0;
    if (pop_any(v, &t, name)) return W_ERR;
    if (!is_ref(t) && t != VT_UNKNOWN)
      return verr(v, "type mismatch: ref.is_null expects a reference but got %s", tname(t));
    return push(v, WT_I32);
  }
  case WOP_REF_FUNC:
    if (in->imm.index >= m->nfuncs) return verr(v, "unknown function %u", in->imm.index);
    if (!m->declared_refs[in->imm.index])
      return verr(v, "undeclared function reference %u", in->imm.index);
    return push(v, WT_FUNCREF);
  default:
    return verr(v, "unsupported instruction %s", name);
  }
}

/* Extra immediate checks for instructions whose typing is a simple SIG (memories, data
 * and elem segments, tables). */
static wstatus check_imms(vctx *v, const winstr *in) {
  const wtabletype *a = NULL, *b = NULL;
  const welem *e = NULL;
  switch (wop_info[in->op].imm) {
  case WIMM_MEMARG:
    if (need_mem(v, in)) return W_ERR;
    return check_align(v, in);
  case WIMM_MEMIDX: case WIMM_MEMORY_COPY:
    return need_mem(v, in);
  case WIMM_MEMORY_INIT:
    if (need_mem(v, in)) return W_ERR;
    return check_data(v, in->imm.two.a, in);
  case WIMM_DATA:
    return check_data(v, in->imm.index, in);
  case WIMM_ELEM:
    return get_elem(v, in->imm.index, &e);
  case WIMM_TABLE:   /* table.size (the other table ops are "*" rows) */
    return get_table(v, in->imm.index, &a);
  case WIMM_TABLE_INIT:
    if (get_table(v, in->imm.two.b, &a) || get_elem(v, in->imm.two.a, &e)) return W_ERR;
    if (a->elem != e->elem_type)
      return verr(v, "type mismatch: table.init of %s segment %u into %s table %u",
                  tname(e->elem_type), in->imm.two.a, tname(a->elem), in->imm.two.b);
    return W_OK;
  case WIMM_TABLE_COPY:
    if (get_table(v, in->imm.two.a, &a) || get_table(v, in->imm.two.b, &b)) return W_ERR;
    if (a->elem != b->elem)
      return verr(v, "type mismatch: table.copy from %s table %u to %s table %u",
                  tname(b->elem), in->imm.two.b, tname(a->elem), in->imm.two.a);
    return W_OK;
  default:
    return W_OK;
  }
}

/* The message for a body whose bytes run out before its final `end`. The spec's decoder
 * reads on past the body: at the end of the file that is "unexpected end", otherwise it
 * meets a byte that is not `end` ("END opcode expected"). */
static const char *eob_msg(const wmodule *m, const uint8_t *body_end) {
  return body_end >= m->bytes + m->size ? "unexpected end of section or function"
                                        : "END opcode expected";
}

/* Validates the body of defined function `i` (index space fidx) with reusable state v. */
/* True for the instructions the reference-types proposal added to function bodies. */
static bool is_reftypes_op(wop op) {
  switch (op) {
  case WOP_TABLE_GET: case WOP_TABLE_SET: case WOP_TABLE_SIZE: case WOP_TABLE_GROW:
  case WOP_TABLE_FILL: case WOP_REF_NULL: case WOP_REF_IS_NULL: case WOP_REF_FUNC:
  case WOP_SELECT_T:
    return true;
  default:
    return false;
  }
}

static wstatus check_func(vctx *v, uint32_t fidx) {
  const wmodule *m = v->m;
  const wfunc *fn = &m->funcs[fidx - m->nimported_funcs];
  v->fidx = fidx;
  v->fn = fn;
  v->ft = wmod_func_type(m, fidx);
  v->nvals = 0;
  v->nctrls = 0;
  v->at = fn->code_offset;
  wblocksig fsig = {0, v->ft->nresults, NULL, v->ft->types + v->ft->nparams};
  if (push_ctrl(v, WOP_END, &fsig)) return W_ERR;
  wreader r = {fn->code, fn->code + fn->code_len, m->bytes};
  winstr in;
  while (v->nctrls) {
    if (r.p >= r.end) {
      v->at = (uint32_t)(r.p - m->bytes);
      return vmal(v, "%s", eob_msg(m, r.end));
    }
    if (wreader_next(&r, &in, v->err)) return W_ERR;
    v->at = in.offset;
    const vsig *s = &sig_tab[in.op];
    if (W_LIKELY(s->simple)) {
      if (wop_info[in.op].imm != WIMM_NONE && check_imms(v, &in)) return W_ERR;
      if (pop_types(v, s->t, s->np, wop_info[in.op].text)) return W_ERR;
      if (s->nr && push(v, s->t[s->np])) return W_ERR;
    } else if ((v->disabled & WFEAT_NO_REFERENCE_TYPES) && is_reftypes_op(in.op)) {
      return verr(v, "reference types are disabled: %s", wop_info[in.op].text);
    } else if (check_special(v, &r, &in)) {
      return W_ERR;
    }
  }
  return W_OK;
}

/* ---- constant expressions -------------------------------------------------------------- */

/* Validates constant expression ce producing one value of type want. Only imported,
 * immutable globals may be read (WebAssembly 2.0). ref.func marks its function in `refs`
 * (may be NULL). `what`/`idx` name the owner in messages. */
static wstatus check_const(const wmodule *m, const wconstexpr *ce, uint8_t want, uint8_t *refs,
                           const char *what, uint32_t idx, werr *err) {
  wreader r = {ce->code, ce->code + ce->len, m->bytes};
  winstr in;
  uint32_t depth = 0;          /* values on the stack; only the top's type matters */
  uint8_t top = 0;
  for (;;) {
    if (r.p >= r.end)
      return werr_set(err, WERR_MALFORMED, "unexpected end of %s %u initializer", what, idx);
    if (wreader_next(&r, &in, err)) return W_ERR;
    uint8_t t;
    switch (in.op) {
    case WOP_I32_CONST: t = WT_I32; break;
    case WOP_I64_CONST: t = WT_I64; break;
    case WOP_F32_CONST: t = WT_F32; break;
    case WOP_F64_CONST: t = WT_F64; break;
    case WOP_REF_NULL: t = in.imm.valtype; break;
    case WOP_REF_FUNC:
      if (in.imm.index >= m->nfuncs)
        return werr_set(err, WERR_INVALID, "unknown function %u (%s %u initializer at offset 0x%x)",
                        in.imm.index, what, idx, in.offset);
      if (refs) refs[in.imm.index] = 1;
      t = WT_FUNCREF;
      break;
    case WOP_GLOBAL_GET:
      if (in.imm.index >= m->nimported_globals || in.imm.index >= m->nglobals)
        return werr_set(err, WERR_INVALID, "unknown global %u (%s %u initializer at offset 0x%x)",
                        in.imm.index, what, idx, in.offset);
      if (m->globals[in.imm.index].type.mut)
        return werr_set(err, WERR_INVALID,
                        "constant expression required: global.get of mutable global %u "
                        "(%s %u initializer at offset 0x%x)", in.imm.index, what, idx, in.offset);
      t = m->globals[in.imm.index].type.type;
      break;
    case WOP_END:
      if (depth != 1 || top != want)
        return werr_set(err, WERR_INVALID,
                        "type mismatch: %s %u initializer must produce [%s] but produces %u "
                        "value(s)%s%s (at offset 0x%x)", what, idx, tname(want), depth,
                        depth ? ", top " : "", depth ? tname(top) : "", in.offset);
      if (r.p != r.end)
        return werr_set(err, WERR_MALFORMED, "section size mismatch: bytes after the end of "
                        "%s %u initializer (at offset 0x%x)", what, idx, in.offset);
      return W_OK;
    default:
      return werr_set(err, WERR_INVALID,
                      "constant expression required: %s is not constant (%s %u initializer "
                      "at offset 0x%x)", wop_info[in.op].text, what, idx, in.offset);
    }
    if (depth < UINT32_MAX) depth++;
    top = t;
  }
}

/* ---- module-level rules ---------------------------------------------------------------- */

/* Checks limits against `range`, and min <= max; `kind` is "memory"/"table". */
static wstatus check_limits(const wlimits *l, uint64_t range, const char *range_msg,
                            const char *kind, uint32_t idx, werr *err) {
  if (l->min > range || (l->has_max && l->max > range))
    return werr_set(err, WERR_INVALID, "%s (%s %u)", range_msg, kind, idx);
  if (l->has_max && l->min > l->max)
    return werr_set(err, WERR_INVALID, "size minimum must not be greater than maximum (%s %u: "
                    "min %llu > max %llu)", kind, idx, (unsigned long long)l->min,
                    (unsigned long long)l->max);
  return W_OK;
}

/* Orders exports by name for the duplicate check. */
static int cmp_export(const void *a, const void *b) {
  const wexport *x = *(const wexport *const *)a, *y = *(const wexport *const *)b;
  if (x->name_len != y->name_len) return x->name_len < y->name_len ? -1 : 1;
  return memcmp(x->name, y->name, x->name_len);
}

/* Validates exports: known indices, unique names; marks exported functions as declared. */
static wstatus check_exports(wmodule *m, werr *err) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wexport *e = &m->exports[i];
    uint32_t n = 0;
    const char *kind = "function";
    switch (e->kind) {
    case WEXT_FUNC: n = m->nfuncs; break;
    case WEXT_TABLE: n = m->ntables; kind = "table"; break;
    case WEXT_MEMORY: n = m->nmems; kind = "memory"; break;
    case WEXT_GLOBAL: n = m->nglobals; kind = "global"; break;
    }
    if (e->index >= n)
      return werr_set(err, WERR_INVALID, "unknown %s %u (export %u \"%.*s\")", kind, e->index, i,
                      (int)(e->name_len > 64 ? 64 : e->name_len), e->name);
    if (e->kind == WEXT_FUNC) m->declared_refs[e->index] = 1;
  }
  if (m->nexports < 2) return W_OK;
  const wexport **s = malloc(m->nexports * sizeof *s);
  if (!s) return werr_set(err, WERR_RESOURCE, "out of memory validating exports");
  for (uint32_t i = 0; i < m->nexports; i++) s[i] = &m->exports[i];
  qsort(s, m->nexports, sizeof *s, cmp_export);
  for (uint32_t i = 1; i < m->nexports; i++) {
    if (!cmp_export(&s[i - 1], &s[i])) {
      wstatus st = werr_set(err, WERR_INVALID, "duplicate export name \"%.*s\"",
                            (int)(s[i]->name_len > 64 ? 64 : s[i]->name_len), s[i]->name);
      free(s);
      return st;
    }
  }
  free(s);
  return W_OK;
}

/* Validates element segments and marks their functions as declared. */
static wstatus check_elems(wmodule *m, werr *err) {
  for (uint32_t i = 0; i < m->nelems; i++) {
    const welem *e = &m->elems[i];
    if (e->mode == WSEG_ACTIVE) {
      if (e->table >= m->ntables)
        return werr_set(err, WERR_INVALID, "unknown table %u (elem segment %u)", e->table, i);
      if (check_const(m, &e->offset, WT_I32, m->declared_refs, "elem segment offset", i, err))
        return W_ERR;
      if (m->tables[e->table].elem != e->elem_type)
        return werr_set(err, WERR_INVALID, "type mismatch: elem segment %u of %s for table %u "
                        "of %s", i, tname(e->elem_type), e->table,
                        tname(m->tables[e->table].elem));
    }
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->funcs) {
        if (e->funcs[k] >= m->nfuncs)
          return werr_set(err, WERR_INVALID, "unknown function %u (elem segment %u item %u)",
                          e->funcs[k], i, k);
        m->declared_refs[e->funcs[k]] = 1;
      } else if (e->exprs) {
        if (check_const(m, &e->exprs[k], e->elem_type, m->declared_refs, "elem segment item", i,
                        err))
          return W_ERR;
      }
    }
  }
  return W_OK;
}

/* The module-level rules of the MVP that reference types lifted: a single table and no
 * externref in any type, global or table (bodies are checked per instruction). */
static wstatus check_no_reftypes(const wmodule *m, werr *err) {
  if (m->ntables > 1)
    return werr_set(err, WERR_INVALID, "multiple tables (%u declared; reference types are "
                    "disabled)", m->ntables);
  const char *what = NULL;
  uint32_t idx = 0;
  for (uint32_t i = 0; i < m->ntypes && !what; i++)
    for (uint32_t k = 0; k < m->types[i].nparams + m->types[i].nresults; k++)
      if (m->types[i].types[k] == WT_EXTERNREF) { what = "type"; idx = i; break; }
  for (uint32_t i = 0; i < m->nglobals && !what; i++)
    if (m->globals[i].type.type == WT_EXTERNREF) { what = "global"; idx = i; }
  for (uint32_t i = 0; i < m->ntables && !what; i++)
    if (m->tables[i].elem == WT_EXTERNREF) { what = "table"; idx = i; }
  for (uint32_t i = 0; i < m->nfuncs - m->nimported_funcs && !what; i++)
    if (m->funcs[i].nlocals &&   /* local_types is NULL without locals */
        memchr(m->funcs[i].local_types, WT_EXTERNREF, m->funcs[i].nlocals)) {
      what = "the locals of function";
      idx = i + m->nimported_funcs;
    }
  if (what)
    return werr_set(err, WERR_INVALID, "reference types are disabled: externref in %s %u", what,
                    idx);
  return W_OK;
}

/* Validates the module-level rules (everything except function bodies). */
static wstatus check_module(wmodule *m, werr *err) {
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes)
      return werr_set(err, WERR_INVALID, "unknown type %u (function %u)", m->func_types[i], i);
  for (uint32_t i = 0; i < m->ntables; i++)
    if (check_limits(&m->tables[i].lim, UINT32_MAX, "table size must be at most 2^32-1", "table",
                     i, err))
      return W_ERR;
  for (uint32_t i = 0; i < m->nmems; i++) {
    const wlimits *l = &m->mems[i].lim;
    if (check_limits(l, 65536, "memory size must be at most 65536 pages (4GiB)", "memory", i, err))
      return W_ERR;
    if (l->shared && !l->has_max)
      return werr_set(err, WERR_INVALID, "shared memory must have maximum (memory %u)", i);
  }
  if (m->nmems > 1)
    return werr_set(err, WERR_INVALID, "multiple memories (%u declared)", m->nmems);
  for (uint32_t i = m->nimported_globals; i < m->nglobals; i++)
    if (check_const(m, &m->globals[i].init, m->globals[i].type.type, m->declared_refs, "global",
                    i, err))
      return W_ERR;
  if (check_elems(m, err)) return W_ERR;
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wdata *d = &m->datas[i];
    if (d->mode != WSEG_ACTIVE) continue;
    if (d->mem >= m->nmems)
      return werr_set(err, WERR_INVALID, "unknown memory %u (data segment %u)", d->mem, i);
    if (check_const(m, &d->offset, WT_I32, m->declared_refs, "data segment offset", i, err))
      return W_ERR;
  }
  if (m->has_start) {
    if (m->start >= m->nfuncs)
      return werr_set(err, WERR_INVALID, "unknown function %u (start function)", m->start);
    const wfunctype *ft = wmod_func_type(m, m->start);
    if (ft->nparams || ft->nresults)
      return werr_set(err, WERR_INVALID, "start function %u must have type [] -> []", m->start);
  }
  return check_exports(m, err);
}

/* Decodes body `fidx` without typing it, reporting only binary-format (MALFORMED)
 * errors: the spec decodes the whole module before validating, so a malformed body must
 * win over a type error found earlier. Used only on the error path. `stack` is scratch:
 * one byte per open block, 1 for an `if` still expecting its `else`. */
static wstatus scan_body(const wmodule *m, uint32_t fidx, werr *err) {
  const wfunc *fn = &m->funcs[fidx - m->nimported_funcs];
  wreader r = {fn->code, fn->code + fn->code_len, m->bytes};
  uint8_t *stack = NULL;
  size_t n = 1, cap = 0;       /* n counts open blocks including the function itself */
  winstr in;
  wstatus st = W_OK;
  while (n) {
    if (r.p >= r.end) {
      st = werr_set(err, WERR_MALFORMED, "%s (function %u at offset 0x%x)", eob_msg(m, r.end),
                    fidx, (uint32_t)(r.p - m->bytes));
      break;
    }
    if (wreader_next(&r, &in, err)) { st = W_ERR; break; }
    if (in.op == WOP_BLOCK || in.op == WOP_LOOP || in.op == WOP_IF) {
      if (n - 1 == cap) {
        size_t nc = cap ? cap * 2 : 64;
        uint8_t *p = realloc(stack, nc);
        if (!p) break;         /* out of memory: keep the original (type) error */
        stack = p;
        cap = nc;
      }
      stack[n++ - 1] = in.op == WOP_IF;
    } else if (in.op == WOP_ELSE) {
      if (n < 2 || !stack[n - 2]) {
        st = werr_set(err, WERR_MALFORMED, "END opcode expected (else without matching if) "
                      "(function %u at offset 0x%x)", fidx, in.offset);
        break;
      }
      stack[n - 2] = 0;
    } else if (in.op == WOP_END) {
      n--;
    } else if ((in.op == WOP_MEMORY_INIT || in.op == WOP_DATA_DROP) && !m->has_datacount) {
      uint32_t x = in.op == WOP_MEMORY_INIT ? in.imm.two.a : in.imm.index;
      if (x < m->ndatas) {
        st = werr_set(err, WERR_MALFORMED, "data count section required (function %u at "
                      "offset 0x%x)", fidx, in.offset);
        break;
      }
    }
  }
  if (!st && r.p != r.end)
    st = werr_set(err, WERR_MALFORMED, "section size mismatch: bytes after the final end of "
                  "function %u (offset 0x%x)", fidx, (uint32_t)(r.p - m->bytes));
  free(stack);
  return st;
}

wstatus wmod_validate(wmodule *m, uint32_t disabled, werr *err) {
  werr local;
  if (!err) err = &local;      /* the body walk reads back reader messages from *err */
  free(m->declared_refs);
  m->declared_refs = calloc(m->nfuncs ? m->nfuncs : 1, 1);
  if (!m->declared_refs) return werr_set(err, WERR_RESOURCE, "out of memory validating module");
  m->validated = false;
  if (check_module(m, err)) goto fail;
  if ((disabled & WFEAT_NO_REFERENCE_TYPES) && check_no_reftypes(m, err)) goto fail;
  vctx v;
  memset(&v, 0, sizeof v);
  v.m = m;
  v.disabled = disabled;
  v.err = err;
  /* start with a non-NULL operand stack so pointer arithmetic on it is always defined */
  wstatus st = reserve_vals(&v, 64);
  for (uint32_t i = m->nimported_funcs; i < m->nfuncs && !st; i++) st = check_func(&v, i);
  free(v.vals);
  free(v.ctrls);
  if (st) goto fail;
  m->validated = true;
  return W_OK;
fail:
  /* a malformed body anywhere takes precedence over a type error */
  if (err->kind == WERR_INVALID) {
    werr mal;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
      if (scan_body(m, i, &mal) && mal.kind == WERR_MALFORMED) { *err = mal; break; }
  }
  return W_ERR;
}
