/* compile.c — translation of validated wasm function bodies into internal code (code.h).
 *
 * One pass over the body with the shared instruction reader. The translator keeps a
 * compile-time model of the operand stack: each entry is either a value in a frame slot
 * (its "home" slot L+depth, or a local's slot when a local.get is forwarded lazily) or a
 * constant not yet materialised. Instructions read their operands straight from those
 * slots, so `local.get a; local.get b; i32.add; local.set c` becomes `add c,a,b`.
 * Invariants:
 *  - a stack entry in a slot is either at its own home or in a local's slot (< L);
 *  - at every label (block/loop/if entry, else, end) all entries are at home, so code
 *    reached from several paths agrees on where values are;
 *  - before a local is written, entries that lazily refer to it are materialised.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "code.h"
#include "../module/reader.h"

#define NOPATCH 0xFFFFFFFFu
#define MAX_FRAME_SLOTS (1u << 22)

/* A compile-time operand-stack entry. */
typedef struct {
  uint8_t is_const;
  uint32_t slot;   /* where the value lives (when !is_const) */
  uint64_t k;      /* the constant (when is_const) */
} ventry;

enum { LB_BLOCK, LB_LOOP, LB_IF, LB_FUNC };

/* A control label. Forward branches are chained through their offset cells (patch). */
typedef struct {
  uint8_t kind;
  uint32_t height;      /* operand depth below the block's params */
  uint32_t nparams, nresults;
  uint32_t loop_pos;    /* loop: cell position of the header */
  uint32_t patch;       /* head of the forward-branch chain, NOPATCH if none */
  uint32_t else_patch;  /* if: the jump-to-else cell, NOPATCH once bound */
  uint32_t spill;       /* if with params: relative spill index of the saved params */
} wlabel;

typedef struct {
  const wmodule *m;
  werr *err;
  uint32_t *code; uint32_t len, cap;
  ventry *st; uint32_t depth, stcap, maxdepth;
  wlabel *lb; uint32_t nlb, lbcap;
  uint32_t L;                        /* first home slot: nparams + nlocals */
  uint32_t nres;                     /* function result count */
  uint32_t spill_cur, nspill;        /* spill slots in use / maximum */
  uint32_t *spfix; uint32_t nspfix, spfixcap; /* cells holding relative spill indexes */
  uint32_t *mpos, *moff; uint32_t nmap, mapcap;
  uint32_t ldst_pos, ldst_end, ldst_slot; /* last single-result instruction (retargetable) */
  uint32_t fz_start, fz_end, fz_dst, fz_a, fz_b; int fz_op; /* last compare (fusable) */
  uint32_t ad_start, ad_end, ad_dst, ad_a, ad_imm;  /* last i32.add-immediate (address) */
  uint32_t ld_start, ld_end, ld_dst, ld_addr, ld_off, ld_op; /* last plain load (fusable) */
  uint32_t ld_imm; bool ld_a;        /* ... with a fused address immediate (_A form) */
  uint32_t lk_start, lk_end, lk_dst, lk_addr, lk_off; /* last plain i32.load into a local */
  uint32_t lf_start, lf_end, lf_iop, lf_dst, lf_a, lf_p, lf_off; /* last load+binop (_L) */
  uint32_t sh_start, sh_end, sh_dst, sh_src, sh_k;  /* last i32.shl-immediate */
  uint32_t sh_pa;                    /* start of an i32.add-immediate just before it, or NOPATCH */
  uint32_t im_start, im_end, im_dst, im_src, im_k, im_iop; /* last i32 shift/rotate-immediate */
  uint32_t imp_start, imp_end, imp_dst, imp_src, imp_k, imp_iop; /* the one just before it */
  uint32_t rx_start, rx_end, rx_dst;  /* last I32_ROTL_XOR_ROTL */
  uint32_t sx_start, sx_end, sx_dst, sx_base, sx_idx, sx_k; /* last base + (idx << k) */
  uint32_t mv_start, mv_end;         /* last MOV / MOV2 (a following MOV joins it) */
  uint32_t ai_start, ai_end;         /* last i32.add (immediate or, ai_reg, two slots),
                                        even if retargeted */
  bool ai_reg;
  uint32_t aip_start, aip_end; bool aip_reg; /* an i32.add-immediate just before that one */
  uint32_t fb_start, fb_end, fb_dst, fb_a, fb_b, fb_op; /* last f64 add/sub/mul (chains) */
  uint32_t ib_start, ib_end, ib_dst, ib_a, ib_b, ib_op; /* last i32 add/and/or/xor (chains) */
  uint32_t fc_start, fc_end, fc_dst;  /* last F64_MUL_MUL_L */
  uint32_t fm_start, fm_end, fm_dst, fm_a, fm_p, fm_imm, fm_off; /* last F64_MUL_L/LA */
  bool dead; uint32_t dead_nest;
  bool oom;
} wcomp;

/* Grows *p (of *cap elements of size sz) to hold n; sets oom on failure. */
static bool grow(wcomp *c, void **p, uint32_t *cap, uint32_t n, size_t sz) {
  if (n <= *cap) return true;
  uint32_t nc = *cap ? *cap * 2 : 64;
  while (nc < n) nc *= 2;
  void *q = realloc(*p, (size_t)nc * sz);
  if (!q) { c->oom = true; return false; }
  *p = q;
  *cap = nc;
  return true;
}

/* Appends one cell. */
static void emit(wcomp *c, uint32_t v) {
  if (c->len == c->cap && !grow(c, (void **)&c->code, &c->cap, c->len + 1, 4)) return;
  c->code[c->len++] = v;
}

static void barrier(wcomp *c);
/* Drops the code from pos on (an instruction being replaced by a fused form). Windows of
 * the instructions before pos that the multiply-add fusion looks back at stay valid. */
static void rewind_to(wcomp *c, uint32_t pos) {
  uint32_t ai_s = c->ai_start, ai_e = c->ai_end, fm_e = c->fm_end, fc_e = c->fc_end;
  bool ai_r = c->ai_reg;
  uint32_t aip_s = c->aip_start, aip_e = c->aip_end;
  bool aip_r = c->aip_reg;
  c->len = pos;
  barrier(c);
  if (fm_e <= pos) c->fm_end = fm_e;
  if (fc_e <= pos) c->fc_end = fc_e;
  if (ai_e <= pos) { c->ai_start = ai_s; c->ai_end = ai_e; c->ai_reg = ai_r; }
  else if (aip_e == pos) { c->ai_start = aip_s; c->ai_end = aip_e; c->ai_reg = aip_r; }
}

/* Forgets retarget/fusion candidates: called whenever a label is bound at c->len. */
static void barrier(wcomp *c) {
  c->ldst_end = NOPATCH; c->fz_end = NOPATCH; c->ad_end = NOPATCH; c->ld_end = NOPATCH;
  c->lf_end = NOPATCH; c->sh_end = NOPATCH; c->sx_end = NOPATCH; c->im_end = NOPATCH;
  c->mv_end = NOPATCH; c->ai_end = NOPATCH; c->fb_end = NOPATCH; c->fm_end = NOPATCH;
  c->ib_end = NOPATCH; c->imp_end = NOPATCH; c->rx_end = NOPATCH;
  c->lk_end = NOPATCH; c->fc_end = NOPATCH;
}

static uint32_t home(const wcomp *c, uint32_t depth) { return c->L + depth; }

static void push_entry(wcomp *c, ventry e) {
  if (!grow(c, (void **)&c->st, &c->stcap, c->depth + 1, sizeof(ventry))) return;
  c->st[c->depth++] = e;
  if (c->depth > c->maxdepth) c->maxdepth = c->depth;
}
static void push_home(wcomp *c) { push_entry(c, (ventry){0, home(c, c->depth), 0}); }
static void push_const(wcomp *c, uint64_t k) { push_entry(c, (ventry){1, 0, k}); }

/* Emits code putting entry e's value into slot dst (no change to the model). */
static void move_to(wcomp *c, ventry e, uint32_t dst) {
  if (e.is_const) {
    if (e.k <= 0xFFFFFFFFu) { emit(c, IOP_CONST32); emit(c, dst); emit(c, (uint32_t)e.k); }
    else { emit(c, IOP_CONST64); emit(c, dst); emit(c, (uint32_t)e.k); emit(c, (uint32_t)(e.k >> 32)); }
  } else if (e.slot != dst) {
    if (c->ai_end == c->len && !c->ai_reg && !c->oom && c->code[c->ai_start + 1] == e.slot) {
      /* copy of the i32.add-immediate just computed: it writes both slots */
      c->code[c->ai_start] = IOP_I32_ADD_I_MOV;
      emit(c, dst);
      c->ai_end = NOPATCH;
      return;
    }
    if (c->mv_end == c->len && !c->oom) {
      bool two = c->code[c->mv_start] == IOP_MOV;
      c->code[c->mv_start] = two ? IOP_MOV2 : IOP_MOV3;
      emit(c, dst); emit(c, e.slot);
      c->mv_end = two ? c->len : NOPATCH;
      return;
    }
    c->mv_start = c->len;
    emit(c, IOP_MOV); emit(c, dst); emit(c, e.slot);
    c->mv_end = c->len;
  }
}

/* Materialises the entry at depth i into its home slot. */
static void mat(wcomp *c, uint32_t i) {
  ventry *e = &c->st[i];
  uint32_t h = home(c, i);
  if (!e->is_const && e->slot == h) return;
  move_to(c, *e, h);
  *e = (ventry){0, h, 0};
}
static void mat_all(wcomp *c) { for (uint32_t i = 0; i < c->depth; i++) mat(c, i); }

/* Slot of the k-th entry from the top (k=1: top), materialising a constant. */
static uint32_t opnd(wcomp *c, uint32_t k) {
  uint32_t i = c->depth - k;
  if (c->st[i].is_const) mat(c, i);
  return c->st[i].slot;
}

/* Records that the instruction just emitted writes its single result to cell `pos`'s slot
 * (the home of the new top), so a following local.set may retarget it. */
static void set_ldst(wcomp *c, uint32_t pos) {
  c->ldst_pos = pos; c->ldst_end = c->len; c->ldst_slot = c->code ? c->code[pos] : 0;
}

/* Records the cell position → wasm offset pair for the instruction starting now. */
static void map_add(wcomp *c, uint32_t off) {
  while (c->nmap && c->mpos[c->nmap - 1] >= c->len) c->nmap--;
  uint32_t cap0 = c->mapcap;
  if (!grow(c, (void **)&c->mpos, &c->mapcap, c->nmap + 1, 4)) return;
  c->mapcap = cap0;
  if (!grow(c, (void **)&c->moff, &c->mapcap, c->nmap + 1, 4)) return;
  c->mpos[c->nmap] = c->len;
  c->moff[c->nmap++] = off;
}

/* Resolves a forward-branch chain to target position `to`. */
static void bind_chain(wcomp *c, uint32_t head, uint32_t to) {
  while (head != NOPATCH) {
    uint32_t next = c->code[head];
    c->code[head] = (uint32_t)((int32_t)to - (int32_t)head);
    head = next;
  }
  barrier(c);
}
/* Points the offset cell at `pos` to label lb (backward now, or chained for later). */
static void link_label(wcomp *c, wlabel *lb, uint32_t pos) {
  if (c->oom) return;
  if (lb->kind == LB_LOOP) c->code[pos] = (uint32_t)((int32_t)lb->loop_pos - (int32_t)pos);
  else { c->code[pos] = lb->patch; lb->patch = pos; }
}
static uint32_t arity(const wlabel *lb) { return lb->kind == LB_LOOP ? lb->nparams : lb->nresults; }

