/* emit_func.c — one wasm function to one C function: the body walker (control flow,
 * branches, calls, locals, globals, select/drop), then the prologue (declarations, the
 * memory base, cached globals, the stack/interrupt check) written before the body.
 *
 * Control flow: a block ends in a label, a loop starts with one (plus the suspend check,
 * run on every back-edge), an if is a C if/else. A branch assigns the target's values
 * (loop params or block results) to their fixed variables and jumps; since the operand
 * stack is one variable per (depth, class), values below the target's height are never
 * touched. Code after br/br_table/return/unreachable is skipped up to its else/end (the
 * validator checked it). Labels are emitted only when used; an unused loop label is
 * blanked out of the body afterwards.
 *
 * Stack/interrupt checks (W_ENTER_CHECK: frame address below e->stack_limit, which a stop
 * request sets to UINTPTR_MAX): a function whose first call runs unconditionally from its
 * entry checks once in its prologue; otherwise every call site checks just before the call
 * (so that paths without calls, e.g. a recursion's base case, need no frame: gcc can
 * shrink-wrap them). Calls inside loops always check. A loop head checks e->suspend
 * (W_LOOP_CHECK) unless every back-edge is preceded by a checked call at the loop's own
 * top level: that call's check already sees a stop request on every iteration.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"

/* Grows *p (elements of size sz, capacity *cap) to hold `need`; false when out of memory. */
static bool grow(void **p, uint32_t *cap, size_t sz, uint32_t need) {
  if (need <= *cap) return true;
  uint32_t nc = *cap ? *cap : 16;
  while (nc < need) nc *= 2;
  void *np = realloc(*p, (size_t)nc * sz);
  if (!np) return false;
  *p = np;
  *cap = nc;
  return true;
}

const char *wemit_var(wemit *x, uint32_t depth) {
  char *b = x->vbuf[x->vnext++ & 7];
  snprintf(b, sizeof x->vbuf[0], "%c%" PRIu32, depth < x->tcap ? x->ts[depth] : '?', depth);
  return b;
}

const char *wemit_v(wemit *x, uint32_t depth) {
  if (depth >= x->tcap || !x->pd[depth].kind) return wemit_var(x, depth);
  char *b = x->vbuf[x->vnext++ & 7];
  if (x->pd[depth].kind == 'l') snprintf(b, sizeof x->vbuf[0], "l%" PRIu32, x->pd[depth].local);
  else snprintf(b, sizeof x->vbuf[0], "%s", x->pd[depth].text);
  return b;
}

/* Variable of class c at depth d (a branch target's slot, whatever is there now). */
static const char *vc(wemit *x, char c, uint32_t depth) {
  char *b = x->vbuf[x->vnext++ & 7];
  snprintf(b, sizeof x->vbuf[0], "%c%" PRIu32, c, depth);
  return b;
}

/* Marks variable <c><d> as needing a declaration. */
static void use_var(wemit *x, char c, uint32_t d) {
  int k = wemit_cls_index(c);
  if (d + 1 > x->maxd[k]) x->maxd[k] = d + 1;
}

uint32_t wemit_push(wemit *x, char c) {
  if (!grow((void **)&x->ts, &x->tcap, 1, x->sp + 1) ||
      !grow((void **)&x->pd, &x->pcap, sizeof *x->pd, x->tcap)) {
    x->body.oom = true;
    return x->sp++;
  }
  x->ts[x->sp] = c;
  x->pd[x->sp].kind = 0;
  x->pd[x->sp].taint = false;
  use_var(x, c, x->sp);
  return x->sp++;
}

void wemit_push_const(wemit *x, char c, const char *text) {
  uint32_t d = wemit_push(x, c);
  if (d < x->tcap) {
    x->pd[d].kind = 'c';
    snprintf(x->pd[d].text, sizeof x->pd[d].text, "%s", text);
  }
}

bool wemit_tainted(const wemit *x, uint32_t depth) {
  return depth < x->tcap && x->pd[depth].taint;
}

void wemit_set_taint(wemit *x, uint32_t depth, bool t) {
  if (depth < x->tcap) x->pd[depth].taint = t;
}

void wemit_force(wemit *x, uint32_t depth) {
  if (!wemit_tainted(x, depth)) return;
  wemit_line(x, "W_KEEP_%c(%s);", x->ts[depth], wemit_var(x, depth));
  x->pd[depth].taint = false;
}

void wemit_force_all(wemit *x) {
  for (uint32_t d = 0; d < x->sp; d++) wemit_force(x, d);
}

static void push_local(wemit *x, uint32_t k) {
  uint32_t d = wemit_push(x, x->lcls[k]);
  if (d < x->tcap) {
    x->pd[d].kind = 'l';
    x->pd[d].local = k;
    if (d < x->plow) x->plow = d;
  }
}

