/* emit_ops.c — C for the non-control instructions: numeric ops (generic over opcodes.def's
 * typed rows: `d = W_<NAME>(a, b);`, the macros live in prelude.h), constants, loads and
 * stores, atomics, memory/table/segment ops and references.
 *
 * Memory addresses go through three macros the module's support code defines for its
 * mode (emit.c): W_EA (plain access: nothing in guard mode, a bounds check with bounds
 * checks), W_AEA (atomics: alignment first, then bounds like the interpreter's AEA) and
 * W_WEA (wait/notify: alignment and bounds in both modes, since the helper touches the
 * memory from C, outside the guard-page fault handling).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"

/* WOP_<NAME> -> "<NAME>" (the prelude's macro names are W_<NAME>). */
static const char *const op_names[WOP_COUNT_] = {
#define X(NAME, TEXT, PREFIX, CODE, IMM, SIG, MEMSIZE) #NAME,
#include "../module/opcodes.def"
#undef X
};

/* Splits a typed "params:results" signature. */
static void split_sig(const char *sig, const char **params, size_t *np, const char **res,
                      size_t *nr) {
  const char *colon = strchr(sig, ':');
  *params = sig;
  *np = (size_t)(colon - sig);
  *res = colon + 1;
  *nr = strlen(colon + 1);
}

static uint32_t pop(wemit *x) { return --x->sp; }

/* Numeric ops the C compiler may lower to a library call on a baseline target (libgcc's
 * popcount, libm's rounding without SSE4.1): a loop with one is not pure. */
static bool is_libcall(uint16_t op) {
  switch (op) {
    case WOP_I32_POPCNT: case WOP_I64_POPCNT:
    case WOP_F32_CEIL: case WOP_F32_FLOOR: case WOP_F32_TRUNC: case WOP_F32_NEAREST:
    case WOP_F64_CEIL: case WOP_F64_FLOOR: case WOP_F64_TRUNC: case WOP_F64_NEAREST:
      return true;
    default:
      return false;
  }
}

/* Unary ops that use only some bits of their operand (the C compiler may narrow a load
 * feeding them). */
static bool narrows(uint16_t op) {
  switch (op) {
    case WOP_I32_WRAP_I64: case WOP_I32_EXTEND8_S: case WOP_I32_EXTEND16_S:
    case WOP_I64_EXTEND8_S: case WOP_I64_EXTEND16_S: case WOP_I64_EXTEND32_S:
      return true;
    default:
      return false;
  }
}

/* Whether integer op `op` with the constant operand `ctext` (its C literal) may let the C
 * compiler fold away or narrow the load feeding its other operand: x*0 and x*65536 (only
 * low bits used), masks and ors, shifts by 16 (32 for i64) or more, divisions (x%256 is a
 * mask), comparisons (x<0u is false). Additions, subtractions, xors, rotations and float
 * ops with constants use every bit. */
static bool const_loses(uint16_t op, const char *ctext) {
  uint64_t c = strtoull(ctext, NULL, 10);
  if ((op >= WOP_I32_EQ && op <= WOP_I32_GE_U) || (op >= WOP_I64_EQ && op <= WOP_I64_GE_U))
    return true;
  switch (op) {
    case WOP_I32_DIV_S: case WOP_I32_DIV_U: case WOP_I32_REM_S: case WOP_I32_REM_U:
    case WOP_I64_DIV_S: case WOP_I64_DIV_U: case WOP_I64_REM_S: case WOP_I64_REM_U:
    case WOP_I32_AND: case WOP_I32_OR: case WOP_I64_AND: case WOP_I64_OR:
      return true;
    case WOP_I32_MUL: return (c & 0xffffu) == 0;
    case WOP_I64_MUL: return (c & 0xffffffffu) == 0;
    case WOP_I32_SHL: case WOP_I32_SHR_S: case WOP_I32_SHR_U: return (c & 31) >= 16;
    case WOP_I64_SHL: case WOP_I64_SHR_S: case WOP_I64_SHR_U: return (c & 63) >= 32;
    default:
      return false;
  }
}