/* True if branching to lb needs value moves (the carried values are not at their homes). */
static bool needs_moves(const wcomp *c, const wlabel *lb) {
  uint32_t n = arity(lb);
  for (uint32_t i = 0; i < n; i++) {
    ventry e = c->st[c->depth - n + i];
    if (e.is_const || e.slot != home(c, lb->height + i)) return true;
  }
  return false;
}
/* Emits the moves carrying the branch values to lb's result homes (ascending order is
 * safe: every source is a local, a constant, or a home at least as high as its target). */
static void branch_moves(wcomp *c, const wlabel *lb) {
  uint32_t n = arity(lb);
  for (uint32_t i = 0; i < n; i++) move_to(c, c->st[c->depth - n + i], home(c, lb->height + i));
}
/* Emits an unconditional jump to lb. */
static void jump_to(wcomp *c, wlabel *lb) {
  emit(c, IOP_BR);
  emit(c, NOPATCH);
  link_label(c, lb, c->len - 1);
}
/* Emits a return of the top nres values (does not change the model). */
static void emit_return(wcomp *c) {
  uint32_t n = c->nres;
  if (n == 0) { emit(c, IOP_RET0); return; }
  if (n == 1) {
    ventry e = c->st[c->depth - 1];
    uint32_t s = e.slot;
    if (!e.is_const && c->ldst_end == c->len && s == c->ldst_slot && s == home(c, c->depth - 1) &&
        !c->oom) {
      /* the result was just computed: write it straight to fp[0] and return */
      c->code[c->ldst_pos] = 0;
      barrier(c);
      emit(c, IOP_RET0);
      return;
    }
    if (!e.is_const && s == 0) { emit(c, IOP_RET0); return; }  /* already in fp[0] */
    if (e.is_const) { s = home(c, c->depth - 1); move_to(c, e, s); }
    emit(c, IOP_RET1); emit(c, s);
    return;
  }
  for (uint32_t i = c->depth - n; i < c->depth; i++) move_to(c, c->st[i], home(c, i));
  emit(c, IOP_RETN); emit(c, home(c, c->depth - n)); emit(c, n);
}

/* Negated comparison index (EQ NE LT_S LT_U GT_S GT_U LE_S LE_U GE_S GE_U). */
static const uint8_t neg_cmp[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};

/* Emits a conditional jump taken when cond is non-zero (when_true) or zero, fusing the
 * compare just emitted when possible. Returns the offset cell to link, or NOPATCH if the
 * jump can never be taken (constant condition). */
static uint32_t jump_if(wcomp *c, ventry cond, bool when_true) {
  if (cond.is_const) {
    if ((cond.k != 0) != when_true) return NOPATCH;
    emit(c, IOP_BR); emit(c, NOPATCH);
    return c->len - 1;
  }
  /* the value tested was just loaded (plain i32.load / i32.load8_u): test it in place */
  if (c->ld_end == c->len && c->ld_dst == cond.slot && !c->ld_a && !c->oom &&
      (c->ld_op == IOP_I32_LOAD || c->ld_op == IOP_I32_LOAD8_U)) {
    bool b8 = c->ld_op == IOP_I32_LOAD8_U;
    uint32_t p = c->ld_addr, o = c->ld_off;
    c->len = c->ld_start;
    barrier(c);
    emit(c, b8 ? (when_true ? IOP_BR_L8_NZ : IOP_BR_L8_Z) : (when_true ? IOP_BR_L32_NZ : IOP_BR_L32_Z));
    emit(c, p); emit(c, o); emit(c, NOPATCH);
    return c->len - 1;
  }
  if (c->fz_end == c->len && c->fz_dst == cond.slot && !c->oom) {
    int op = c->fz_op;
    uint32_t a = c->fz_a, b = c->fz_b;
    /* a compare whose first (or, reg-reg, second) operand was loaded just before it */
    bool lfz = c->ld_end == c->fz_start && !c->ld_a && c->ld_op == IOP_I32_LOAD &&
               ((op >= IOP_I32_EQ && op <= IOP_I32_GE_U && (a == c->ld_dst) != (b == c->ld_dst)) ||
                (op >= IOP_I32_EQ_I && op <= IOP_I32_GE_U_I && a == c->ld_dst));
    uint32_t lp = c->ld_addr, lo = c->ld_off, ls = c->ld_start, ldst = c->ld_dst;
    /* the same with the value loaded into a local (kept: BR_LW forms) */
    bool lwz = !lfz && c->lk_end == c->fz_start &&
               ((op >= IOP_I32_EQ && op <= IOP_I32_GE_U && (a == c->lk_dst) != (b == c->lk_dst)) ||
                (op >= IOP_I32_EQ_I && op <= IOP_I32_GE_U_I && a == c->lk_dst));
    if (lwz) { lp = c->lk_addr; lo = c->lk_off; ls = c->lk_start; ldst = c->lk_dst; lfz = true; }
    /* an i32 compare of the i32.add just computed (a loop counter) with an immediate or a
     * slot: one ABR / AXBR instruction */
    uint32_t ad = c->ai_end == c->fz_start ? c->code[c->ai_start + 1] : NOPATCH;
    bool cr = op >= IOP_I32_EQ && op <= IOP_I32_GE_U, ci_ = op >= IOP_I32_EQ_I && op <= IOP_I32_GE_U_I;
    if (!lfz && ad != NOPATCH && ((ci_ && a == ad) || (cr && !c->ai_reg && (a == ad) != (b == ad)))) {
      static const uint8_t swap_cmp[10] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};
      int ci = ci_ ? op - IOP_I32_EQ_I : op - IOP_I32_EQ;
      uint32_t other = b;
      if (cr && b == ad) { ci = swap_cmp[ci]; other = a; }
      if (!when_true) ci = neg_cmp[ci];
      bool reg = c->ai_reg;
      uint32_t x = c->code[c->ai_start + 2], y = c->code[c->ai_start + 3];
      c->len = c->ai_start;
      barrier(c);
      emit(c, reg ? (uint32_t)(IOP_ABR_I32_EQ + 3 * ci + 2)
                  : (uint32_t)(IOP_ABR_I32_EQ + 3 * ci + (ci_ ? 1 : 0)));
      emit(c, ad); emit(c, x); emit(c, y); emit(c, other); emit(c, NOPATCH);
      return c->len - 1;
    }
    c->len = lfz ? ls : c->fz_start;
    barrier(c);
    if (lfz) {
      static const uint8_t swap_cmp[10] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};
      bool imm = op >= IOP_I32_EQ_I;
      int ci = imm ? op - IOP_I32_EQ_I : op - IOP_I32_EQ;
      uint32_t other = b;
      if (!imm && b == ldst) { ci = swap_cmp[ci]; other = a; }
      if (!when_true) ci = neg_cmp[ci];
      if (lwz) {
        emit(c, (uint32_t)(IOP_BR_LW_I32_EQ + 2 * ci + (imm ? 1 : 0)));
        emit(c, ldst);
      } else {
        emit(c, (uint32_t)(IOP_BR_L_I32_EQ + 2 * ci + (imm ? 1 : 0)));
      }
      emit(c, lp); emit(c, lo); emit(c, other); emit(c, NOPATCH);
      return c->len - 1;
    }
    if (op == IOP_I32_EQZ || op == IOP_I64_EQZ) {
      bool is64 = op == IOP_I64_EQZ;
      emit(c, when_true ? (is64 ? IOP_BR_I64_Z : IOP_BR_Z) : (is64 ? IOP_BR_I64_NZ : IOP_BR_NZ));
      emit(c, a); emit(c, NOPATCH);
      return c->len - 1;
    }
    int ci, variant;
    if (op >= IOP_I32_EQ && op <= IOP_I32_GE_U) { ci = op - IOP_I32_EQ; variant = 0; }
    else if (op >= IOP_I32_EQ_I && op <= IOP_I32_GE_U_I) { ci = op - IOP_I32_EQ_I; variant = 1; }
    else if (op >= IOP_I64_EQ_I && op <= IOP_I64_GE_U_I) { ci = op - IOP_I64_EQ_I; variant = 3; }
    else { ci = op - IOP_I64_EQ; variant = 2; }
    if (!when_true) ci = neg_cmp[ci];
    emit(c, variant == 3 ? (uint32_t)(IOP_BR_I64_EQ_I + ci) : (uint32_t)(IOP_BR_I32_EQ + 3 * ci + variant));
    emit(c, a); emit(c, b); emit(c, NOPATCH);
    return c->len - 1;
  }
  if (c->ai_end == c->len && !c->ai_reg && c->code[c->ai_start + 1] == cond.slot && !c->oom) {
    /* the value tested is the i32.add-immediate just computed */
    uint32_t d = cond.slot, a = c->code[c->ai_start + 2], k = c->code[c->ai_start + 3];
    c->len = c->ai_start;
    barrier(c);
    emit(c, when_true ? IOP_ABR_NZ : IOP_ABR_Z); emit(c, d); emit(c, a); emit(c, k);
    emit(c, NOPATCH);
    return c->len - 1;
  }
  emit(c, when_true ? IOP_BR_NZ : IOP_BR_Z); emit(c, cond.slot); emit(c, NOPATCH);
  return c->len - 1;
}

static wlabel *push_label(wcomp *c, uint8_t kind, uint32_t np, uint32_t nr) {
  if (!grow(c, (void **)&c->lb, &c->lbcap, c->nlb + 1, sizeof(wlabel))) return NULL;
  wlabel *lb = &c->lb[c->nlb++];
  *lb = (wlabel){kind, c->depth - np, np, nr, 0, NOPATCH, NOPATCH, 0};
  return lb;
}

/* Emits a MOV between a home slot and a spill slot (fixed up once the frame is sized). */
static void spill_move(wcomp *c, bool to_spill, uint32_t homeslot, uint32_t rel) {
  emit(c, IOP_MOV);
  uint32_t at = c->len;
  if (to_spill) { emit(c, rel); emit(c, homeslot); }
  else { emit(c, homeslot); emit(c, rel); at++; }
  if (grow(c, (void **)&c->spfix, &c->spfixcap, c->nspfix + 1, 4)) c->spfix[c->nspfix++] = at;
}

/* Opcode classes for the table-driven simple instructions. */
enum { SK_NONE, SK_IBIN, SK_BIN, SK_UN, SK_LOAD, SK_STORE, SK_RMW, SK_CMPXCHG };
#define K_IBIN(N, ...) [WOP_##N] = SK_IBIN,
#define K_BIN(N, ...) [WOP_##N] = SK_BIN,
#define K_UN(N, ...) [WOP_##N] = SK_UN,
#define K_LOAD(N, ...) [WOP_##N] = SK_LOAD,
#define K_STORE(N, ...) [WOP_##N] = SK_STORE,
#define K_RMW(N, ...) [WOP_##N] = SK_RMW,
#define K_CX(N, ...) [WOP_##N] = SK_CMPXCHG,
static const uint8_t skind[WOP_COUNT_] = {
  WI_IBIN(K_IBIN) WI_FBIN(K_BIN) WI_UN(K_UN) WI_TRUNC(K_UN) WI_SAT(K_UN) WI_LOAD(K_LOAD)
  WI_STORE(K_STORE) WI_ALOAD(K_LOAD) WI_ASTORE(K_STORE) WI_RMW(K_RMW) WI_CMPXCHG(K_CX)
  [WOP_I32_DIV_S] = SK_BIN, [WOP_I32_DIV_U] = SK_BIN, [WOP_I32_REM_S] = SK_BIN,
  [WOP_I32_REM_U] = SK_BIN, [WOP_I64_DIV_S] = SK_BIN, [WOP_I64_DIV_U] = SK_BIN,
  [WOP_I64_REM_S] = SK_BIN, [WOP_I64_REM_U] = SK_BIN,
};
#define K_IOP(N, ...) [WOP_##N] = IOP_##N,
static const uint16_t siop[WOP_COUNT_] = {
  WI_IBIN(K_IOP) WI_FBIN(K_IOP) WI_UN(K_IOP) WI_TRUNC(K_IOP) WI_SAT(K_IOP) WI_LOAD(K_IOP)
  WI_STORE(K_IOP) WI_ALOAD(K_IOP) WI_ASTORE(K_IOP) WI_RMW(K_IOP) WI_CMPXCHG(K_IOP)
  [WOP_I32_DIV_S] = IOP_I32_DIV_S, [WOP_I32_DIV_U] = IOP_I32_DIV_U,
  [WOP_I32_REM_S] = IOP_I32_REM_S, [WOP_I32_REM_U] = IOP_I32_REM_U,
  [WOP_I64_DIV_S] = IOP_I64_DIV_S, [WOP_I64_DIV_U] = IOP_I64_DIV_U,
  [WOP_I64_REM_S] = IOP_I64_REM_S, [WOP_I64_REM_U] = IOP_I64_REM_U,
};