/* Puts the value at depth d into its variable. */
static void materialize(wemit *x, uint32_t d) {
  if (d >= x->tcap || !x->pd[d].kind) return;
  const char *src = wemit_v(x, d);
  wemit_line(x, "%s = %s;", wemit_var(x, d), src);
  x->pd[d].kind = 0;
}

/* Materialises the pending reads of local k (of every local when k is UINT32_MAX): before
 * k is written, and at block entries (a read materialised inside a block would run only
 * on some paths, or again on every iteration of a loop). */
static void flush_locals(wemit *x, uint32_t k) {
  uint32_t low = x->sp;
  for (uint32_t d = x->plow; d < x->sp && d < x->tcap; d++) {
    if (x->pd[d].kind != 'l') continue;
    if (k == UINT32_MAX || x->pd[d].local == k) materialize(x, d);
    else if (d < low) low = d;
  }
  x->plow = low;
}

/* Writes the current indentation (two spaces a level, at most 16 levels). */
static void indent(wemit *x) {
  static const char spaces[] = "                                ";
  int n = x->indent * 2;
  if (n > 32) n = 32;
  wb_putn(&x->body, spaces, (size_t)n);
}

void wemit_line(wemit *x, const char *fmt, ...) {
  indent(x);
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  va_list ap2;
  va_copy(ap2, ap);
  int len = vsnprintf(small, sizeof small, fmt, ap);
  if (len >= 0 && (size_t)len < sizeof small) {
    wb_putn(&x->body, small, (size_t)len);
  } else if (len >= 0) {
    char *big = malloc((size_t)len + 1);
    if (!big) x->body.oom = true;
    else {
      vsnprintf(big, (size_t)len + 1, fmt, ap2);
      wb_putn(&x->body, big, (size_t)len);
      free(big);
    }
  }
  va_end(ap2);
  va_end(ap);
  wb_putn(&x->body, "\n", 1);
}

/* Sets the classes of the n values at depths [h, h+n) from valtypes (block entry/exit). */
static void set_types(wemit *x, uint32_t h, uint32_t n, const uint8_t *types) {
  x->sp = h;
  for (uint32_t k = 0; k < n; k++) wemit_push(x, wemit_cls(types[k]));
}

/* return with the function's results, which are the top nresults values. */
static void emit_return(wemit *x) {
  uint32_t n = x->ft->nresults;
  if (n == 0) { wemit_line(x, "return;"); return; }
  if (n == 1) { wemit_line(x, "return %s;", wemit_v(x, x->sp - 1)); return; }
  char rt[160];
  wemit_restype(x->ft, rt, sizeof rt);
  wbuf *b = &x->body;
  indent(x);
  wb_printf(b, "return (%s){", rt);
  for (uint32_t k = 0; k < n; k++) wb_printf(b, "%s %s", k ? "," : "", wemit_v(x, x->sp - n + k));
  wb_puts(b, " };\n");
}

/* Branch to the label `depth` frames out: move the carried values, then jump. */
static void emit_br(wemit *x, uint32_t depth) {
  wcframe *t = &x->cf[x->ncf - 1 - depth];
  if (t->kind == WCF_FUNC) { emit_return(x); return; }
  uint32_t n = t->kind == WCF_LOOP ? t->sig.nparams : t->sig.nresults;
  const uint8_t *tys = t->kind == WCF_LOOP ? t->sig.params : t->sig.results;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t src = x->sp - n + k, dst = t->height + k;
    if (src == dst && (src >= x->tcap || !x->pd[src].kind)) continue;
    char c = wemit_cls(tys[k]);
    use_var(x, c, dst);
    wemit_line(x, "%s = %s;", vc(x, c, dst), wemit_v(x, src));
  }
  wemit_line(x, "goto L%" PRIu32 ";", t->label);
  t->used = true;
  if (t->kind == WCF_LOOP && !t->called) t->needs_check = true;
}

static bool push_frame(wemit *x, wcfkind kind, const wblocksig *sig) {
  if (!grow((void **)&x->cf, &x->cfcap, sizeof *x->cf, x->ncf + 1)) return false;
  wcframe *f = &x->cf[x->ncf++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->sig = *sig;
  f->height = x->sp - sig->nparams;
  f->label = ++x->nlabels;
  /* the frame's end values may be assigned only by branches: declare their variables */
  for (uint32_t k = 0; k < sig->nresults; k++)
    use_var(x, wemit_cls(sig->results[k]), f->height + k);
  return true;
}

/* Puts the top n values into their variables (a block's results at a join). */
static void materialize_top(wemit *x, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) materialize(x, x->sp - n + k);
}