/* d = W_<NAME>(args) for a typed numeric op (no immediates, not a memory access). */
static void numeric(wemit *x, const winstr *in) {
  const char *ps, *rs;
  size_t np, nr;
  split_sig(wop_info[in->op].sig, &ps, &np, &rs, &nr);
  if (np == 0 && nr == 0) return;                     /* nop */
  uint32_t base = x->sp - (uint32_t)np;
  /* a loaded operand survives full-width arithmetic between variables; a constant operand
   * (x*0, x&0xff, x>>24, x<0u: folded away or narrowed) or a bit-narrowing op loses it */
  bool lossy = narrows(in->op);
  for (size_t k = 0; k < np && !lossy; k++)
    if (base + k < x->tcap && x->pd[base + k].kind == 'c')
      lossy = const_loses(in->op, x->pd[base + k].text);
  bool taint = false;
  for (size_t k = 0; k < np; k++) {
    if (lossy) wemit_force(x, base + (uint32_t)k);
    taint = taint || wemit_tainted(x, base + (uint32_t)k);
  }
  char args[160] = "";
  size_t al = 0;
  for (size_t k = 0; k < np; k++)
    al += (size_t)snprintf(args + al, sizeof args - al, "%s%s", k ? ", " : "",
                           wemit_v(x, base + (uint32_t)k));
  x->sp = base;
  uint32_t d = wemit_push(x, rs[0]);                  /* every typed op has one result */
  wemit_line(x, "%s = W_%s(%s);", wemit_var(x, d), op_names[in->op], args);
  wemit_set_taint(x, d, taint);
  if (is_libcall(in->op)) wemit_impure(x);
}

/* Constants; floats from their bits when not finite (NaN payloads), else as exact hex
 * literals (so -0 and subnormals survive and the compiler sees plain constants). */
static void constant(wemit *x, const winstr *in) {
  char t[44];
  switch (in->op) {
    case WOP_I32_CONST:
      snprintf(t, sizeof t, "%" PRIu32 "u", (uint32_t)in->imm.i32);
      wemit_push_const(x, 'i', t);
      break;
    case WOP_I64_CONST:
      snprintf(t, sizeof t, "%" PRIu64 "ull", (uint64_t)in->imm.i64);
      wemit_push_const(x, 'I', t);
      break;
    case WOP_F32_CONST: {
      float f;
      memcpy(&f, &in->imm.f32_bits, 4);
      if (isfinite(f)) snprintf(t, sizeof t, "%af", (double)f);
      else snprintf(t, sizeof t, "w_f32_bits(0x%08" PRIx32 "u)", in->imm.f32_bits);
      wemit_push_const(x, 'f', t);
      break;
    }
    default: {  /* F64_CONST */
      double f;
      memcpy(&f, &in->imm.f64_bits, 8);
      if (isfinite(f)) snprintf(t, sizeof t, "%a", f);
      else snprintf(t, sizeof t, "w_f64_bits(0x%016" PRIx64 "ull)", in->imm.f64_bits);
      wemit_push_const(x, 'F', t);
      break;
    }
  }
}