/* Emits "op d <n operand slots> [extra]" for an instruction popping n values and pushing
 * one result; the result is retargetable. */
/* Returns the position of the instruction itself: constant operands are materialised
 * before it, and a fusion that later rewinds to the instruction must keep them. */
static uint32_t emit_result_op(wcomp *c, uint32_t iop, uint32_t n, const uint32_t *extra,
                               uint32_t nextra) {
  uint32_t s[4];
  for (uint32_t k = 0; k < n; k++) s[k] = opnd(c, n - k);
  c->depth -= n;
  uint32_t at = c->len;
  emit(c, iop);
  uint32_t dpos = c->len;
  emit(c, home(c, c->depth));
  for (uint32_t k = 0; k < n; k++) emit(c, s[k]);
  for (uint32_t k = 0; k < nextra; k++) emit(c, extra[k]);
  push_home(c);
  set_ldst(c, dpos);
  return at;
}
/* Emits "op <n operand slots> [extra]" for an instruction popping n values, no result. */
static void emit_void_op(wcomp *c, uint32_t iop, const uint32_t *pre, uint32_t npre, uint32_t n,
                         const uint32_t *extra, uint32_t nextra) {
  uint32_t s[4];
  for (uint32_t k = 0; k < n; k++) s[k] = opnd(c, n - k);
  c->depth -= n;
  emit(c, iop);
  for (uint32_t k = 0; k < npre; k++) emit(c, pre[k]);
  for (uint32_t k = 0; k < n; k++) emit(c, s[k]);
  for (uint32_t k = 0; k < nextra; k++) emit(c, extra[k]);
}

/* Fused load+binop forms: binop iop -> (load iop, fused iop). */
#define K_LB(N, F, CT, LOP) {IOP_##N, IOP_##LOP, IOP_##N##_L},
static const uint16_t lbin_tab[][3] = { WI_LBIN(K_LB) };

/* If the top operand is the result of the load just emitted and binop iop has a fused
 * form taking it from memory, replaces the load with the fused instruction. */
static bool try_load_fuse(wcomp *c, uint32_t iop) {
  if (c->ld_end != c->len || c->oom || c->depth < 2) return false;
  ventry b = c->st[c->depth - 1], a = c->st[c->depth - 2];
  if (b.is_const || a.is_const || b.slot != c->ld_dst) return false;
  for (size_t i = 0; i < sizeof lbin_tab / sizeof lbin_tab[0]; i++) {
    if (lbin_tab[i][0] != iop || lbin_tab[i][1] != c->ld_op) continue;
    uint32_t p = c->ld_addr, o = c->ld_off, imm = c->ld_imm;
    bool la = c->ld_a;
    rewind_to(c, c->ld_start);     /* a multiply just before the load stays fusable */
    c->depth -= 2;
    emit(c, lbin_tab[i][2] + (la ? 1u : 0u));
    uint32_t dpos = c->len;
    emit(c, home(c, c->depth)); emit(c, a.slot); emit(c, p);
    if (la) emit(c, imm);
    emit(c, o);
    push_home(c);
    set_ldst(c, dpos);
    if (!la && !c->oom) {
      c->lf_start = dpos - 1; c->lf_end = c->len; c->lf_iop = lbin_tab[i][2];
      c->lf_dst = c->code[dpos]; c->lf_a = a.slot; c->lf_p = p; c->lf_off = o;
    }
    if (lbin_tab[i][2] == IOP_F64_MUL_L && !c->oom) {
      c->fm_start = dpos - 1; c->fm_end = c->len; c->fm_dst = c->code[dpos];
      c->fm_a = a.slot; c->fm_p = p; c->fm_imm = la ? imm : 0; c->fm_off = o;
    }
    return true;
  }
  return false;
}

/* i32 xor/or/add whose operand is the shift/rotate-by-immediate just emitted: replaces
 * both with the fused form. base + (idx << k) (I32_ADD_SHL) is remembered so a following
 * load/store can take it as its address (_X forms). */
#define K_SB(O, SH, ...) {IOP_I32_##O, IOP_I32_##SH, IOP_I32_##O##_##SH},
static const uint16_t sbin_tab[][3] = { WI_SBIN(K_SB) };
static bool try_shift_fuse(wcomp *c, uint32_t iop) {
  if (c->im_end != c->len || c->oom || c->depth < 2) return false;
  ventry a = c->st[c->depth - 2], b = c->st[c->depth - 1];
  if (a.is_const || b.is_const) return false;
  uint32_t other;
  if (b.slot == c->im_dst) other = a.slot;
  else if (a.slot == c->im_dst) other = b.slot;
  else return false;
  for (size_t i = 0; i < sizeof sbin_tab / sizeof sbin_tab[0]; i++) {
    if (sbin_tab[i][0] != iop || sbin_tab[i][1] != c->im_iop) continue;
    uint32_t x = c->im_src, k = c->im_k;
    if (iop == IOP_I32_XOR && c->rx_end == c->im_start && other == c->rx_dst &&
        (c->im_iop == IOP_I32_ROTL || c->im_iop == IOP_I32_SHR_U)) {
      /* rotl ^ rotl ^ rotl/shr: sha-2's sigma functions in one instruction */
      uint32_t r[4];
      memcpy(r, c->code + c->rx_start + 2, sizeof r);
      c->len = c->rx_start;
      barrier(c);
      c->depth -= 2;
      emit(c, c->im_iop == IOP_I32_ROTL ? IOP_I32_SIGMA_ROTL : IOP_I32_SIGMA_SHR_U);
      uint32_t dpos = c->len;
      emit(c, home(c, c->depth));
      for (int j = 0; j < 4; j++) emit(c, r[j]);
      emit(c, x); emit(c, k);
      push_home(c);
      set_ldst(c, dpos);
      return true;
    }
    if (iop == IOP_I32_XOR && c->im_iop == IOP_I32_ROTL && c->imp_end == c->im_start &&
        other == c->imp_dst && c->imp_iop == IOP_I32_ROTL) {
      /* rotl(x, k) ^ rotl(y, j): both rotates in one instruction */
      uint32_t x0 = c->imp_src, k0 = c->imp_k;
      c->len = c->imp_start;
      barrier(c);
      c->depth -= 2;
      emit(c, IOP_I32_ROTL_XOR_ROTL);
      uint32_t dpos = c->len;
      emit(c, home(c, c->depth)); emit(c, x0); emit(c, k0); emit(c, x); emit(c, k);
      push_home(c);
      set_ldst(c, dpos);
      if (!c->oom) { c->rx_start = dpos - 1; c->rx_end = c->len; c->rx_dst = c->code[dpos]; }
      return true;
    }
    c->len = c->im_start;
    barrier(c);
    c->depth -= 2;
    emit(c, sbin_tab[i][2]);
    uint32_t dpos = c->len;
    emit(c, home(c, c->depth)); emit(c, other); emit(c, x); emit(c, k);
    push_home(c);
    set_ldst(c, dpos);
    if (sbin_tab[i][2] == IOP_I32_ADD_SHL && !c->oom) {
      c->sx_start = dpos - 1; c->sx_end = c->len; c->sx_dst = c->code[dpos];
      c->sx_base = other; c->sx_idx = x; c->sx_k = k & 31;
    }
    return true;
  }
  return false;
}

/* `x[i] = x[i] OP v`: the store's value is the load+binop just emitted, on the same
 * address. Replaces both with the read-modify-write form. */
#define K_MB(N, F, CT, LOP, SOP) {IOP_##N##_L, IOP_##SOP, IOP_##N##_M},
static const uint16_t mbin_tab[][3] = { WI_MBIN(K_MB) };
static bool try_rmw_fuse(wcomp *c, uint32_t iop, uint32_t off) {
  if (c->lf_end != c->len || c->oom || c->depth < 2) return false;
  ventry a = c->st[c->depth - 2], v = c->st[c->depth - 1];
  if (a.is_const || v.is_const || v.slot != c->lf_dst || a.slot != c->lf_p || off != c->lf_off)
    return false;
  for (size_t i = 0; i < sizeof mbin_tab / sizeof mbin_tab[0]; i++) {
    if (mbin_tab[i][0] != c->lf_iop || mbin_tab[i][1] != iop) continue;
    uint32_t src = c->lf_a;
    if (mbin_tab[i][2] == IOP_F64_ADD_M && c->fc_end == c->lf_start && c->fc_dst == src &&
        src >= c->L && a.slot != src) {
      /* x[i] += (a * b) * c: the product chain rides in the read-modify-write */
      uint32_t r[3];
      memcpy(r, c->code + c->fc_start + 2, sizeof r);
      c->len = c->fc_start;
      barrier(c);
      c->depth -= 2;
      emit(c, IOP_F64_MMADD_M); emit(c, a.slot); emit(c, off); emit(c, r[0]); emit(c, r[1]); emit(c, r[2]);
      return true;
    }
    if (mbin_tab[i][2] == IOP_F64_ADD_M && c->fm_end == c->lf_start && c->fm_dst == src &&
        src >= c->L && a.slot != src) {
      /* the added value is a product just computed from memory: x[i] += a * y[j] */
      uint32_t fa = c->fm_a, fq = c->fm_p, fimm = c->fm_imm, fo = c->fm_off;
      /* an i32.add just before (an address update) rides along: F64_MADD_MX / _MA */
      bool pre = c->ai_end == c->fm_start;
      uint32_t pr[3] = {0, 0, 0}, piop = c->ai_reg ? IOP_F64_MADD_MX : IOP_F64_MADD_MA;
      if (pre) memcpy(pr, c->code + c->ai_start + 1, sizeof pr);
      c->len = pre ? c->ai_start : c->fm_start;
      barrier(c);
      c->depth -= 2;
      if (pre) { emit(c, piop); emit(c, pr[0]); emit(c, pr[1]); emit(c, pr[2]); }
      else emit(c, IOP_F64_MADD_M);
      emit(c, a.slot); emit(c, off);
      emit(c, fa); emit(c, fq); emit(c, fimm); emit(c, fo);
      return true;
    }
    c->len = c->lf_start;
    barrier(c);
    c->depth -= 2;
    emit(c, mbin_tab[i][2]); emit(c, a.slot); emit(c, src); emit(c, off);
    return true;
  }
  return false;
}

/* f64 add/sub/mul one of whose operands is the f64 add/sub/mul just emitted (its result
 * in a home slot, used once): replaces both with F64_O1_O2_L / _R. */