void wemit_impure(wemit *x) {
  for (uint32_t k = 0; k < x->ncf; k++)
    if (x->cf[k].kind == WCF_LOOP) x->cf[k].impure = true;
}

/* A pure loop's check moves in front of its label: "L7:; W_LOOP_CHECK();" becomes
 * "W_LOOP_CHECK(); L7:;" (same length, rewritten in place). It then runs once per entry
 * (a loop is entered only by falling into it), and a stop requested while the loop runs
 * arrives as the runtime's signal, which finds the thread in generated code. */
static const char loop_check[] = "W_LOOP_CHECK();";

/* Returns the body offset of the moved check. */
static size_t hoist_check(wemit *x, const wcframe *f) {
  char *line = x->body.p + f->mark_at, *lab = line;
  while (*lab == ' ') lab++;
  size_t lablen = (size_t)(x->body.p + f->check_at - lab);   /* "L7:;" */
  char tmp[32];
  if (lablen >= sizeof tmp) return SIZE_MAX;
  memcpy(tmp, lab, lablen);
  memcpy(lab, loop_check, sizeof loop_check - 1);
  lab[sizeof loop_check - 1] = ' ';
  memcpy(lab + sizeof loop_check, tmp, lablen);
  return (size_t)(lab - x->body.p);
}

/* At the end of loop f (with `level` loops around it): the entry checks of the pure loops
 * directly inside it are redundant when f is a pure loop itself — nothing in f's body
 * leaves generated code, so f's own entry check and the interrupt signal cover every
 * way into them — and are blanked; in an impure loop they stay. Inside something that
 * does not loop (no back-edge) they are handed on to the next enclosing loop. Then f's own
 * hoisted check (at, or SIZE_MAX) is recorded for its enclosing loop to decide. */
static void resolve_hoisted(wemit *x, const wcframe *f, uint32_t level, size_t at) {
  while (x->nhchk && x->hchk[x->nhchk - 1].level > level) {
    if (!f->used) { x->hchk[x->nhchk - 1].level = level; break; }
    if (at != SIZE_MAX) memset(x->body.p + x->hchk[x->nhchk - 1].at, ' ', sizeof loop_check - 1);
    x->nhchk--;
  }
  if (at == SIZE_MAX) return;
  if (!grow((void **)&x->hchk, &x->hchkcap, sizeof *x->hchk, x->nhchk + 1)) return;  /* kept */
  x->hchk[x->nhchk].at = at;
  x->hchk[x->nhchk++].level = level;
}

/* `end` of the innermost frame; `dead` says whether its end is reachable by falling in. */
static void do_end(wemit *x) {
  wcframe *f = &x->cf[x->ncf - 1];
  bool live = !x->dead;
  if (live && f->kind != WCF_FUNC) materialize_top(x, f->sig.nresults);
  x->indent = (int)x->ncf - 1;
  switch (f->kind) {
    case WCF_FUNC:
      x->indent = 1;
      if (live) emit_return(x);
      else if (x->ft->nresults) wemit_line(x, "__builtin_unreachable();");
      break;
    case WCF_BLOCK:
      if (f->used) wemit_line(x, "L%" PRIu32 ":;", f->label);
      live = live || f->used;
      break;
    case WCF_LOOP:
      if (!f->used) memset(x->body.p + f->mark_at, ' ', f->mark_len - 1);
      else if (!f->needs_check)
        memset(x->body.p + f->check_at, ' ', f->mark_at + f->mark_len - 1 - f->check_at);
      {
        size_t at = SIZE_MAX;
        if (f->used && f->needs_check && !f->impure && x->o->async_interrupt)
          at = hoist_check(x, f);
        resolve_hoisted(x, f, x->nloops - 1, at);
      }
      x->nloops--;
      break;
    case WCF_IF:
      if (!f->gotoform) { wemit_line(x, "}"); x->nbraces--; }
      else if (!f->has_else) wemit_line(x, "E%" PRIu32 ":;", f->label);
      if (f->used) wemit_line(x, "L%" PRIu32 ":;", f->label);
      live = f->has_else ? (live || f->then_live || f->used) : true;
      break;
  }
  set_types(x, f->height, f->sig.nresults, f->sig.results);
  x->ncf--;
  x->dead = !live;
  x->dead_depth = 0;
}

static void do_else(wemit *x) {
  wcframe *f = &x->cf[x->ncf - 1];
  if (!x->dead) materialize_top(x, f->sig.nresults);
  f->has_else = true;
  f->then_live = !x->dead;
  x->indent = (int)x->ncf - 1;
  if (!f->gotoform) {
    wemit_line(x, "} else {");
  } else {
    if (!x->dead) { wemit_line(x, "goto L%" PRIu32 ";", f->label); f->used = true; }
    wemit_line(x, "E%" PRIu32 ":;", f->label);
  }
  x->indent = (int)x->ncf;
  set_types(x, f->height, f->sig.nparams, f->sig.params);
  x->dead = false;
}