/* Plain loads and stores. */
static void mem_access(wemit *x, const winstr *in) {
  const wopinfo *oi = &wop_info[in->op];
  const char *ps, *rs;
  size_t np, nr;
  split_sig(oi->sig, &ps, &np, &rs, &nr);
  x->uses_mem = true;
  if (x->o->bounds_checks) x->uses_msize = true;
  if (nr) {                                           /* load: i -> T */
    uint32_t a = pop(x);
    const char *av = wemit_v(x, a);
    uint32_t d = wemit_push(x, rs[0]);
    const char *dv = wemit_var(x, d);
    wemit_line(x, "%s = W_%s(W_EA(%s, %" PRIu32 "u, %u));", dv, op_names[in->op], av,
               in->imm.mem.offset, oi->memsize);
    /* guard mode: the load must happen even if its value ends unused (wemit_force); an
     * explicit bounds check is a side effect of its own */
    wemit_set_taint(x, d, !x->o->bounds_checks);
  } else {                                            /* store: i T -> */
    /* a store narrower than its value uses only some bytes of it */
    unsigned full = (ps[1] == 'I' || ps[1] == 'F') ? 8 : 4;
    if (oi->memsize < full) wemit_force(x, x->sp - 1);
    uint32_t v = pop(x), a = pop(x);
    wemit_line(x, "W_%s(W_EA(%s, %" PRIu32 "u, %u), %s);", op_names[in->op], wemit_v(x, a),
               in->imm.mem.offset, oi->memsize, wemit_v(x, v));
  }
}

/* The unsigned C type of an n-byte access. */
static const char *utype(unsigned n) {
  return n == 1 ? "uint8_t" : n == 2 ? "uint16_t" : n == 4 ? "uint32_t" : "uint64_t";
}

/* The threads proposal's instructions. */
static void atomic(wemit *x, const winstr *in) {
  const wopinfo *oi = &wop_info[in->op];
  unsigned n = oi->memsize;
  uint32_t off = in->imm.mem.offset;
  if (in->op == WOP_ATOMIC_FENCE) { wemit_line(x, "__atomic_thread_fence(__ATOMIC_SEQ_CST);"); return; }
  wemit_force_all(x);   /* narrow atomic stores and RMWs use only some bits */
  x->uses_mem = true;
  if (x->o->bounds_checks) x->uses_msize = true;
  if (in->op == WOP_MEMORY_ATOMIC_NOTIFY) {
    uint32_t c = pop(x), a = pop(x);
    const char *av = wemit_v(x, a), *cv = wemit_v(x, c);
    uint32_t d = wemit_push(x, 'i');
    wemit_line(x, "%s = H->atomic_notify(e, inst, W_WEA(%s, %" PRIu32 "u, 4), %s);",
               wemit_var(x, d), av, off, cv);
    return;
  }
  if (in->op == WOP_MEMORY_ATOMIC_WAIT32 || in->op == WOP_MEMORY_ATOMIC_WAIT64) {
    uint32_t t = pop(x), v = pop(x), a = pop(x);
    const char *av = wemit_v(x, a), *vv = wemit_v(x, v), *tv = wemit_v(x, t);
    uint32_t d = wemit_push(x, 'i');
    wemit_line(x, "%s = H->atomic_wait%u(e, inst, W_WEA(%s, %" PRIu32 "u, %u), %s, (int64_t)%s);",
               wemit_var(x, d), n * 8, av, off, n, vv, tv);
    return;
  }
  const char *ps, *rs;
  size_t np, nr;
  split_sig(oi->sig, &ps, &np, &rs, &nr);
  const char *ut = utype(n);
  const char *text = oi->text;
  if (strstr(text, ".load")) {
    uint32_t a = pop(x);
    const char *av = wemit_v(x, a);
    uint32_t d = wemit_push(x, rs[0]);
    wemit_line(x, "%s = __atomic_load_n((%s *)W_AEA(%s, %" PRIu32 "u, %u), __ATOMIC_SEQ_CST);",
               wemit_var(x, d), ut, av, off, n);
    return;
  }
  if (strstr(text, ".store")) {
    uint32_t v = pop(x), a = pop(x);
    wemit_line(x, "__atomic_store_n((%s *)W_AEA(%s, %" PRIu32 "u, %u), (%s)%s, __ATOMIC_SEQ_CST);",
               ut, wemit_v(x, a), off, n, ut, wemit_v(x, v));
    return;
  }
  /* rmw: the operation is the last dotted component ("add_u", "cmpxchg") */
  const char *kind = strrchr(text, '.') + 1;
  if (!strncmp(kind, "cmpxchg", 7)) {
    uint32_t r = pop(x), ex = pop(x), a = pop(x);
    const char *av = wemit_v(x, a), *ev = wemit_v(x, ex), *rv = wemit_v(x, r);
    uint32_t d = wemit_push(x, rs[0]);
    wemit_line(x, "%s = w_cmpxchg%u((%s *)W_AEA(%s, %" PRIu32 "u, %u), (%s)%s, (%s)%s);",
               wemit_var(x, d), n * 8, ut, av, off, n, ut, ev, ut, rv);
    return;
  }
  const char *fn = !strncmp(kind, "add", 3)    ? "__atomic_fetch_add"
                   : !strncmp(kind, "sub", 3)  ? "__atomic_fetch_sub"
                   : !strncmp(kind, "and", 3)  ? "__atomic_fetch_and"
                   : !strncmp(kind, "or", 2)   ? "__atomic_fetch_or"
                   : !strncmp(kind, "xor", 3)  ? "__atomic_fetch_xor"
                                               : "__atomic_exchange_n";
  uint32_t v = pop(x), a = pop(x);
  const char *av = wemit_v(x, a), *vv = wemit_v(x, v);
  uint32_t d = wemit_push(x, rs[0]);
  wemit_line(x, "%s = %s((%s *)W_AEA(%s, %" PRIu32 "u, %u), (%s)%s, __ATOMIC_SEQ_CST);",
             wemit_var(x, d), fn, ut, av, off, n, ut, vv);
}