static bool try_f64_chain(wcomp *c, uint32_t iop) {
  if (c->fc_end == c->len && !c->oom && c->depth >= 2 && iop != IOP_F64_MUL) {
    /* add/sub of a MUL_MUL chain's result: F64_MM_ADD/SUB_L/_R */
    ventry a = c->st[c->depth - 2], b = c->st[c->depth - 1];
    if (!a.is_const && !b.is_const && (a.slot == c->fc_dst) != (b.slot == c->fc_dst)) {
      bool right = b.slot == c->fc_dst;
      uint32_t other = right ? a.slot : b.slot, r[3];
      memcpy(r, c->code + c->fc_start + 2, sizeof r);
      c->len = c->fc_start;
      barrier(c);
      c->depth -= 2;
      emit(c, (iop == IOP_F64_ADD ? IOP_F64_MM_ADD_L : IOP_F64_MM_SUB_L) + right);
      uint32_t dpos = c->len;
      emit(c, home(c, c->depth)); emit(c, r[0]); emit(c, r[1]); emit(c, r[2]); emit(c, other);
      push_home(c);
      set_ldst(c, dpos);
      return true;
    }
  }
  if (c->fb_end != c->len || c->oom || c->depth < 2) return false;
  ventry a = c->st[c->depth - 2], b = c->st[c->depth - 1];
  if (a.is_const || b.is_const || (a.slot == c->fb_dst) == (b.slot == c->fb_dst)) return false;
  bool right = b.slot == c->fb_dst;
  uint32_t other = right ? a.slot : b.slot;
  uint32_t fop = IOP_F64_ADD_ADD_L + 2 * (3 * (c->fb_op - IOP_F64_ADD) + (iop - IOP_F64_ADD)) + right;
  uint32_t x = c->fb_a, y = c->fb_b;
  c->len = c->fb_start;
  barrier(c);
  c->depth -= 2;
  emit(c, fop);
  uint32_t dpos = c->len;
  emit(c, home(c, c->depth)); emit(c, x); emit(c, y); emit(c, other);
  push_home(c);
  set_ldst(c, dpos);
  if (fop == IOP_F64_MUL_MUL_L && !c->oom) {
    c->fc_start = dpos - 1; c->fc_end = c->len; c->fc_dst = c->code[dpos];
  }
  return true;
}

/* i32 add/and/or/xor one of whose operands is the i32 add/and/or/xor just emitted (its
 * result in a home slot, used once): replaces both with I32_O1_O2. */
static int ichain_index(uint32_t iop) {
  return iop == IOP_I32_ADD ? 0 : iop == IOP_I32_AND ? 1 : iop == IOP_I32_OR ? 2 :
         iop == IOP_I32_XOR ? 3 : -1;
}
static bool try_i32_chain(wcomp *c, uint32_t iop) {
  if (c->ib_end != c->len || c->oom || c->depth < 2 || ichain_index(iop) < 0) return false;
  ventry a = c->st[c->depth - 2], b = c->st[c->depth - 1];
  if (a.is_const || b.is_const || (a.slot == c->ib_dst) == (b.slot == c->ib_dst)) return false;
  uint32_t other = b.slot == c->ib_dst ? a.slot : b.slot;
  uint32_t fop = IOP_I32_ADD_ADD + 4 * ichain_index(c->ib_op) + ichain_index(iop);
  uint32_t x = c->ib_a, y = c->ib_b;
  c->len = c->ib_start;
  barrier(c);
  c->depth -= 2;
  emit(c, fop);
  uint32_t dpos = c->len;
  emit(c, home(c, c->depth)); emit(c, x); emit(c, y); emit(c, other);
  push_home(c);
  set_ldst(c, dpos);
  return true;
}

/* local.set / local.tee x. */
static void set_local(wcomp *c, uint32_t x, bool tee) {
  uint32_t top = c->depth - 1;
  ventry e = c->st[top];
  if (!e.is_const && e.slot == x) { if (!tee) c->depth--; return; }
  bool others = false;
  for (uint32_t i = 0; i < top; i++)
    if (!c->st[i].is_const && c->st[i].slot == x) others = true;
  if (!others && !e.is_const && c->ldst_end == c->len && e.slot == c->ldst_slot &&
      e.slot == home(c, top) && !c->oom) {
    /* retarget the producing instruction to write x directly */
    c->code[c->ldst_pos] = x;
    uint32_t ai_end = c->ai_end;
    bool lk = c->ld_end == c->len && !c->ld_a && c->ld_op == IOP_I32_LOAD;
    barrier(c);  /* the retargeted instruction may no longer be fused with what follows */
    c->ai_end = ai_end;  /* (except into a copy of its result: I32_ADD_I_MOV) */
    if (lk) {            /* (or a branch testing the loaded local: BR_LW_I32_*) */
      c->lk_start = c->ld_start; c->lk_end = c->len; c->lk_dst = x;
      c->lk_addr = c->ld_addr; c->lk_off = c->ld_off;
    }
    if (tee) c->st[top] = (ventry){0, x, 0}; else c->depth--;
    return;
  }
  for (uint32_t i = 0; i < top; i++)
    if (!c->st[i].is_const && c->st[i].slot == x) mat(c, i);
  move_to(c, e, x);
  if (!tee) c->depth--;
}

static void tail_dup(wcomp *c);