/* Whether a branch to the label `depth` frames out is a bare jump to a block's or if's end
 * label (no values to move), so a jump table can hold that label's address. Loop heads
 * always go through a stub: a label whose address is taken pins its block, which would
 * hinder the optimisation of the loop. */
static bool direct_target(const wemit *x, uint32_t depth) {
  const wcframe *t = &x->cf[x->ncf - 1 - depth];
  if (t->kind != WCF_BLOCK && t->kind != WCF_IF) return false;
  for (uint32_t k = 0; k < t->sig.nresults; k++) {
    uint32_t src = x->sp - t->sig.nresults + k, dst = t->height + k;
    if (src != dst || (src < x->tcap && x->pd[src].kind)) return false;
  }
  return true;
}

/* br_table: an indexed jump, cases grouped by target (one move-and-jump per distinct
 * target). */
static bool emit_br_table(wemit *x, const winstr *in) {
  uint32_t idx = --x->sp;
  uint32_t n = in->imm.br_table.count;
  const uint8_t *cur = in->imm.br_table.targets;
  if (n == 0) { emit_br(x, in->imm.br_table.def); return true; }
  /* tgt[k]: case k's target; group[d]: target d's index in order[] (UINT32_MAX: unseen);
   * order[]: the distinct targets in first-seen order (the default after the cases) */
  uint32_t *tgt = malloc(((size_t)n + (size_t)x->ncf * 2 + 1) * sizeof *tgt);
  if (!tgt) return false;
  uint32_t *group = tgt + n, *order = group + x->ncf, norder = 0;
  for (uint32_t d = 0; d < x->ncf; d++) group[d] = UINT32_MAX;
  uint32_t def = in->imm.br_table.def;
  for (uint32_t k = 0; k <= n; k++) {
    uint32_t d = k < n ? wreader_br_table_read(&cur) : def;
    if (k < n) tgt[k] = d;
    if (group[d] == UINT32_MAX) { group[d] = norder; order[norder++] = d; }
  }
  /* goto *table[i] (GNU C labels as values): one indexed jump, where a switch adds a
   * range check and a relative-offset table (a wasm interpreter loop's dispatch: bench vm
   * 1.5x -> 1.3x native). Each target's group is a stub label B<id>_<g> doing the moves. */
  uint32_t id = ++x->nlabels;
  wbuf *b = &x->body;
  indent(x);
  wb_printf(b, "{ static void *const wjt%" PRIu32 "_[%" PRIu32 "] = {", id, n);
  for (uint32_t k = 0; k < n; k++) {
    const char *sep = k ? (k % 8 ? ", " : ",\n    ") : "";
    if (direct_target(x, tgt[k])) wb_printf(b, "%s&&L%" PRIu32, sep, x->cf[x->ncf - 1 - tgt[k]].label);
    else wb_printf(b, "%s&&B%" PRIu32 "_%" PRIu32, sep, id, group[tgt[k]]);
  }
  wb_puts(b, "};\n");
  const char *iv = wemit_v(x, idx);
  if (direct_target(x, def))
    wemit_line(x, "  goto *(%s < %" PRIu32 "u ? wjt%" PRIu32 "_[%s] : &&L%" PRIu32 "); }", iv, n, id,
               iv, x->cf[x->ncf - 1 - def].label);
  else
    wemit_line(x, "  goto *(%s < %" PRIu32 "u ? wjt%" PRIu32 "_[%s] : &&B%" PRIu32 "_%" PRIu32 "); }",
               iv, n, id, iv, id, group[def]);
  for (uint32_t g = 0; g < norder; g++) {
    if (direct_target(x, order[g])) {   /* the table jumps there: its label must exist */
      x->cf[x->ncf - 1 - order[g]].used = true;
      continue;
    }
    wemit_line(x, "B%" PRIu32 "_%" PRIu32 ":;", id, g);
    x->indent++;
    emit_br(x, order[g]);
    x->indent--;
  }
  free(tgt);
  return true;
}

/* A call of a function of type ft: `head` is the callee expression up to its arguments
 * ("wf_3(e, inst" or "wcall_ii_i(e, inst, 7u, f_"); the arguments are the top nparams. */