/* memory.size/grow, bulk memory, tables, segments, references. */
static bool misc(wemit *x, const winstr *in) {
  switch (in->op) {
    case WOP_MEMORY_SIZE: {
      uint32_t d = wemit_push(x, 'i');
      wemit_line(x, "%s = (uint32_t)(W_MEMBYTES() >> 16);", wemit_var(x, d));
      return true;
    }
    case WOP_MEMORY_GROW: {
      const char *av = wemit_v(x, pop(x));
      uint32_t d = wemit_push(x, 'i');
      wemit_line(x, "%s = H->memory_grow(e, inst, %s);", wemit_var(x, d), av);
      if (x->o->bounds_checks) { x->uses_msize = true; wemit_line(x, "msize = W_MEMBYTES();"); }
      return true;
    }
    case WOP_MEMORY_INIT: case WOP_MEMORY_COPY: case WOP_MEMORY_FILL: {
      uint32_t nn = pop(x), s = pop(x), d = pop(x);
      const char *dv = wemit_v(x, d), *sv = wemit_v(x, s), *nv = wemit_v(x, nn);
      x->uses_mem = true;
      /* copy and fill inline (a bounds check, then memmove/memset: the C compiler expands
       * small ones); init needs the segment table, so stays a helper */
      if (in->op == WOP_MEMORY_INIT)
        wemit_line(x, "H->memory_init(e, inst, %" PRIu32 "u, %s, %s, %s);", in->imm.two.a, dv, sv, nv);
      else
        wemit_line(x, "W_MEMORY_%s(%s, %s, %s);", in->op == WOP_MEMORY_COPY ? "COPY" : "FILL",
                   dv, sv, nv);
      return true;
    }
    case WOP_DATA_DROP:
      wemit_line(x, "H->data_drop(e, inst, %" PRIu32 "u);", in->imm.index);
      return true;
    case WOP_ELEM_DROP:
      wemit_line(x, "H->elem_drop(e, inst, %" PRIu32 "u);", in->imm.index);
      return true;
    case WOP_TABLE_INIT: case WOP_TABLE_COPY: {
      uint32_t nn = pop(x), s = pop(x), d = pop(x);
      const char *dv = wemit_v(x, d), *sv = wemit_v(x, s), *nv = wemit_v(x, nn);
      if (in->op == WOP_TABLE_INIT)   /* imm: elem segment, table */
        wemit_line(x, "H->table_init(e, inst, %" PRIu32 "u, %" PRIu32 "u, %s, %s, %s);",
                   in->imm.two.b, in->imm.two.a, dv, sv, nv);
      else                            /* imm: destination, source */
        wemit_line(x, "H->table_copy(e, inst, %" PRIu32 "u, %" PRIu32 "u, %s, %s, %s);",
                   in->imm.two.a, in->imm.two.b, dv, sv, nv);
      return true;
    }
    case WOP_TABLE_GET: {
      uint32_t i = pop(x);
      const char *iv = wemit_v(x, i);
      uint32_t d = wemit_push(x, 'r');
      wemit_line(x, "%s = H->table_get(e, inst, %" PRIu32 "u, %s);", wemit_var(x, d), in->imm.index, iv);
      return true;
    }
    case WOP_TABLE_SET: {
      uint32_t v = pop(x), i = pop(x);
      wemit_line(x, "H->table_set(e, inst, %" PRIu32 "u, %s, %s);", in->imm.index, wemit_v(x, i),
                 wemit_v(x, v));
      return true;
    }
    case WOP_TABLE_GROW: {
      uint32_t nn = pop(x), v = pop(x);
      const char *nv = wemit_v(x, nn), *vv = wemit_v(x, v);
      uint32_t d = wemit_push(x, 'i');
      wemit_line(x, "%s = H->table_grow(e, inst, %" PRIu32 "u, %s, %s);", wemit_var(x, d),
                 in->imm.index, vv, nv);
      return true;
    }
    case WOP_TABLE_SIZE: {
      uint32_t d = wemit_push(x, 'i');
      wemit_line(x, "%s = inst->tables[%" PRIu32 "]->size;", wemit_var(x, d), in->imm.index);
      return true;
    }
    case WOP_TABLE_FILL: {
      uint32_t nn = pop(x), v = pop(x), i = pop(x);
      wemit_line(x, "H->table_fill(e, inst, %" PRIu32 "u, %s, %s, %s);", in->imm.index,
                 wemit_v(x, i), wemit_v(x, v), wemit_v(x, nn));
      return true;
    }
    case WOP_REF_NULL: wemit_push_const(x, 'r', "0"); return true;
    case WOP_REF_IS_NULL: {
      uint32_t r = pop(x);
      const char *rv = wemit_v(x, r);
      uint32_t d = wemit_push(x, 'i');
      wemit_line(x, "%s = (uint32_t)(%s == 0);", wemit_var(x, d), rv);
      return true;
    }
    case WOP_REF_FUNC: {
      uint32_t d = wemit_push(x, 'r');
      wemit_line(x, "%s = (uintptr_t)inst->funcs[%" PRIu32 "];", wemit_var(x, d), in->imm.index);
      return true;
    }
    default:
      return false;
  }
}

bool wemit_op(wemit *x, const winstr *in) {
  const wopinfo *oi = &wop_info[in->op];
  if (in->op == WOP_MEMORY_ATOMIC_NOTIFY || in->op == WOP_MEMORY_ATOMIC_WAIT32 ||
      in->op == WOP_MEMORY_ATOMIC_WAIT64)
    wemit_impure(x);   /* helpers */
  if (oi->prefix == 0xFE) { atomic(x, in); return true; }
  if (oi->memsize) { mem_access(x, in); return true; }
  switch (in->op) {
    case WOP_I32_CONST: case WOP_I64_CONST: case WOP_F32_CONST: case WOP_F64_CONST:
      constant(x, in);
      return true;
    default: break;
  }
  if (oi->imm == WIMM_NONE && strcmp(oi->sig, "*") != 0) { numeric(x, in); return true; }
  /* the rest either calls a helper or a libc routine (memory.copy/fill), or is a
   * reference/table read that never loops: all treated as leaving generated code */
  wemit_impure(x);
  wemit_force_all(x);
  return misc(x, in);
}