/* Translates one function body into *out. */
static wstatus compile_func(wcomp *c, const wmodule *m, uint32_t def, struct wcode **out) {
  const wfunc *f = &m->funcs[def];
  const wfunctype *ft = wmod_func_type(m, m->nimported_funcs + def);
  c->L = ft->nparams + f->nlocals;
  c->nres = ft->nresults;
  c->len = c->depth = c->maxdepth = c->nlb = c->spill_cur = c->nspill = c->nspfix = c->nmap = 0;
  c->dead = false; c->dead_nest = 0;
  barrier(c);
  if ((uint64_t)ft->nparams + f->nlocals > MAX_FRAME_SLOTS)
    return werr_set(c->err, WERR_RESOURCE, "function %u has too many locals", def);
  push_label(c, LB_FUNC, 0, ft->nresults);
  wreader r = {f->code, f->code + f->code_len, m->bytes};
  winstr in;
  while (r.p < r.end && c->nlb > 0 && !c->oom) {
    if (wreader_next(&r, &in, c->err)) return W_ERR;
    wop op = in.op;
    if (c->dead) {
      if (op == WOP_BLOCK || op == WOP_LOOP || op == WOP_IF) { c->dead_nest++; continue; }
      if (op == WOP_END && c->dead_nest) { c->dead_nest--; continue; }
      if (op != WOP_END && !(op == WOP_ELSE && c->dead_nest == 0)) continue;
    }
    map_add(c, in.offset);
    switch (op) {
    case WOP_UNREACHABLE: emit(c, IOP_UNREACHABLE); c->dead = true; break;
    case WOP_NOP: break;
    case WOP_BLOCK: case WOP_LOOP: {
      wblocksig sig;
      if (wreader_blocksig(m, in.imm.blocktype, &sig, c->err)) return W_ERR;
      mat_all(c);
      wlabel *lb = push_label(c, op == WOP_LOOP ? LB_LOOP : LB_BLOCK, sig.nparams, sig.nresults);
      if (!lb) break;
      /* a loop header is a branch target; a block's start is not (its label is its end),
       * so fusion windows stay open across it */
      if (op == WOP_LOOP) { barrier(c); lb->loop_pos = c->len; }
      break;
    }
    case WOP_IF: {
      wblocksig sig;
      if (wreader_blocksig(m, in.imm.blocktype, &sig, c->err)) return W_ERR;
      ventry cond = c->st[--c->depth];
      bool moved = false;
      for (uint32_t i = 0; i < c->depth; i++) {
        ventry e = c->st[i];
        if (e.is_const || e.slot != home(c, i)) moved = true;
      }
      if (moved) mat_all(c);
      wlabel *lb = push_label(c, LB_IF, sig.nparams, sig.nresults);
      if (!lb) break;
      if (sig.nparams) {
        lb->spill = c->spill_cur;
        for (uint32_t i = 0; i < sig.nparams; i++)
          spill_move(c, true, home(c, lb->height + i), c->spill_cur + i);
        c->spill_cur += sig.nparams;
        if (c->spill_cur > c->nspill) c->nspill = c->spill_cur;
      }
      lb->else_patch = jump_if(c, cond, false);
      barrier(c);
      break;
    }
    case WOP_ELSE: {
      wlabel *lb = &c->lb[c->nlb - 1];
      if (!c->dead) {
        for (uint32_t i = 0; i < lb->nresults; i++) mat(c, c->depth - lb->nresults + i);
        jump_to(c, lb);
      }
      bind_chain(c, lb->else_patch, c->len);
      lb->else_patch = NOPATCH;
      c->depth = lb->height;
      for (uint32_t i = 0; i < lb->nparams; i++) {
        spill_move(c, false, home(c, c->depth), lb->spill + i);
        push_home(c);
      }
      c->dead = false;
      break;
    }
    case WOP_END: {
      wlabel *lb = &c->lb[c->nlb - 1];
      if (lb->kind == LB_FUNC) {
        if (!c->dead) emit_return(c);
        c->nlb--;
        break;
      }
      if (!c->dead)
        for (uint32_t i = 0; i < lb->nresults; i++) mat(c, c->depth - lb->nresults + i);
      if (lb->kind == LB_IF) {
        bind_chain(c, lb->else_patch, c->len);
        if (lb->nparams) c->spill_cur = lb->spill;
      }
      bind_chain(c, lb->patch, c->len);
      barrier(c);
      c->depth = lb->height;
      uint32_t nr = lb->nresults;
      c->nlb--;
      for (uint32_t i = 0; i < nr; i++) push_home(c);
      c->dead = false;
      break;
    }
    case WOP_BR: {
      wlabel *lb = &c->lb[c->nlb - 1 - in.imm.index];
      if (lb->kind == LB_FUNC) emit_return(c);
      else { branch_moves(c, lb); jump_to(c, lb); }
      c->dead = true;
      break;
    }
    case WOP_BR_IF: {
      wlabel *lb = &c->lb[c->nlb - 1 - in.imm.index];
      ventry cond = c->st[--c->depth];
      if (lb->kind != LB_FUNC && !needs_moves(c, lb)) {
        uint32_t p = jump_if(c, cond, true);
        if (p != NOPATCH) link_label(c, lb, p);
      } else {
        uint32_t p = jump_if(c, cond, false);
        if (lb->kind == LB_FUNC) emit_return(c);
        else { branch_moves(c, lb); jump_to(c, lb); }
        if (p != NOPATCH) bind_chain(c, p, c->len);
      }
      barrier(c);
      break;
    }
    case WOP_BR_TABLE: {
      uint32_t n = in.imm.br_table.count;
      uint32_t idx = opnd(c, 1);
      c->depth--;
      if (c->ai_end == c->len && !c->ai_reg && !c->oom) {
        /* an i32.add-immediate just before (vm's pc + 1) rides in the jump: BR_TABLE_A */
        uint32_t pr[3];
        memcpy(pr, c->code + c->ai_start + 1, sizeof pr);
        c->len = c->ai_start;
        barrier(c);
        emit(c, IOP_BR_TABLE_A); emit(c, pr[0]); emit(c, pr[1]); emit(c, pr[2]);
      } else {
        emit(c, IOP_BR_TABLE);
      }
      emit(c, idx); emit(c, n);
      uint32_t tab = c->len;
      for (uint32_t i = 0; i <= n; i++) emit(c, NOPATCH);
      if (c->oom) break;
      const uint8_t *cur = in.imm.br_table.targets;
      for (uint32_t i = 0; i <= n; i++) {
        uint32_t li = i < n ? wreader_br_table_read(&cur) : in.imm.br_table.def;
        wlabel *lb = &c->lb[c->nlb - 1 - li];
        if (lb->kind != LB_FUNC && !needs_moves(c, lb)) { link_label(c, lb, tab + i); continue; }
        c->code[tab + i] = (uint32_t)((int32_t)c->len - (int32_t)(tab + i));  /* stub */
        if (lb->kind == LB_FUNC) emit_return(c);
        else { branch_moves(c, lb); jump_to(c, lb); }
        if (c->oom) break;
      }
      c->dead = true;
      break;
    }
    case WOP_RETURN: emit_return(c); c->dead = true; break;
    case WOP_CALL: case WOP_CALL_INDIRECT: {
      bool ind = op == WOP_CALL_INDIRECT;
      const wfunctype *ct = ind ? &m->types[in.imm.ci.type_idx] : wmod_func_type(m, in.imm.index);
      uint32_t idx = 0;
      if (ind) { idx = opnd(c, 1); c->depth--; }
      uint32_t n = ct->nparams;
      for (uint32_t i = c->depth - n; i < c->depth; i++) mat(c, i);
      uint32_t base = home(c, c->depth - n);
      if (ind) { emit(c, IOP_CALL_INDIRECT); emit(c, in.imm.ci.type_idx); emit(c, in.imm.ci.table); emit(c, base); emit(c, idx); }
      else {
        emit(c, in.imm.index >= m->nimported_funcs ? IOP_CALL_LOCAL : IOP_CALL);
        emit(c, in.imm.index); emit(c, base);
      }
      c->depth -= n;
      for (uint32_t i = 0; i < ct->nresults; i++) push_home(c);
      break;
    }
    case WOP_DROP: c->depth--; break;
    case WOP_SELECT: case WOP_SELECT_T: emit_result_op(c, IOP_SELECT, 3, NULL, 0); break;
    case WOP_LOCAL_GET: push_entry(c, (ventry){0, in.imm.index, 0}); break;
    case WOP_LOCAL_SET: set_local(c, in.imm.index, false); break;
    case WOP_LOCAL_TEE: set_local(c, in.imm.index, true); break;
    case WOP_GLOBAL_GET: emit_result_op(c, IOP_GLOBAL_GET, 0, &in.imm.index, 1); break;
    case WOP_GLOBAL_SET: {
      /* the aux stack pointer's writes check the thread's slice (GLOBAL_SET_AUX); no fused
       * form writes a global, so this is the only place that needs it */
      bool aux = m->aux_stack.found && in.imm.index == m->aux_stack.global;
      emit_void_op(c, aux ? IOP_GLOBAL_SET_AUX : IOP_GLOBAL_SET, NULL, 0, 1, &in.imm.index, 1);
      break;
    }
    case WOP_TABLE_GET: {
      /* TABLE_GET d t i: the table index precedes the operand */
      uint32_t i = opnd(c, 1);
      c->depth--;
      emit(c, IOP_TABLE_GET);
      uint32_t dpos = c->len;
      emit(c, home(c, c->depth)); emit(c, in.imm.index); emit(c, i);
      push_home(c);
      set_ldst(c, dpos);
      break;
    }
    case WOP_TABLE_SET: emit_void_op(c, IOP_TABLE_SET, &in.imm.index, 1, 2, NULL, 0); break;
    case WOP_MEMORY_SIZE: emit_result_op(c, IOP_MEMORY_SIZE, 0, NULL, 0); break;
    case WOP_MEMORY_GROW: emit_result_op(c, IOP_MEMORY_GROW, 1, NULL, 0); break;
    case WOP_I32_CONST: push_const(c, (uint32_t)in.imm.i32); break;
    case WOP_I64_CONST: push_const(c, (uint64_t)in.imm.i64); break;
    case WOP_F32_CONST: push_const(c, in.imm.f32_bits); break;
    case WOP_F64_CONST: push_const(c, in.imm.f64_bits); break;
    case WOP_REF_NULL: push_const(c, 0); break;
    case WOP_REF_IS_NULL: emit_result_op(c, IOP_REF_IS_NULL, 1, NULL, 0); break;
    case WOP_REF_FUNC: emit_result_op(c, IOP_REF_FUNC, 0, &in.imm.index, 1); break;
    case WOP_MEMORY_INIT: emit_void_op(c, IOP_MEMORY_INIT, &in.imm.two.a, 1, 3, NULL, 0); break;
    case WOP_DATA_DROP: emit(c, IOP_DATA_DROP); emit(c, in.imm.index); break;
    case WOP_MEMORY_COPY: emit_void_op(c, IOP_MEMORY_COPY, NULL, 0, 3, NULL, 0); break;
    case WOP_MEMORY_FILL: emit_void_op(c, IOP_MEMORY_FILL, NULL, 0, 3, NULL, 0); break;
    case WOP_TABLE_INIT: {
      uint32_t pre[2] = {in.imm.two.a, in.imm.two.b};
      emit_void_op(c, IOP_TABLE_INIT, pre, 2, 3, NULL, 0);
      break;
    }
    case WOP_ELEM_DROP: emit(c, IOP_ELEM_DROP); emit(c, in.imm.index); break;
    case WOP_TABLE_COPY: {
      uint32_t pre[2] = {in.imm.two.a, in.imm.two.b};
      emit_void_op(c, IOP_TABLE_COPY, pre, 2, 3, NULL, 0);
      break;
    }
    case WOP_TABLE_GROW: {
      /* TABLE_GROW d t init n */
      uint32_t nn = opnd(c, 1), init = opnd(c, 2);
      c->depth -= 2;
      emit(c, IOP_TABLE_GROW);
      uint32_t dpos = c->len;
      emit(c, home(c, c->depth)); emit(c, in.imm.index); emit(c, init); emit(c, nn);
      push_home(c);
      set_ldst(c, dpos);
      break;
    }
    case WOP_TABLE_SIZE: {
      emit(c, IOP_TABLE_SIZE);
      uint32_t dpos = c->len;
      emit(c, home(c, c->depth)); emit(c, in.imm.index);
      push_home(c);
      set_ldst(c, dpos);
      break;
    }
    case WOP_TABLE_FILL: emit_void_op(c, IOP_TABLE_FILL, &in.imm.index, 1, 3, NULL, 0); break;
    case WOP_MEMORY_ATOMIC_NOTIFY: emit_result_op(c, IOP_ATOMIC_NOTIFY, 2, &in.imm.mem.offset, 1); break;
    case WOP_MEMORY_ATOMIC_WAIT32: emit_result_op(c, IOP_ATOMIC_WAIT32, 3, &in.imm.mem.offset, 1); break;
    case WOP_MEMORY_ATOMIC_WAIT64: emit_result_op(c, IOP_ATOMIC_WAIT64, 3, &in.imm.mem.offset, 1); break;
    case WOP_ATOMIC_FENCE: emit(c, IOP_ATOMIC_FENCE); break;
    default: {
      uint32_t iop = siop[op];
      switch (skind[op]) {
      case SK_IBIN: {
        ventry b = c->st[c->depth - 1];
        bool is64 = op >= WOP_I64_ADD && op <= WOP_I64_ROTR ? true : op >= WOP_I64_EQ && op <= WOP_I64_GE_U;
        bool is_cmp = (op >= WOP_I32_EQ && op <= WOP_I32_GE_U) || (op >= WOP_I64_EQ && op <= WOP_I64_GE_U);
        if (b.is_const && b.k == 0 && iop != IOP_I32_MUL && iop != IOP_I32_AND && iop != IOP_I64_MUL &&
            iop != IOP_I64_AND && !is_cmp) {
          /* x + 0, x - 0, x | 0, x ^ 0, shifts and rotates by 0: x itself */
          c->depth--;
          break;
        }
        if (op == WOP_I64_AND && b.is_const && b.k == 0xFFFFFFFFu) {
          /* x & 0xFFFFFFFF: a zero-extension of the low half (no constant to load) */
          c->depth--;
          emit_result_op(c, IOP_I64_EXTEND_I32_U, 1, NULL, 0);
          break;
        }
        if (b.is_const && (!is64 || (int64_t)(int32_t)b.k == (int64_t)b.k)) {
          uint32_t a = opnd(c, 2);
          c->depth -= 2;
          uint32_t start = c->len;
          emit(c, iop + (IOP_I32_ADD_I - IOP_I32_ADD));
          uint32_t dpos = c->len;
          emit(c, home(c, c->depth)); emit(c, a); emit(c, (uint32_t)b.k);
          push_home(c);
          set_ldst(c, dpos);
          if ((iop == IOP_I32_SHL || iop == IOP_I32_SHR_U || iop == IOP_I32_ROTL) && !c->oom) {
            c->imp_end = NOPATCH;
            if (c->im_end == start) {
              c->imp_start = c->im_start; c->imp_end = c->im_end; c->imp_dst = c->im_dst;
              c->imp_src = c->im_src; c->imp_k = c->im_k; c->imp_iop = c->im_iop;
            }
            c->im_start = start; c->im_end = c->len; c->im_dst = home(c, c->depth - 1);
            c->im_src = a; c->im_k = (uint32_t)b.k; c->im_iop = iop;
          }
          if (iop == IOP_I32_SHL && !c->oom) {
            c->sh_pa = c->ai_end == start && !c->ai_reg ? c->ai_start : NOPATCH;
            c->sh_start = start; c->sh_end = c->len; c->sh_dst = home(c, c->depth - 1);
            c->sh_src = a; c->sh_k = (uint32_t)b.k & 31;
          }
          if (iop == IOP_I32_ADD) {
            c->ad_start = start; c->ad_end = c->len; c->ad_dst = home(c, c->depth - 1);
            c->ad_a = a; c->ad_imm = (uint32_t)b.k;
            c->aip_end = NOPATCH;
            if (c->ai_end == start) { c->aip_start = c->ai_start; c->aip_end = c->ai_end; c->aip_reg = c->ai_reg; }
            c->ai_start = start; c->ai_end = c->len; c->ai_reg = false;
          }
          if (is_cmp) {
            c->fz_start = start; c->fz_end = c->len; c->fz_dst = home(c, c->depth - 1);
            c->fz_op = (int)(iop + (IOP_I32_ADD_I - IOP_I32_ADD)); c->fz_a = a; c->fz_b = (uint32_t)b.k;
          }
        } else {
          if (!is_cmp && try_load_fuse(c, iop)) break;
          if (try_shift_fuse(c, iop)) break;
          if (try_i32_chain(c, iop)) break;
          uint32_t start = emit_result_op(c, iop, 2, NULL, 0);
          if (iop == IOP_I32_ADD && !c->oom) {
            c->ai_start = start; c->ai_end = c->len; c->ai_reg = true;
          }
          if (ichain_index(iop) >= 0 && !c->oom) {
            c->ib_start = start; c->ib_end = c->len; c->ib_dst = c->code[c->len - 3];
            c->ib_a = c->code[c->len - 2]; c->ib_b = c->code[c->len - 1]; c->ib_op = iop;
          }
          if (is_cmp && !c->oom) {
            c->fz_start = start; c->fz_end = c->len; c->fz_dst = home(c, c->depth - 1);
            c->fz_op = (int)iop; c->fz_a = c->code[c->len - 2]; c->fz_b = c->code[c->len - 1];
          }
        }
        break;
      }
      case SK_BIN: {
        ventry fa = c->st[c->depth - 2], fb = c->st[c->depth - 1];
        uint32_t fk = iop == IOP_F64_ADD ? IOP_F64_ADD_K : iop == IOP_F64_SUB ? IOP_F64_SUB_K :
                      iop == IOP_F64_MUL ? IOP_F64_MUL_K : iop == IOP_F64_DIV ? IOP_F64_DIV_K : 0;
        if (fk && (fb.is_const || fa.is_const)) {
          /* f64 op with a constant: the constant rides in the instruction (_K / _KR) */
          bool rev = !fb.is_const;
          uint64_t k = rev ? fa.k : fb.k;
          uint32_t x = rev ? opnd(c, 1) : opnd(c, 2);
          c->depth -= 2;
          emit(c, fk + (rev ? 1u : 0u));
          uint32_t dpos = c->len;
          emit(c, home(c, c->depth)); emit(c, x); emit(c, (uint32_t)k); emit(c, (uint32_t)(k >> 32));
          push_home(c);
          set_ldst(c, dpos);
          break;
        }
      }
        if (try_load_fuse(c, iop)) break;
        if (iop >= IOP_F64_ADD && iop <= IOP_F64_MUL) {
          if (try_f64_chain(c, iop)) break;
          uint32_t start = emit_result_op(c, iop, 2, NULL, 0);
          if (!c->oom) {
            c->fb_start = start; c->fb_end = c->len; c->fb_dst = c->code[c->len - 3];
            c->fb_a = c->code[c->len - 2]; c->fb_b = c->code[c->len - 1]; c->fb_op = iop;
          }
          break;
        }
        emit_result_op(c, iop, 2, NULL, 0);
        break;
      case SK_UN: {
        ventry x = c->st[c->depth - 1];
        if (op == WOP_I64_EXTEND_I32_U && !x.is_const && x.slot >= c->L &&
            ((c->fz_end == c->len && x.slot == c->fz_dst) ||
             (c->ld_end == c->len && x.slot == c->ld_dst &&
              (c->ld_op == IOP_I32_LOAD || c->ld_op == IOP_I32_LOAD8_U || c->ld_op == IOP_I32_LOAD16_U)))) {
          /* the i32 just computed (a compare) or loaded is already stored zero-extended
           * (wr_i32): the extension is the value itself */
          break;
        }
        uint32_t start = emit_result_op(c, iop, 1, NULL, 0);
        if ((op == WOP_I32_EQZ || op == WOP_I64_EQZ) && !c->oom) {
          c->fz_start = start; c->fz_end = c->len; c->fz_dst = home(c, c->depth - 1);
          c->fz_op = (int)iop; c->fz_a = c->code[c->len - 1]; c->fz_b = 0;
        }
        break;
      }
      case SK_LOAD: {
        ventry a = c->st[c->depth - 1];
        if (op <= WOP_I64_LOAD32_U && c->sx_end == c->len && !a.is_const && a.slot == c->sx_dst &&
            !c->oom) {
          uint32_t b = c->sx_base, ix = c->sx_idx, k = c->sx_k;
          c->len = c->sx_start;
          barrier(c);
          c->depth--;
          emit(c, iop + (IOP_I32_LOAD_X - IOP_I32_LOAD));
          uint32_t dpos = c->len;
          emit(c, home(c, c->depth)); emit(c, b); emit(c, ix); emit(c, k); emit(c, in.imm.mem.offset);
          push_home(c);
          set_ldst(c, dpos);
          break;
        }
        if (op <= WOP_I64_LOAD32_U && c->ad_end == c->len && !a.is_const && a.slot == c->ad_dst &&
            !c->oom) {
          if (c->sh_end == c->ad_start && c->sh_dst == c->ad_a) {
            /* (idx << k) + imm: an element of a static array */
            uint32_t ix = c->sh_src, k = c->sh_k, imm = c->ad_imm, pa = c->sh_pa, pr[3];
            bool pre = pa != NOPATCH && iop == IOP_I32_LOAD;   /* `x += k; v = arr[x]` */
            if (pre) memcpy(pr, c->code + pa + 1, sizeof pr);
            c->len = pre ? pa : c->sh_start;
            barrier(c);
            c->depth--;
            if (pre) { emit(c, IOP_I32_LOAD_SA); emit(c, pr[0]); emit(c, pr[1]); emit(c, pr[2]); }
            else emit(c, iop + (IOP_I32_LOAD_S - IOP_I32_LOAD));
            uint32_t dpos = c->len;
            emit(c, home(c, c->depth)); emit(c, ix); emit(c, k); emit(c, imm); emit(c, in.imm.mem.offset);
            push_home(c);
            set_ldst(c, dpos);
            break;
          }
          /* fuse the preceding `i32.add imm` into the load's address */
          rewind_to(c, c->ad_start);
          c->depth--;
          emit(c, iop + (IOP_I32_LOAD_A - IOP_I32_LOAD));
          uint32_t dpos = c->len;
          emit(c, home(c, c->depth)); emit(c, c->ad_a); emit(c, c->ad_imm); emit(c, in.imm.mem.offset);
          push_home(c);
          set_ldst(c, dpos);
          if (c->oom) break;
          c->ld_start = dpos - 1; c->ld_end = c->len; c->ld_op = iop; c->ld_a = true;
          c->ld_dst = c->code[dpos]; c->ld_addr = c->code[dpos + 1];
          c->ld_imm = c->code[dpos + 2]; c->ld_off = c->code[dpos + 3];
          break;
        }
        emit_result_op(c, iop, 1, &in.imm.mem.offset, 1);
        if (op <= WOP_I64_LOAD32_U && !c->oom) {
          c->ld_start = c->len - 4; c->ld_end = c->len; c->ld_op = iop; c->ld_a = false;
          c->ld_dst = c->code[c->len - 3]; c->ld_addr = c->code[c->len - 2];
          c->ld_off = c->code[c->len - 1];
        }
        break;
      }
      case SK_STORE: {
        ventry a = c->st[c->depth - 2], v = c->st[c->depth - 1];
        if (op <= WOP_I64_STORE32 && try_rmw_fuse(c, iop, in.imm.mem.offset)) break;
        /* (a constant value is materialised into its home after the rewind: that slot must
         * not still hold the base or the index the fused store reads) */
        if (op <= WOP_I64_STORE32 && c->sx_end == c->len && !a.is_const && a.slot == c->sx_dst &&
            (v.is_const ? c->sx_base != home(c, c->depth - 1) && c->sx_idx != home(c, c->depth - 1)
                        : v.slot < c->L) && !c->oom) {
          uint32_t b = c->sx_base, ix = c->sx_idx, k = c->sx_k;
          c->len = c->sx_start;
          barrier(c);
          uint32_t vs = opnd(c, 1);
          c->depth -= 2;
          emit(c, iop + (IOP_I32_STORE_X - IOP_I32_STORE));
          emit(c, b); emit(c, ix); emit(c, k); emit(c, vs); emit(c, in.imm.mem.offset);
          break;
        }
        bool wide = iop == IOP_I64_STORE || iop == IOP_F64_STORE;
        bool kfit = v.is_const && (!wide || (uint64_t)(int64_t)(int32_t)(uint32_t)v.k == v.k);
        if (op <= WOP_I64_STORE32 && kfit && !c->oom) {
          uint32_t k = (uint32_t)v.k;
          if (c->ad_end == c->len && !a.is_const && a.slot == c->ad_dst) {
            uint32_t aa = c->ad_a, imm = c->ad_imm;
            c->len = c->ad_start;
            barrier(c);
            c->depth -= 2;
            emit(c, iop + (IOP_I32_STORE_KA - IOP_I32_STORE));
            emit(c, aa); emit(c, imm); emit(c, k); emit(c, in.imm.mem.offset);
            break;
          }
          uint32_t as = opnd(c, 2);
          c->depth -= 2;
          emit(c, iop + (IOP_I32_STORE_K - IOP_I32_STORE));
          emit(c, as); emit(c, k); emit(c, in.imm.mem.offset);
          break;
        }
        if (op <= WOP_I64_STORE32 && c->ad_end == c->len && !a.is_const && a.slot == c->ad_dst &&
            (v.is_const || v.slot < c->L) && !c->oom) {
          uint32_t aa = c->ad_a, imm = c->ad_imm;
          c->len = c->ad_start;
          barrier(c);
          uint32_t vs = opnd(c, 1);
          c->depth -= 2;
          emit(c, iop + (IOP_I32_STORE_A - IOP_I32_STORE));
          emit(c, aa); emit(c, imm); emit(c, vs); emit(c, in.imm.mem.offset);
          break;
        }
        emit_void_op(c, iop, NULL, 0, 2, &in.imm.mem.offset, 1);
        break;
      }
      case SK_RMW: emit_result_op(c, iop, 2, &in.imm.mem.offset, 1); break;
      case SK_CMPXCHG: emit_result_op(c, iop, 3, &in.imm.mem.offset, 1); break;
      default:
        return werr_set(c->err, WERR_INVALID, "interp: unsupported opcode %s at offset 0x%x",
                        wop_info[op].text, in.offset);
      }
    }
    }
  }
  if (c->oom) return werr_set(c->err, WERR_RESOURCE, "out of memory translating function %u", def);
  uint64_t slots = (uint64_t)c->L + c->maxdepth + c->nspill + 1;
  if (slots > MAX_FRAME_SLOTS)
    return werr_set(c->err, WERR_RESOURCE, "function %u needs too many frame slots", def);
  for (uint32_t i = 0; i < c->nspfix; i++) c->code[c->spfix[i]] += c->L + c->maxdepth;
  tail_dup(c);
  if (c->oom) return werr_set(c->err, WERR_RESOURCE, "out of memory translating function %u", def);
  struct wcode *w = calloc(1, sizeof *w);
  if (!w) return werr_set(c->err, WERR_RESOURCE, "out of memory");
  w->cells = malloc((size_t)(c->len ? c->len : 1) * 4);
  w->map_pos = malloc((size_t)(c->nmap ? c->nmap : 1) * 4);
  w->map_off = malloc((size_t)(c->nmap ? c->nmap : 1) * 4);
  if (!w->cells || !w->map_pos || !w->map_off) {
    winterp_free_code(w);
    return werr_set(c->err, WERR_RESOURCE, "out of memory");
  }
  memcpy(w->cells, c->code, (size_t)c->len * 4);
  memcpy(w->map_pos, c->mpos, (size_t)c->nmap * 4);
  memcpy(w->map_off, c->moff, (size_t)c->nmap * 4);
  w->ncells = c->len;
  w->nmap = c->nmap;
  w->nparams = ft->nparams;
  w->nlocals = f->nlocals;
  w->nresults = ft->nresults;
  w->nzero4 = (f->nlocals + 3) / 4;
  if (slots < (uint64_t)ft->nparams + 4ull * w->nzero4) slots = (uint64_t)ft->nparams + 4ull * w->nzero4;
  w->frame_slots = (uint32_t)slots;
  *out = w;
  return W_OK;
}