static void emit_call(wemit *x, const wfunctype *ft, const char *pre, const char *head,
                      const char *post) {
  uint32_t np = ft->nparams, nr = ft->nresults;
  uint32_t base = x->sp - np;
  wbuf *b = &x->body;
  if (!x->has_call) { x->has_call = true; x->entry_check = x->straight; }
  wemit_impure(x);
  bool check = !x->entry_check || x->nloops > 0;
  wcframe *in = &x->cf[x->ncf - 1];
  if (check && in->kind == WCF_LOOP) in->called = true;
  indent(x);
  if (check) wb_puts(b, "W_ENTER_CHECK(); ");
  wb_puts(b, pre);
  char rt[160];
  if (nr > 1) { wemit_restype(ft, rt, sizeof rt); wb_printf(b, "{ %s r_ = ", rt); }
  else if (nr == 1) wb_printf(b, "%c%" PRIu32 " = ", wemit_cls(WFT_RESULT(ft, 0)), base);
  wb_puts(b, head);
  for (uint32_t k = 0; k < np; k++) wb_printf(b, ", %s", wemit_v(x, base + k));
  wb_puts(b, ");");
  x->sp = base;
  for (uint32_t k = 0; k < nr; k++) wemit_push(x, wemit_cls(WFT_RESULT(ft, k)));
  if (nr > 1) {
    for (uint32_t k = 0; k < nr; k++) wb_printf(b, " %s = r_.r%" PRIu32 ";", wemit_var(x, base + k), k);
    wb_puts(b, " }");
  }
  wb_printf(b, "%s\n", post);
}

static void use_global(wemit *x, uint32_t k) {
  if (!x->gused[k]) { x->gused[k] = 1; x->glist[x->nglist++] = k; }
}

static const char *slot_field(char c) {
  return c == 'i' ? "i32" : c == 'I' ? "i64" : c == 'f' ? "f32" : c == 'F' ? "f64" : "ref";
}

