/* emit.h — private interface of the C emitter (weftc's back end).
 *
 *   emit.c       module level: option checks, support code, types, call dispatchers,
 *                forward declarations, slot entries, descriptor; the text buffer
 *   emit_func.c  one function: prologue, the body walker, control flow, calls, locals
 *   emit_ops.c   numeric, memory, atomic, table, bulk-memory and reference ops
 *
 * The operand stack is translated wasm2c-style: the value at depth d of class c lives in
 * the C variable <c><d> (e.g. i3, F0), so block results and loop parameters land in fixed
 * variables and a branch is a few assignments and a goto.
 */
#ifndef WEFT_AOT_EMIT_H
#define WEFT_AOT_EMIT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "aot.h"
#include "../module/reader.h"

/* A growable text buffer; `oom` latches an allocation failure (checked by the caller). */
typedef struct { char *p; size_t len, cap; bool oom; } wbuf;
void wb_putn(wbuf *b, const char *s, size_t n);
void wb_puts(wbuf *b, const char *s);
void wb_printf(wbuf *b, const char *fmt, ...) W_PRINTF(2, 3);
void wb_free(wbuf *b);

/* Value classes, one C type each: 'i' u32, 'I' u64, 'f' float, 'F' double, 'r' uintptr_t
 * (funcref and externref). */
enum { WCLS_N = 5 };
char wemit_cls(uint8_t valtype);
int wemit_cls_index(char cls);           /* 0..WCLS_N-1 */
const char *wemit_ctype(char cls);
/* The C result type of a function type: "void", a scalar type, or "wres_<classes>". */
void wemit_restype(const wfunctype *ft, char *buf, size_t n);
/* The signature key "<param classes>_<result classes>" naming call dispatchers. */
void wemit_sigkey(const wfunctype *ft, char *buf, size_t n);

/* A control frame of the body walker. */
typedef enum { WCF_FUNC, WCF_BLOCK, WCF_LOOP, WCF_IF } wcfkind;
typedef struct {
  wcfkind kind;
  uint32_t label;              /* L<label> */
  uint32_t height;             /* stack height at entry, below the block's params */
  wblocksig sig;
  bool used;                   /* a branch targets the label */
  bool has_else, then_live;    /* if: an else seen; the then arm's end was reachable */
  bool gotoform;               /* if: lowered to gotos (E<label> is the else/end) */
  size_t mark_at, mark_len;    /* loop: the label text in the body, blanked if unused */
  size_t check_at;             /* loop: where its W_LOOP_CHECK starts in the body */
  bool called;                 /* loop: a checked call at its top level was emitted */
  bool needs_check;            /* loop: a back-edge not preceded by such a call */
  bool impure;                 /* loop: its body may leave generated code (a call, a
                                  helper, a libcall): it keeps its per-iteration check */
} wcframe;

/* An operand not yet in its variable: a constant, or a local's value (valid until the
 * local is written, when it is materialised; every block entry materialises them too). */
typedef struct {
  char kind;                   /* 0 in its variable, 'c' constant, 'l' local */
  uint32_t local;
  char text[44];               /* the constant's C text */
  bool taint;                  /* guard mode: a loaded value (or one computed from it) the
                                  C compiler could still discard, narrow or sink along with
                                  its load: see wemit_force */
} wpend;

/* Per-function translation state (reused across the functions of a module). */
typedef struct wemit {
  const wmodule *m;
  const waot_emit_opts *o;
  werr *err;
  uint32_t widx;               /* wasm index of the function being translated */
  const wfunctype *ft;
  wbuf body;                   /* the body, written out after the prologue */
  char *lcls; uint32_t nlocals, lcap;       /* class of every local (params first) */
  char *ts; uint32_t sp, tcap;              /* operand stack: class per depth */
  wpend *pd; uint32_t pcap;                 /* pending operands, per depth */
  uint32_t plow;                            /* no pending local below this depth */
  uint32_t maxd[WCLS_N];                    /* variables <c>0..<c>maxd-1 are used */
  wcframe *cf; uint32_t ncf, cfcap;         /* control frames */
  uint32_t nlabels;
  bool dead; uint32_t dead_depth;           /* skipping unreachable code */
  bool has_call, uses_mem, uses_msize;
  bool straight;               /* no control instruction yet: code runs from the entry */
  bool entry_check;            /* the stack check is in the prologue (first call straight) */
  uint32_t nloops;             /* loop frames open */
  /* hoisted entry checks of pure loops not yet known to be redundant: body offset of the
   * check and the number of loops around it (see emit_func.c, resolve_hoisted) */
  struct { size_t at; uint32_t level; } *hchk;
  uint32_t nhchk, hchkcap;
  uint32_t nbraces;            /* C if-blocks open (clang allows 256 nested brackets) */
  uint8_t *gused; uint32_t *glist; uint32_t nglist;  /* globals this function touches */
  int indent;
  char vbuf[8][48]; unsigned vnext;         /* wemit_v's rotating name buffers */
} wemit;

/* Translates defined function i (its C definition) to out. */
wstatus wemit_func(wemit *x, uint32_t i, FILE *out);
/* "__attribute__((noinline)) " when defined function i can be on the stack at a trap (it
 * calls, loops or has an instruction that can trap), else "": such a function keeps its
 * own native frame, so backtraces name it. Trap-free leaves and directly recursive
 * functions (whose deeper levels keep frames) may be inlined. */
const char *wemit_inline_attr(const wmodule *m, uint32_t i);

/* Helpers of the body walker shared with emit_ops.c. */
void wemit_line(wemit *x, const char *fmt, ...) W_PRINTF(2, 3);  /* indented line */
/* The C expression of the value at `depth`: its variable ("i3"), or the pending constant
 * or local; valid for the next 7 calls. Never an assignment target (use wemit_var). */
const char *wemit_v(wemit *x, uint32_t depth);
/* The variable of the value at `depth` (an assignment target). */
const char *wemit_var(wemit *x, uint32_t depth);
/* Pushes a constant of class c with C text `text` (emits nothing until needed). */
void wemit_push_const(wemit *x, char c, const char *text);
/* Pushes a value of class c (marks its variable used); returns its depth. */
uint32_t wemit_push(wemit *x, char c);

/* Load liveness (guard mode). A load out of bounds must fault, so the C compiler must not
 * delete it (value unused), narrow it (only some bytes used) or sink it into a branch.
 * A loaded value stays "tainted" while it only flows through full-width arithmetic into
 * stores or addresses, which keep it whole; before anything that could lose it (drop,
 * local.set, select, a call, control flow, an operation with a constant operand or one
 * using only some bits) wemit_force pins it with W_KEEP (an empty asm taking it in a
 * register). Untouched, hot loops of loads, arithmetic and stores stay free of asm, so
 * the C compiler can still vectorise them. */
void wemit_force(wemit *x, uint32_t depth);
/* wemit_force on every value of the operand stack. */
void wemit_force_all(wemit *x);
/* Whether the value at depth is tainted; sets the taint of a value just pushed. */
bool wemit_tainted(const wemit *x, uint32_t depth);
void wemit_set_taint(wemit *x, uint32_t depth, bool t);

/* Marks every open loop impure (the instruction just emitted may run code outside the
 * generated object, where the runtime's stop signal cannot interrupt it). */
void wemit_impure(wemit *x);

/* Translates a non-control instruction (numeric, memory, atomic, table, bulk, refs).
 * Returns false when `in` is not one of those (the caller handles it or fails). */
bool wemit_op(wemit *x, const winstr *in);

#endif