/* Debug aid: WEFT_DUMP_CODE=1 prints every translated function's cells to stderr. */
#define N_C(N, K) [IOP_##N] = {#N, K},
#define N_IB(N, ...) [IOP_##N] = {#N, 4}, [IOP_##N##_I] = {#N "_I", 4},
#define N_4(N, ...) [IOP_##N] = {#N, 4},
#define N_3(N, ...) [IOP_##N] = {#N, 3},
#define N_5(N, ...) [IOP_##N] = {#N, 5},
#define N_6(N, ...) [IOP_##N] = {#N, 6},
#define N_A(N, ...) [IOP_##N##_A] = {#N "_A", 5},
#define N_K(N, ...) [IOP_##N##_K] = {#N "_K", 4}, [IOP_##N##_KA] = {#N "_KA", 5},
#define N_FK(N, ...) [IOP_##N##_K] = {#N "_K", 5}, [IOP_##N##_KR] = {#N "_KR", 5},
#define N_S(O, SH, ...) [IOP_I32_##O##_##SH] = {"I32_" #O "_" #SH, 5},
#define N_LB(C, ...) [IOP_BR_L_I32_##C] = {"BR_L_I32_" #C, 5}, [IOP_BR_L_I32_##C##_I] = {"BR_L_I32_" #C "_I", 5},
#define N_LZ(N, ...) [IOP_BR_##N] = {"BR_" #N, 4},
#define N_X(N, ...) [IOP_##N##_X] = {#N "_X", 6},
#define N_S_(N, ...) [IOP_##N##_S] = {#N "_S", 6},
#define N_M(N, ...) [IOP_##N##_M] = {#N "_M", 4},
#define N_L(N, ...) [IOP_##N##_L] = {#N "_L", 5}, [IOP_##N##_LA] = {#N "_LA", 6},
#define N_FF(O1, O2, ...) [IOP_F64_##O1##_##O2##_L] = {"F64_" #O1 "_" #O2 "_L", 5}, \
                          [IOP_F64_##O1##_##O2##_R] = {"F64_" #O1 "_" #O2 "_R", 5},
#define N_IFF(O1, O2, ...) [IOP_I32_##O1##_##O2] = {"I32_" #O1 "_" #O2, 5},
#define N_FMM(O, ...) [IOP_F64_MM_##O##_L] = {"F64_MM_" #O "_L", 6}, [IOP_F64_MM_##O##_R] = {"F64_MM_" #O "_R", 6},
#define N_B64I(C, ...) [IOP_BR_I64_##C##_I] = {"BR_I64_" #C "_I", 4},
#define N_RC(C, ...) [IOP_RET_I32_##C##_I] = {"RET_I32_" #C "_I", 3},
#define N_LW(C, ...) [IOP_BR_LW_I32_##C] = {"BR_LW_I32_" #C, 6}, [IOP_BR_LW_I32_##C##_I] = {"BR_LW_I32_" #C "_I", 6},
#define N_AB(C, ...) [IOP_ABR_I32_##C] = {"ABR_I32_" #C, 6}, [IOP_ABR_I32_##C##_I] = {"ABR_I32_" #C "_I", 6}, \
                     [IOP_AXBR_I32_##C##_I] = {"AXBR_I32_" #C "_I", 6},
#define N_B(C, ...) [IOP_BR_I32_##C] = {"BR_I32_" #C, 4}, [IOP_BR_I32_##C##_I] = {"BR_I32_" #C "_I", 4}, \
                    [IOP_BR_I64_##C] = {"BR_I64_" #C, 4},
static const struct { const char *name; uint8_t cells; } iop_info[IOP_COUNT_] = {
  WI_CONTROL(N_C) WI_IBIN(N_IB) WI_FBIN(N_4) WI_UN(N_3) WI_TRUNC(N_3) WI_SAT(N_3)
  WI_LOAD(N_4) WI_STORE(N_4) WI_ALOAD(N_4) WI_ASTORE(N_4) WI_RMW(N_5) WI_CMPXCHG(N_6)
  WI_CMPS(N_B) WI_LOAD(N_A) WI_STORE(N_A) WI_LBIN(N_L) WI_STORE(N_K) WI_MBIN(N_M) WI_LOAD(N_X) WI_STORE(N_X) WI_FK(N_FK) WI_SBIN(N_S) WI_CMPS(N_LB) WI_LBR(N_LZ)
  WI_FF(N_FF) WI_CMPS(N_AB) [IOP_ABR_NZ] = {"ABR_NZ", 5}, [IOP_ABR_Z] = {"ABR_Z", 5},
  WI_IFF(N_IFF) WI_LOAD(N_S_) WI_CMPS(N_LW) WI_CMPS(N_RC) WI_CMPS(N_B64I) WI_FMM(N_FMM)
#define N_P(A, B, NA, NB) [IOP_P_##A##_##B] = {"P_" #A "_" #B, (NA) + (NB) - 1},
  WI_PAIRS(N_P)
#undef N_P
};
/* ---- Tail duplication and conditional returns (a pass over the finished code) ----
 * A BR whose target is a short straight-line block ending in BR_TABLE, a return or a trap
 * (possibly through further BRs) is replaced by a copy of that block: vm-style dispatch
 * loops (`case: ...; br loop` -> `loop: pc++; br_table`) then skip the jumps and each copy of
 * the BR_TABLE gets its own branch-predictor history. Every cycle of the result still
 * contains a backward branch, so the stop-flag checks stay on every loop. */

/* Cells of the instruction at p (0 if unknown). */
static uint32_t isize(const uint32_t *code, uint32_t p) {
  uint32_t op = code[p];
  if (op >= IOP_COUNT_) return 0;
  return op == IOP_BR_TABLE ? 4 + code[p + 2] : op == IOP_BR_TABLE_A ? 7 + code[p + 5] :
         iop_info[op].cells;
}
/* Cell holding the branch offset of op, 0 if op is not a branch (BR_TABLE aside). */
static uint32_t branch_cell(uint32_t op) {
  if (op == IOP_BR) return 1;
  if (op == IOP_BR_NZ || op == IOP_BR_Z || op == IOP_BR_I64_NZ || op == IOP_BR_I64_Z) return 2;
  if (op == IOP_ABR_NZ || op == IOP_ABR_Z) return 4;
  if (op >= IOP_BR_I32_EQ && op <= IOP_BR_I64_GE_U) return 3;
  if (op >= IOP_BR_L_I32_EQ && op <= IOP_BR_L_I32_GE_U_I) return 4;
  if (op >= IOP_BR_L8_NZ && op <= IOP_BR_L32_Z) return 3;
  if (op >= IOP_ABR_I32_EQ && op <= IOP_AXBR_I32_GE_U_I) return 5;
  if (op >= IOP_BR_LW_I32_EQ && op <= IOP_BR_LW_I32_GE_U_I) return 5;
  if (op >= IOP_BR_I64_EQ_I && op <= IOP_BR_I64_GE_U_I) return 3;
  return 0;
}
/* A BR_I32_C_I at p that jumps over a RET0 nothing else reaches: the conditional return
 * replacing both (0 if the pattern does not match). fl: bit 0 instruction start, bit 1
 * branch target. */
static uint32_t cond_ret(const uint32_t *code, uint32_t n, const uint8_t *fl, uint32_t p) {
  uint32_t op = code[p];
  if (op < IOP_BR_I32_EQ || op > IOP_BR_I64_GE_U || (op - IOP_BR_I32_EQ) % 3 != 1) return 0;
  if (p + 5 > n || !(fl[p + 4] & 1) || (fl[p + 4] & 2) || code[p + 4] != IOP_RET0) return 0;
  if ((int32_t)code[p + 3] != 2) return 0;   /* the branch lands just past the RET0 */
  return IOP_RET_I32_EQ_I + neg_cmp[(op - IOP_BR_I32_EQ) / 3];
}
#define TD_MAX_CELLS 64u   /* largest block copied */
#define TD_MAX_INSNS 16u
/* The block a BR at p would be replaced with: instruction positions into pos[], returns
 * their count (0: not worth it or not possible). */
static uint32_t tail_of(const uint32_t *code, uint32_t n, const uint8_t *is_start, uint32_t p,
                        uint32_t *pos) {
  uint32_t cnt = 0, cells = 0, hops = 0;
  uint32_t q = (uint32_t)((int32_t)(p + 1) + (int32_t)code[p + 1]);
  for (;;) {
    if (q >= n || !(is_start[q] & 1)) return 0;
    uint32_t op = code[q];
    if (op == IOP_BR) {
      if (++hops > 4) return 0;
      q = (uint32_t)((int32_t)(q + 1) + (int32_t)code[q + 1]);
      continue;
    }
    if (branch_cell(op)) return 0;
    uint32_t sz = isize(code, q);
    cells += sz;
    if (cells > TD_MAX_CELLS || cnt == TD_MAX_INSNS) return 0;
    pos[cnt++] = q;
    if (op == IOP_BR_TABLE || op == IOP_BR_TABLE_A || op == IOP_RET0 || op == IOP_RET1 || op == IOP_RETN ||
        op == IOP_UNREACHABLE)
      return cnt;
    q += sz;
  }
}
/* Wasm offset recorded for the instruction at old position p. */
static uint32_t old_wasm_off(const wcomp *c, uint32_t p) {
  uint32_t lo = 0, hi = c->nmap;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (c->mpos[mid] <= p) lo = mid + 1; else hi = mid;
  }
  return lo ? c->moff[lo - 1] : (c->nmap ? c->moff[0] : 0);
}
static void tail_dup(wcomp *c) {
  uint32_t n = c->len, pos[TD_MAX_INSNS];
  if (c->oom || n == 0) return;
  uint8_t *is_start = calloc(n + 1, 1);
  uint32_t *newpos = malloc((size_t)(n + 1) * 4);
  uint32_t *out = NULL, *mp = NULL, *mo = NULL;
  if (!is_start || !newpos) goto nomem;
  for (uint32_t p = 0, sz; p < n; p += sz) {
    sz = isize(c->code, p);
    if (!sz || p + sz > n) goto done;   /* unknown layout: leave the code alone */
    is_start[p] = 1;
  }
  for (uint32_t p = 0; p < n; p += isize(c->code, p)) {   /* mark branch targets */
    uint32_t op = c->code[p], b0 = branch_cell(op), b1 = b0 + 1;
    if (op == IOP_BR_TABLE || op == IOP_BR_TABLE_A) { b0 = op == IOP_BR_TABLE ? 3 : 6; b1 = isize(c->code, p); }
    for (uint32_t j = b0; b0 && j < b1; j++) {
      uint32_t t = (uint32_t)((int32_t)(p + j) + (int32_t)c->code[p + j]);
      if (t < n) is_start[t] |= 2;
    }
  }
  /* new positions (a replaced BR's position becomes its copy's start) */
  uint32_t m = 0, nins = 0, ndup = 0;
  for (uint32_t p = 0; p < n; p += isize(c->code, p)) {
    newpos[p] = m;
    if (cond_ret(c->code, n, is_start, p)) {
      ndup++; nins++; m += 3;
      p += 4;                /* the RET0 goes too (nothing jumps to it) */
      newpos[p] = m;
      continue;
    }
    uint32_t k = c->code[p] == IOP_BR ? tail_of(c->code, n, is_start, p, pos) : 0;
    if (k) {
      ndup++;
      for (uint32_t i = 0; i < k; i++) { m += isize(c->code, pos[i]); nins++; }
    } else {
      m += isize(c->code, p);
      nins++;
    }
  }
  if (!ndup) goto done;
  newpos[n] = m;
  out = malloc((size_t)m * 4);
  mp = malloc((size_t)nins * 4);
  mo = malloc((size_t)nins * 4);
  if (!out || !mp || !mo) goto nomem;
  uint32_t w = 0, nm = 0;
  for (uint32_t p = 0; p < n; p += isize(c->code, p)) {
    uint32_t cr = cond_ret(c->code, n, is_start, p);
    if (cr) {
      uint32_t off = old_wasm_off(c, p);
      if (!nm || mo[nm - 1] != off) { mp[nm] = w; mo[nm++] = off; }
      out[w] = cr; out[w + 1] = c->code[p + 1]; out[w + 2] = c->code[p + 2];
      w += 3;
      p += 4;
      continue;
    }
    uint32_t k = c->code[p] == IOP_BR ? tail_of(c->code, n, is_start, p, pos) : 0;
    if (!k) { pos[0] = p; k = 1; }
    for (uint32_t i = 0; i < k; i++) {
      uint32_t q = pos[i], op = c->code[q], sz = isize(c->code, q);
      uint32_t off = old_wasm_off(c, q);
      if (!nm || mo[nm - 1] != off) { mp[nm] = w; mo[nm++] = off; }
      memcpy(out + w, c->code + q, (size_t)sz * 4);
      uint32_t b0 = branch_cell(op), b1 = b0 + 1;
      if (op == IOP_BR_TABLE || op == IOP_BR_TABLE_A) { b0 = op == IOP_BR_TABLE ? 3 : 6; b1 = sz; }
      for (uint32_t j = b0; b0 && j < b1; j++) {
        uint32_t t = (uint32_t)((int32_t)(q + j) + (int32_t)c->code[q + j]);
        if (t > n || (t < n && !(is_start[t] & 1))) goto done;   /* not an instruction: give up */
        out[w + j] = (uint32_t)((int32_t)newpos[t] - (int32_t)(w + j));
      }
      w += sz;
    }
  }
  free(c->code); c->code = out; c->len = c->cap = m; out = NULL;
  free(c->mpos); free(c->moff); c->mpos = mp; c->moff = mo; c->nmap = c->mapcap = nm;
  mp = mo = NULL;
  goto done;
nomem:
  c->oom = true;
done:
  free(is_start); free(newpos); free(out); free(mp); free(mo);
}

#ifdef WEFT_OPSTATS
/* -DWEFT_OPSTATS: executed-op and op-pair counts (interp_loop.h), printed at exit. */
static uint64_t opstat_n[IOP_COUNT_], opstat_pair[IOP_COUNT_][IOP_COUNT_];
static uint32_t opstat_prev;
void winterp_opstat(uint32_t op) {
  if (op >= IOP_COUNT_) return;
  opstat_n[op]++;
  opstat_pair[opstat_prev][op]++;
  opstat_prev = op;
}
__attribute__((destructor)) static void opstat_print(void) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < IOP_COUNT_; i++) total += opstat_n[i];
  if (!total) return;
  fprintf(stderr, "ops executed: %llu\n", (unsigned long long)total);
  for (int k = 0; k < 30; k++) {   /* top ops (selection; destroys the counts) */
    uint32_t best = 0;
    for (uint32_t i = 0; i < IOP_COUNT_; i++) if (opstat_n[i] > opstat_n[best]) best = i;
    if (!opstat_n[best]) break;
    fprintf(stderr, "  %6.2f%%  %s\n", 100.0 * opstat_n[best] / total, iop_info[best].name);
    opstat_n[best] = 0;
  }
  fprintf(stderr, "pairs:\n");
  for (int k = 0; k < 30; k++) {
    uint32_t bi = 0, bj = 0;
    for (uint32_t i = 0; i < IOP_COUNT_; i++)
      for (uint32_t j = 0; j < IOP_COUNT_; j++)
        if (opstat_pair[i][j] > opstat_pair[bi][bj]) { bi = i; bj = j; }
    if (!opstat_pair[bi][bj]) break;
    fprintf(stderr, "  %6.2f%%  %s -> %s\n", 100.0 * opstat_pair[bi][bj] / total,
            iop_info[bi].name, iop_info[bj].name);
    opstat_pair[bi][bj] = 0;
  }
}
#endif