/* Translates one instruction of live code. */
static wstatus instr(wemit *x, const winstr *in) {
  const wmodule *m = x->m;
  switch (in->op) {
    case WOP_BLOCK: case WOP_LOOP: case WOP_IF: case WOP_BR: case WOP_BR_IF: case WOP_BR_TABLE:
    case WOP_RETURN: case WOP_UNREACHABLE:
      x->straight = false;
      break;
    default: break;
  }
  /* loaded values that could be lost here are pinned first (wemit_force) */
  switch (in->op) {
    case WOP_BLOCK: case WOP_LOOP: case WOP_IF: case WOP_ELSE: case WOP_END: case WOP_BR:
    case WOP_BR_IF: case WOP_BR_TABLE: case WOP_RETURN: case WOP_UNREACHABLE: case WOP_CALL:
    case WOP_CALL_INDIRECT:
      wemit_force_all(x);
      break;
    case WOP_DROP: case WOP_LOCAL_SET: case WOP_LOCAL_TEE: case WOP_GLOBAL_SET:
      wemit_force(x, x->sp - 1);
      break;
    case WOP_SELECT: case WOP_SELECT_T:
      for (uint32_t k = 1; k <= 3; k++) wemit_force(x, x->sp - k);
      break;
    default: break;
  }
  switch (in->op) {
    case WOP_UNREACHABLE:
      wemit_line(x, "W_TRAP(WEFT_TRAP_UNREACHABLE);");
      x->dead = true;
      break;
    case WOP_NOP: break;
    case WOP_BLOCK: case WOP_LOOP: case WOP_IF: {
      wblocksig sig;
      if (wreader_blocksig(m, in->imm.blocktype, &sig, x->err)) return W_ERR;
      char cond[48] = "";
      if (in->op == WOP_IF) snprintf(cond, sizeof cond, "%s", wemit_v(x, --x->sp));
      flush_locals(x, UINT32_MAX);
      materialize_top(x, sig.nparams);   /* params live in their variables in the block */
      size_t at = x->body.len;
      if (!push_frame(x, in->op == WOP_BLOCK ? WCF_BLOCK : in->op == WOP_LOOP ? WCF_LOOP : WCF_IF, &sig))
        return werr_set(x->err, WERR_RESOURCE, "out of memory");
      wcframe *f = &x->cf[x->ncf - 1];
      if (in->op == WOP_IF) {
        /* a C if, or gotos when deeply nested (compilers limit bracket nesting) */
        f->gotoform = x->nbraces >= 64;
        x->indent = (int)x->ncf - 1;
        if (!f->gotoform) { wemit_line(x, "if (%s) {", cond); x->nbraces++; }
        else wemit_line(x, "if (!%s) goto E%" PRIu32 ";", cond, f->label);
      }
      if (in->op == WOP_LOOP) {
        wemit_line(x, "L%" PRIu32 ":; W_LOOP_CHECK();", f->label);
        f->mark_at = at;
        f->mark_len = x->body.len - at;
        f->check_at = x->body.len - strlen(" W_LOOP_CHECK();\n");
        x->nloops++;
        /* branches assign the params: make sure their variables are declared */
        for (uint32_t k = 0; k < sig.nparams; k++) use_var(x, wemit_cls(sig.params[k]), f->height + k);
      }
      x->indent = (int)x->ncf;
      break;
    }
    case WOP_ELSE: do_else(x); break;
    case WOP_END: do_end(x); break;
    case WOP_BR: emit_br(x, in->imm.index); x->dead = true; break;
    case WOP_BR_IF: {
      const char *c = wemit_v(x, --x->sp);
      wemit_line(x, "if (%s) {", c);
      x->indent++;
      emit_br(x, in->imm.index);
      x->indent--;
      wemit_line(x, "}");
      break;
    }
    case WOP_BR_TABLE:
      if (!emit_br_table(x, in)) return werr_set(x->err, WERR_RESOURCE, "out of memory");
      x->dead = true;
      break;
    case WOP_RETURN: emit_return(x); x->dead = true; break;
    case WOP_CALL: {
      uint32_t k = in->imm.index;
      const wfunctype *ft = wmod_func_type(m, k);
      char head[256];
      if (k >= m->nimported_funcs) {
        snprintf(head, sizeof head, "wf_%" PRIu32 "(e, inst", k - m->nimported_funcs);
      } else {
        char key[160];
        wemit_sigkey(ft, key, sizeof key);
        snprintf(head, sizeof head, "wcall_%s(e, inst, %" PRIu32 "u, inst->funcs[%" PRIu32 "]", key,
                 x->widx, k);
      }
      emit_call(x, ft, "", head, "");
      break;
    }
    case WOP_CALL_INDIRECT: {
      const wfunctype *ft = &m->types[in->imm.ci.type_idx];
      char pre[128], head[256], key[160];
      const char *iv = wemit_v(x, --x->sp);
      snprintf(pre, sizeof pre, "{ const wfuncinst *f_ = wci_(e, inst, %" PRIu32 "u, %s, %" PRIu32 "u); ",
               in->imm.ci.table, iv, in->imm.ci.type_idx);
      wemit_sigkey(ft, key, sizeof key);
      snprintf(head, sizeof head, "wcall_%s(e, inst, %" PRIu32 "u, f_", key, x->widx);
      emit_call(x, ft, pre, head, " }");
      break;
    }
    case WOP_DROP: x->sp--; break;
    case WOP_SELECT: case WOP_SELECT_T: {
      uint32_t c = --x->sp, b = --x->sp, a = --x->sp;
      char line[192];
      snprintf(line, sizeof line, "%s ? %s : %s", wemit_v(x, c), wemit_v(x, a), wemit_v(x, b));
      uint32_t d = wemit_push(x, x->ts[a]);
      wemit_line(x, "%s = %s;", wemit_var(x, d), line);
      break;
    }
    case WOP_LOCAL_GET: push_local(x, in->imm.index); break;
    case WOP_LOCAL_SET: case WOP_LOCAL_TEE: {
      uint32_t k = in->imm.index;
      flush_locals(x, k);                 /* earlier reads of k keep their value */
      uint32_t d = x->sp - 1;
      if (in->op == WOP_LOCAL_SET) x->sp--;
      wemit_line(x, "l%" PRIu32 " = %s;", k, wemit_v(x, d));
      break;
    }
    case WOP_GLOBAL_GET: {
      uint32_t k = in->imm.index;
      const wglobal_def *g = &m->globals[k];
      char c = wemit_cls(g->type.type);
      use_global(x, k);
      uint32_t d = wemit_push(x, c);
      if (g->type.mut) wemit_line(x, "%s = g%" PRIu32 "->val.%s;", wemit_var(x, d), k, slot_field(c));
      else wemit_line(x, "%s = g%" PRIu32 ";", wemit_var(x, d), k);
      break;
    }
    case WOP_GLOBAL_SET: {
      uint32_t k = in->imm.index;
      char c = wemit_cls(m->globals[k].type.type);
      const char *v = wemit_v(x, --x->sp);
      use_global(x, k);
      if (m->aux_stack.found && k == m->aux_stack.global)   /* the thread's stack slice */
        wemit_line(x, "if (W_UNLIKELY_((uint32_t)(%s - inst->aux_lo) > inst->aux_span)) "
                   "W_TRAP(WEFT_TRAP_AUX_STACK_OVERFLOW);", v);
      /* i32/f32 are stored zero-extended to the whole slot, as the interpreter does */
      if (c == 'i') wemit_line(x, "g%" PRIu32 "->val.i64 = (uint64_t)%s;", k, v);
      else if (c == 'f') wemit_line(x, "g%" PRIu32 "->val.i64 = w_f2u(%s);", k, v);
      else wemit_line(x, "g%" PRIu32 "->val.%s = %s;", k, slot_field(c), v);
      break;
    }
    default:
      if (!wemit_op(x, in))
        return werr_set(x->err, WERR_INVALID, "weftc: unsupported instruction %s at offset 0x%x",
                        wop_info[in->op].text, in->offset);
      break;
  }
  return W_OK;
}

