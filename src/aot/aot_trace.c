/* aot_trace.c — backtraces through AOT code. Generated code is compiled with
 * -fno-omit-frame-pointer, so its native frames form a chain {saved fp, return address}
 * (x86-64 rbp, AArch64 x29). On a trap, the return addresses found along that chain are
 * mapped to defined functions by the sorted entry addresses (typed and slot entries) of the
 * loaded objects, registered here. Limits: a function the C compiler inlined into its
 * caller has no frame of its own and does not appear; frames are named without offsets.
 *
 * The registry is read without locks (also from the fault handler): a slot is published by
 * storing `lo` last (release) and retired by zeroing `lo` first; readers load lo, hi, code,
 * then lo again and use the slot only if both loads of lo agree. Code that is running is
 * never unloaded, so a pc inside a live slot's range stays valid while it is looked up. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "aot_internal.h"

#define REG_SLOTS 1024
static struct {
  _Atomic uintptr_t lo, hi;
  _Atomic(const struct waot_code *) code;
} g_reg[REG_SLOTS];
static _Atomic int g_reg_used;   /* slots below this may be live */
static pthread_mutex_t g_reg_lock = PTHREAD_MUTEX_INITIALIZER;

bool waot_trace_register(struct waot_code *c) {
  bool ok = false;
  pthread_mutex_lock(&g_reg_lock);
  for (int i = 0; i < REG_SLOTS; i++) {
    if (atomic_load_explicit(&g_reg[i].lo, memory_order_relaxed)) continue;
    atomic_store_explicit(&g_reg[i].hi, c->text_hi, memory_order_relaxed);
    atomic_store_explicit(&g_reg[i].code, c, memory_order_relaxed);
    atomic_store_explicit(&g_reg[i].lo, c->text_lo ? c->text_lo : 1, memory_order_release);
    if (i >= atomic_load_explicit(&g_reg_used, memory_order_relaxed))
      atomic_store_explicit(&g_reg_used, i + 1, memory_order_release);
    c->reg_slot = i;
    ok = true;
    break;
  }
  pthread_mutex_unlock(&g_reg_lock);
  return ok;
}

void waot_trace_unregister(struct waot_code *c) {
  if (c->reg_slot < 0) return;
  pthread_mutex_lock(&g_reg_lock);
  atomic_store_explicit(&g_reg[c->reg_slot].lo, 0, memory_order_release);
  pthread_mutex_unlock(&g_reg_lock);
  c->reg_slot = -1;
}

/* The loaded object whose text contains pc, or NULL. */
static const struct waot_code *find_code(uintptr_t pc) {
  int n = atomic_load_explicit(&g_reg_used, memory_order_acquire);
  for (int i = 0; i < n; i++) {
    uintptr_t lo = atomic_load_explicit(&g_reg[i].lo, memory_order_acquire);
    if (!lo || pc < lo) continue;
    uintptr_t hi = atomic_load_explicit(&g_reg[i].hi, memory_order_acquire);
    const struct waot_code *c = atomic_load_explicit(&g_reg[i].code, memory_order_acquire);
    if (pc >= hi || atomic_load_explicit(&g_reg[i].lo, memory_order_acquire) != lo) continue;
    return c;
  }
  return NULL;
}

bool waot_trace_pc_known(uintptr_t pc) { return find_code(pc) != NULL; }

/* What a code address is. */
enum { PC_OTHER = 0, PC_FUNC, PC_AOT_HELPER };

/* pc → (object, entry): the entry with the highest address <= pc. PC_AOT_HELPER: inside a
 * loaded object but in none of its functions (the generated code's static helpers), whose
 * frames a walk passes through; PC_OTHER: not AOT code. */
static int lookup(uintptr_t pc, const struct waot_code **cp, const waot_entry **ep) {
  const struct waot_code *c = find_code(pc);
  if (!c) return PC_OTHER;
  if (!c->nentries || pc < c->entries[0].addr) return PC_AOT_HELPER;
  uint32_t lo = 0, hi = c->nentries;   /* entries[lo].addr <= pc < entries[hi].addr */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->entries[mid].addr <= pc) lo = mid;
    else hi = mid;
  }
  /* typed and slot entry may share an address (one aliasing the other) */
  const waot_entry *en = &c->entries[lo];
  if (en->end && pc >= en->end) return PC_AOT_HELPER;
  *cp = c;
  *ep = en;
  return PC_FUNC;
}