#if WI_THREADED
/* The merged op for the adjacent pair (a, b) (code.h WI_PAIRS), or 0. */
static uint32_t pair_op(uint32_t a, uint32_t b) {
#define PAIR_CASE(A, B, ...) if (a == IOP_##A && b == IOP_##B) return IOP_P_##A##_##B;
  WI_PAIRS(PAIR_CASE)
#undef PAIR_CASE
  return 0;
}

/* Links w's portable code (one opcode cell per instruction) into the threaded form the
 * two loops run (code.h): each opcode cell becomes WI_HCELLS cells holding the handler's
 * address from the fast / checked loop's table, operands follow unchanged, each
 * instruction is padded to WI_TSIZE cells, adjacent pairs listed in WI_PAIRS become one
 * instruction (unless the second is a branch target), branch offsets are recomputed for
 * the new positions (relative to their cell, landing on the target's last handler cell,
 * where the loop's ip points) and the side table's positions are moved. Replaces
 * w->cells; false when out of memory (w unchanged). */
static bool link_threaded(struct wcode *w) {
  const void *const *tab[2];
  winterp_loop_fast(NULL, NULL, &tab[0]);
  winterp_loop_checked(NULL, NULL, &tab[1]);
  const uint32_t *code = w->cells;
  uint32_t n = w->ncells, m = 0;
  uint32_t *newpos = malloc((size_t)(n + 1) * 4);
  uint8_t *fl = calloc(n + 1, 1);   /* bit 0: instruction start, 1: branch target, 2: merged B */
  if (!newpos || !fl) { free(newpos); free(fl); return false; }
  for (uint32_t p = 0, sz; p < n; p += sz) {
    sz = isize(code, p);
    if (!sz || p + sz > n) { free(newpos); free(fl); return false; }   /* cannot happen */
    fl[p] |= 1;
  }
  for (uint32_t p = 0; p < n; p += isize(code, p)) {
    uint32_t op = code[p], b0 = branch_cell(op), b1 = b0 + 1;
    if (op == IOP_BR_TABLE || op == IOP_BR_TABLE_A) { b0 = op == IOP_BR_TABLE ? 3 : 6; b1 = isize(code, p); }
    for (uint32_t j = b0; b0 && j < b1; j++) {
      uint32_t t = (uint32_t)((int32_t)(p + j) + (int32_t)code[p + j]);
      if (t <= n) fl[t] |= 2;
    }
  }
  /* positions: newpos is monotone and used for the side table; an instruction start maps
   * to its first cell, the second of a pair to where its opcode cell would be */
  for (uint32_t p = 0, sz; p < n; p += sz) {
    sz = isize(code, p);
    uint32_t q = p + sz, szb = q < n ? isize(code, q) : 0;
    newpos[p] = m;
    for (uint32_t j = 1; j < sz; j++) newpos[p + j] = m + j;
    if (szb && !(fl[q] & 2) && pair_op(code[p], code[q])) {
      fl[q] |= 4;
      for (uint32_t j = 0; j < szb; j++) newpos[q + j] = m + sz - 1 + j;
      m += WI_TSIZE(sz + szb - 1);
      sz += szb;
    } else {
      m += WI_TSIZE(sz);
    }
  }
  newpos[n] = m;
  uint32_t *out[2] = {malloc((size_t)(m ? m : 1) * 4), malloc((size_t)(m ? m : 1) * 4)};
  if (!out[0] || !out[1]) { free(newpos); free(fl); free(out[0]); free(out[1]); return false; }
  memset(out[0], 0, (size_t)m * 4);   /* padding cells stay 0 */
  memset(out[1], 0, (size_t)m * 4);
  for (uint32_t p = 0, sz; p < n; p += sz) {
    uint32_t op = code[p], at0 = newpos[p] + WI_OPX;   /* the cell ip points at */
    sz = isize(code, p);
    uint32_t q = p + sz, hop = op;
    bool merged = q < n && (fl[q] & 4);
    if (merged) hop = pair_op(op, code[q]);
    for (int k = 0; k < 2; k++) {
      uintptr_t h = (uintptr_t)tab[k][hop];
      memcpy(out[k] + newpos[p], &h, sizeof h);
    }
    /* the instruction's operands after at0, the pair's second one's after at0 + sz - 1 */
    for (int part = 0; part < (merged ? 2 : 1); part++) {
      uint32_t s0 = part ? q : p, ssz = isize(code, s0), sop = code[s0];
      uint32_t at = part ? at0 + sz - 1 : at0;
      for (uint32_t j = 1; j < ssz; j++) out[0][at + j] = out[1][at + j] = code[s0 + j];
      uint32_t b0 = branch_cell(sop), b1 = b0 + 1;
      if (sop == IOP_BR_TABLE || sop == IOP_BR_TABLE_A) { b0 = sop == IOP_BR_TABLE ? 3 : 6; b1 = ssz; }
      for (uint32_t j = b0; b0 && j < b1; j++) {
        uint32_t t = (uint32_t)((int32_t)(s0 + j) + (int32_t)code[s0 + j]);
        uint32_t nt = (t <= n ? newpos[t] : m) + WI_OPX;
        out[0][at + j] = out[1][at + j] = (uint32_t)((int32_t)nt - (int32_t)(at + j));
      }
    }
    if (merged) sz += isize(code, q);
  }
  for (uint32_t i = 0; i < w->nmap; i++) w->map_pos[i] = newpos[w->map_pos[i] <= n ? w->map_pos[i] : n];
  free(newpos);
  free(fl);
  free(w->cells);
  w->cells = out[0];
  w->cells_checked = out[1];
  w->ncells = m;
  return true;
}
#endif