/* Whether instruction `in` can trap or leave the function's frame on the stack under a
 * trap (a call, a loop's suspend check, a memory or table access, a helper, a division,
 * a float-to-int truncation, the aux stack pointer's check). */
static bool may_trap(const wmodule *m, const winstr *in) {
  const wopinfo *oi = &wop_info[in->op];
  if (oi->memsize || oi->prefix == 0xFE) return true;
  switch (in->op) {
    case WOP_UNREACHABLE: case WOP_CALL: case WOP_CALL_INDIRECT: case WOP_LOOP:
    case WOP_I32_DIV_S: case WOP_I32_DIV_U: case WOP_I32_REM_S: case WOP_I32_REM_U:
    case WOP_I64_DIV_S: case WOP_I64_DIV_U: case WOP_I64_REM_S: case WOP_I64_REM_U:
    case WOP_I32_TRUNC_F32_S: case WOP_I32_TRUNC_F32_U: case WOP_I32_TRUNC_F64_S:
    case WOP_I32_TRUNC_F64_U: case WOP_I64_TRUNC_F32_S: case WOP_I64_TRUNC_F32_U:
    case WOP_I64_TRUNC_F64_S: case WOP_I64_TRUNC_F64_U:
    case WOP_MEMORY_GROW: case WOP_MEMORY_INIT: case WOP_DATA_DROP: case WOP_MEMORY_COPY:
    case WOP_MEMORY_FILL: case WOP_TABLE_GET: case WOP_TABLE_SET: case WOP_TABLE_INIT:
    case WOP_ELEM_DROP: case WOP_TABLE_COPY: case WOP_TABLE_GROW: case WOP_TABLE_FILL:
      return true;
    case WOP_GLOBAL_SET:
      return m->aux_stack.found && in->imm.index == m->aux_stack.global;
    default:
      return false;
  }
}

const char *wemit_inline_attr(const wmodule *m, uint32_t i) {
  const wfunc *fn = &m->funcs[i];
  wreader r = {fn->code, fn->code + fn->code_len, m->bytes};
  werr err;
  bool traps = false;
  while (r.p < r.end) {
    winstr in;
    if (wreader_next(&r, &in, &err)) return "__attribute__((noinline)) ";
    /* a directly recursive function stays inlinable: gcc's partial and recursive inlining
     * pays most there (fib: 0.36 s -> 0.21 s), and its deeper levels keep their frames */
    if (in.op == WOP_CALL && in.imm.index == m->nimported_funcs + i) return "";
    traps = traps || may_trap(m, &in);
  }
  return traps ? "__attribute__((noinline)) " : "";
}

/* Skips unreachable code: nested blocks are counted, the frame's own else/end handled. */
static void skip(wemit *x, const winstr *in) {
  switch (in->op) {
    case WOP_BLOCK: case WOP_LOOP: case WOP_IF: x->dead_depth++; break;
    case WOP_ELSE: if (x->dead_depth == 0) do_else(x); break;
    case WOP_END:
      if (x->dead_depth) x->dead_depth--;
      else do_end(x);
      break;
    default: break;
  }
}

/* Writes "name, name, ..." declarations of the variables of class c in [from, to). */
static void decl_vars(FILE *out, char c, const char *prefix, uint32_t from, uint32_t to) {
  for (uint32_t k = from; k < to; k++) {
    if ((k - from) % 16 == 0)
      fprintf(out, "%s  __attribute__((unused)) %s ", k == from ? "" : ";\n", wemit_ctype(c));
    fprintf(out, "%s%s%c%" PRIu32 " = 0", (k - from) % 16 ? ", " : "", prefix, c, k);
  }
  if (to > from) fputs(";\n", out);
}

/* Writes a wasm name into a C comment (printable ASCII, no comment delimiters). */
static void put_comment_name(FILE *out, const char *name) {
  char prev = 0;
  for (const char *p = name; *p; p++) {
    char ch = *p;
    if ((unsigned char)ch < 0x20 || (unsigned char)ch > 0x7e) ch = '?';
    if ((ch == '/' && prev == '*') || (ch == '*' && prev == '/') || (ch == '?' && prev == '?')) ch = '_';
    fputc(ch, out);
    prev = ch;
  }
}