const char *waot_trace_name(const void *ip, char *buf, size_t buflen) {
  const struct waot_code *c;
  const waot_entry *en;
  if (lookup((uintptr_t)ip, &c, &en) != PC_FUNC) return NULL;
  char nb[64];
  const char *name =
      wmod_func_name(c->module, c->module->nimported_funcs + en->idx, nb, sizeof nb);
  snprintf(buf, buflen, "%s", name);
  return buf;
}

/* Output of the record rewrite: records are written downward from frames_end, and never
 * below `floor` (the highest record not yet read). */
typedef struct {
  wframe *w, *floor;
  const winstance *inst;         /* instance for frames of its module, else fn NULL */
  bool full;
} tout;

static void emit(tout *o, wframe fr) {
  if (o->full || o->w - 1 <= o->floor) {
    o->full = true;
    return;
  }
  *--o->w = fr;
}

static void emit_aot(tout *o, const struct waot_code *c, uint32_t idx, uintptr_t pc) {
  const winstance *in = o->inst;
  if (in && in->module->aot == c) {
    emit(o, (wframe){in->funcs[in->module->nimported_funcs + idx], NULL, NULL});
  } else {
    /* instance unknown here: named from the code address when printed */
    emit(o, (wframe){NULL, (const void *)pc, NULL});
  }
}

/* Emits the AOT frames from pc (a return address when ret) and up the chain from fp, until
 * a return address outside AOT code (the C code that entered it) or the end of the stack;
 * returns how many. A slot entry calling its own typed function shows as one frame. */
static uint32_t walk(tout *o, uintptr_t pc, bool ret, uintptr_t fp) {
  uintptr_t slo = 0, shi = 0;
  bool bounded = wplat_thread_stack(&slo, &shi);
  uint32_t n = 0;
  const waot_entry *last = NULL;
  const struct waot_code *last_c = NULL;
  for (uint32_t steps = 0; steps < (1u << 20); steps++) {
    const struct waot_code *c;
    const waot_entry *en;
    /* a return address may be just past the end of its function (a call to a noreturn
     * helper is often the last instruction): look up the call instead */
    uintptr_t at = ret ? pc - 1 : pc;
    int kind = pc ? lookup(at, &c, &en) : PC_OTHER;
    if (kind == PC_OTHER) break;
    if (kind == PC_FUNC &&
        !(en->slot && last && last_c == c && !last->slot && last->idx == en->idx)) {
      emit_aot(o, c, en->idx, at);
      n++;
      last = en;
      last_c = c;
    }
    if (o->full || !bounded) break;
    if (fp < slo || fp > shi - 2 * sizeof(uintptr_t) || fp % sizeof(uintptr_t)) break;
    const uintptr_t *f = (const uintptr_t *)fp;
    uintptr_t next = f[0];
    pc = f[1];
    ret = true;
    if (next <= fp) next = 0;   /* the chain must go up the stack: stop after this pc */
    fp = next;
  }
  return n;
}

void waot_trace_fixup(wexec *e, const winstance *inst, uintptr_t pc, bool pc_is_ret,
                      uintptr_t fp) {
  wframe *base = e->act_base && e->act_base >= e->frames ? e->act_base : e->frames;
  wframe *top = e->frame_top;
  if (top >= e->frames_end) top = e->frames_end - 1;
  if (!pc) {   /* nothing to walk: only AOT records need rewriting (interpreted faults) */
    const wframe *r = top;
    while (r >= base && !waot_is_aot_func(r->fn)) r--;
    if (r < base) return;
  }
  tout o = {e->frames_end, top, inst, false};
  if (!o.inst && e->act_fn && !e->act_fn->host) o.inst = e->act_fn->inst;
  bool covered = false;   /* the walk just done reached the C code entering its segment */
  if (pc) covered = walk(&o, pc, pc_is_ret, fp) > 0;
  for (wframe *r = top; r >= base && !o.full; r--) {
    wframe fr = *r;
    o.floor = r - 1;
    if (!waot_is_aot_func(fr.fn)) {
      emit(&o, fr);
      covered = false;
    } else if (fr.ip) {
      /* caller record: the helper's native frame; the AOT frames above it are walked */
      const uintptr_t *hf = (const uintptr_t *)fr.ip;
      o.inst = fr.fn->inst;
      uint32_t n = walk(&o, hf[1], true, hf[0]);
      if (!n) emit(&o, (wframe){fr.fn, NULL, NULL});
      covered = true;
    } else {
      /* gate record: its function was the outermost frame of the segment just walked */
      if (!covered) emit(&o, fr);
      covered = false;
    }
  }
  size_t n = (size_t)(e->frames_end - o.w);
  memmove(base, o.w, n * sizeof *base);
  e->frame_top = base + n - 1;
}