static void dump_code(uint32_t def, const struct wcode *w) {
  fprintf(stderr, "func %u: params %u locals %u slots %u\n", def, w->nparams, w->nlocals,
          w->frame_slots);
  for (uint32_t p = 0; p < w->ncells;) {
    uint32_t op = w->cells[p];
    uint32_t n = op < IOP_COUNT_ ? iop_info[op].cells : 1;
    if (op == IOP_BR_TABLE) n = 4 + w->cells[p + 2];
    if (op == IOP_BR_TABLE_A) n = 7 + w->cells[p + 5];
    if (!n) n = 1;
    fprintf(stderr, "%5u  %-22s", p, op < IOP_COUNT_ && iop_info[op].name ? iop_info[op].name : "?");
    for (uint32_t k = 1; k < n && p + k < w->ncells; k++) fprintf(stderr, " %d", (int32_t)w->cells[p + k]);
    fputc('\n', stderr);
    p += n;
  }
}

wstatus winterp_compile_module(wmodule *m, werr *err) {
  wcomp c;
  memset(&c, 0, sizeof c);
  c.m = m;
  c.err = err;
  wstatus st = W_OK;
  uint32_t ndef = m->nfuncs - m->nimported_funcs;
  const char *dv = getenv("WEFT_DUMP_CODE");
  bool dump = dv && *dv && *dv != '0';
  for (uint32_t i = 0; i < ndef && st == W_OK; i++) {
    if (m->funcs[i].compiled) continue;
    st = compile_func(&c, m, i, &m->funcs[i].compiled);
    if (st == W_OK && dump) dump_code(i, m->funcs[i].compiled);
#if WI_THREADED
    if (st == W_OK && !link_threaded(m->funcs[i].compiled))
      st = werr_set(err, WERR_RESOURCE, "out of memory linking function %u", i);
#endif
  }
  free(c.code); free(c.st); free(c.lb); free(c.spfix); free(c.mpos); free(c.moff);
  return st;
}

void winterp_free_code(struct wcode *w) {
  if (!w) return;
  free(w->cells);
  free(w->cells_checked);
  free(w->map_pos);
  free(w->map_off);
  free(w);
}

uint32_t winterp_frame_slots(const struct wcode *w) { return w->frame_slots; }

uint32_t winterp_wasm_offset(const struct wcode *w, const void *ip) {
  if (!w || !ip || w->nmap == 0) return 0;
  const uint32_t *p = ip, *base = w->cells;
  if (w->cells_checked && p >= w->cells_checked && p <= w->cells_checked + w->ncells)
    base = w->cells_checked;
  if (p < base || p > base + w->ncells) return 0;
  /* saved ips point just past the start of the instruction (threaded code: just past its
   * first handler cell, as the loop's ip points at the last one): find the last entry
   * < pos */
  uint32_t pos = (uint32_t)(p - base) - (p > base ? WI_OPX : 0);
  uint32_t lo = 0, hi = w->nmap;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (w->map_pos[mid] < pos) lo = mid + 1; else hi = mid;
  }
  return lo ? w->map_off[lo - 1] : w->map_off[0];
}