/* The function's head: signature, declarations, cached state, the entry check. */
static void prologue(wemit *x, uint32_t i, FILE *out) {
  const wmodule *m = x->m;
  const wfunctype *ft = x->ft;
  char rt[160];
  wemit_restype(ft, rt, sizeof rt);
  fputs("/* ", out);
  if (m->func_names && m->func_names[x->widx]) put_comment_name(out, m->func_names[x->widx]);
  else fprintf(out, "$f%" PRIu32, x->widx);
  fprintf(out, " (func %" PRIu32 ") */\nstatic %s%s wf_%" PRIu32 "(struct wexec *e, winstance *inst",
          x->widx, wemit_inline_attr(m, i), rt, i);
  for (uint32_t k = 0; k < ft->nparams; k++)
    fprintf(out, ", %s l%" PRIu32, wemit_ctype(x->lcls[k]), k);
  fputs(") {\n  (void)e; (void)inst;", out);
  for (uint32_t k = 0; k < ft->nparams; k++) fprintf(out, " (void)l%" PRIu32 ";", k);
  fputc('\n', out);
  /* declared locals, zero-initialised, one declaration per run of one class */
  for (uint32_t k = ft->nparams; k < x->nlocals;) {
    uint32_t j = k;
    while (j < x->nlocals && x->lcls[j] == x->lcls[k] && j - k < 16) j++;
    fprintf(out, "  __attribute__((unused)) %s", wemit_ctype(x->lcls[k]));
    for (uint32_t q = k; q < j; q++) fprintf(out, "%s l%" PRIu32 " = 0", q > k ? "," : "", q);
    fputs(";\n", out);
    k = j;
  }
  static const char classes[WCLS_N] = {'i', 'I', 'f', 'F', 'r'};
  for (int c = 0; c < WCLS_N; c++) decl_vars(out, classes[c], "", 0, x->maxd[wemit_cls_index(classes[c])]);
  if (x->uses_mem) fputs("  __attribute__((unused)) uint8_t *const m = inst->mem0_base;\n", out);
  if (x->uses_msize) fputs("  __attribute__((unused)) uint64_t msize = W_MEMBYTES();\n", out);
  for (uint32_t q = 0; q < x->nglist; q++) {
    uint32_t k = x->glist[q];
    const wglobal_def *g = &m->globals[k];
    char c = wemit_cls(g->type.type);
    if (g->type.mut) fprintf(out, "  wglobal *const g%" PRIu32 " = inst->globals[%" PRIu32 "];\n", k, k);
    else fprintf(out, "  const %s g%" PRIu32 " = inst->globals[%" PRIu32 "]->val.%s;\n", wemit_ctype(c), k,
                 k, slot_field(c));
  }
  if (x->entry_check) fputs("  W_ENTER_CHECK();\n", out);
}

wstatus wemit_func(wemit *x, uint32_t i, FILE *out) {
  const wmodule *m = x->m;
  const wfunc *fn = &m->funcs[i];
  x->widx = m->nimported_funcs + i;
  x->ft = &m->types[fn->type_idx];
  x->body.len = 0;
  x->sp = 0;
  memset(x->maxd, 0, sizeof x->maxd);
  x->ncf = 0;
  x->nlabels = 0;
  x->dead = false;
  x->dead_depth = 0;
  x->has_call = x->uses_mem = x->uses_msize = x->entry_check = false;
  x->straight = true;
  x->nloops = 0;
  x->nhchk = 0;
  x->nbraces = 0;
  x->plow = 0;
  for (uint32_t q = 0; q < x->nglist; q++) x->gused[x->glist[q]] = 0;
  x->nglist = 0;
  x->nlocals = x->ft->nparams + fn->nlocals;
  if (!grow((void **)&x->lcls, &x->lcap, 1, x->nlocals + 1))
    return werr_set(x->err, WERR_RESOURCE, "out of memory");
  for (uint32_t k = 0; k < x->ft->nparams; k++) x->lcls[k] = wemit_cls(WFT_PARAM(x->ft, k));
  for (uint32_t k = 0; k < fn->nlocals; k++) x->lcls[x->ft->nparams + k] = wemit_cls(fn->local_types[k]);

  wblocksig fsig = {0, x->ft->nresults, NULL, x->ft->types + x->ft->nparams};
  if (!push_frame(x, WCF_FUNC, &fsig)) return werr_set(x->err, WERR_RESOURCE, "out of memory");
  x->indent = 1;
  wreader r = {fn->code, fn->code + fn->code_len, m->bytes};
  while (x->ncf > 0) {
    winstr in;
    if (wreader_next(&r, &in, x->err)) return W_ERR;
    if (x->dead) skip(x, &in);
    else if (instr(x, &in)) return W_ERR;
    if (x->body.oom) return werr_set(x->err, WERR_RESOURCE, "out of memory");
  }
  prologue(x, i, out);
  fwrite(x->body.p, 1, x->body.len, out);
  fputs("}\n\n", out);
  return W_OK;
}
