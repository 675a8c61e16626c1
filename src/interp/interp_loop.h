/* interp_loop.h — the interpreter's execution loop. Included twice: by loop_fast.c with
 * WEFT_CHECKED 0 (guard-page mode: no bounds checks, a bad access faults and the runtime's
 * signal handler siglongjmps out) and by loop_checked.c with WEFT_CHECKED 1 (explicit
 * bounds checks against the memory's current size). WI_LOOP_NAME names the function.
 *
 * Dispatch lives behind three macros (Lua style): vmdispatch(op) starts an instruction,
 * vmcase(NAME) labels a handler, vmbreak(n) advances ip by n cells and dispatches the next
 * one (vmjump() dispatches at an ip already set). With GCC/clang it is computed goto over
 * a label table indexed by the opcode cell; otherwise a portable switch.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "code.h"
#include "fops.h"

#ifndef WI_LOOP_TYPES
#define WI_LOOP_TYPES
/* Result writes always store all 64 bits of a slot (i32/f32 zero-extended): a later
 * 64-bit read of the slot (MOV, RET1, call arguments) then forwards from the store
 * instead of stalling on a narrower one. */
static inline void wr_i32(wslot *s, uint32_t v) { s->i64 = v; }
static inline void wr_i64(wslot *s, uint64_t v) { s->i64 = v; }
static inline void wr_f32(wslot *s, float v) { uint32_t b; memcpy(&b, &v, 4); s->i64 = b; }
static inline void wr_f64(wslot *s, double v) { s->f64 = v; }
/* C types of the weft_slot fields, named after the fields (for the handler lists). */
typedef uint32_t WT_i32;
typedef uint64_t WT_i64;
typedef float WT_f32;
typedef double WT_f64;
#endif

#ifdef WEFT_OPSTATS
/* Debug aid (-DWEFT_OPSTATS): count executed internal ops and op pairs (compile.c prints
 * the most frequent ones at exit). Not thread-safe; for profiling single-thread runs. */
void winterp_opstat(uint32_t op);
#define WI_STAT(o) winterp_opstat(o)
#else
#define WI_STAT(o) ((void)0)
#endif
#ifndef WI_LOOP_HANDLER
#define WI_LOOP_HANDLER
/* Threaded code: the handler address stored in the cells ending at ip (code.h). */
static inline void *wi_handler(const uint32_t *ip) {
  uintptr_t h;
  memcpy(&h, ip - WI_OPX, sizeof h);
  return (void *)h;
}
#endif
#if WI_THREADED
#define vmdispatch(o) goto *wi_handler(ip);
#define vmcase(l) L_##l:
#define vmjump() goto *wi_handler(ip)
#define vmbreak(n) { ip += WI_TSIZE(n); goto *wi_handler(ip); }
#elif WI_CGOTO
#define vmdispatch(o) WI_STAT(o); goto *disp[o];
#define vmcase(l) L_##l:
#define vmjump() do { WI_STAT(*ip); goto *disp[*ip]; } while (0)
#define vmbreak(n) { ip += (n); WI_STAT(*ip); goto *disp[*ip]; }
#else
#define vmdispatch(o) switch (o)
#define vmcase(l) case IOP_##l:
#define vmjump() goto dispatch_top
#define vmbreak(n) { ip += (n); goto dispatch_top; }
#endif

/* Operand k of the current instruction as a frame slot. */
#define S(k) fp[ip[k]]
/* Leaves with a trap, saving the ip (just past the instruction start) for backtraces. */
#define TRAP(t) do { trap = (t); goto trapped; } while (0)
/* Same, when ip already points past a call instruction (the return address). */
#define TRAP_RET(t) do { ft->ip = ip; exec->frame_top = ft; return (t); } while (0)
/* Takes the branch whose offset is in cell k; a backward branch (a loop back-edge) first
 * checks the suspend flag (one relaxed load). */
#define BRANCH(k)                                                                       \
  do {                                                                                  \
    int64_t o_ = (int32_t)ip[k];   /* 64-bit: ip + k + o_ is one lea */                 \
    if (o_ < 0 && W_UNLIKELY(atomic_load_explicit(&exec->suspend, memory_order_relaxed))) \
      TRAP(WEFT_TRAP_TERMINATED);                                                       \
    ip += o_ + (k);                                                                     \
    vmjump();                                                                           \
  } while (0)
#define MEMSIZE() atomic_load_explicit(&inst->mem0->size, memory_order_acquire)

#if WEFT_CHECKED
#define RELOAD_MEM() do { mem = inst->mem0_base; memsize = inst->mem0 ? MEMSIZE() : 0; } while (0)
/* p = address of an n-byte access at fp[a].u32 + o, trapping when out of bounds (the slow
 * path re-reads the size: another thread or a callee may have grown the memory). */
#define EA(p, a, o, n)                                                                  \
  do {                                                                                  \
    uint64_t ea_ = (uint64_t)S(a).i32 + ip[o];                                          \
    if (W_UNLIKELY(ea_ + (n) > memsize)) {                                              \
      RELOAD_MEM();                                                                     \
      if (ea_ + (n) > memsize) TRAP(WEFT_TRAP_OOB_MEMORY);                              \
    }                                                                                   \
    p = mem + ea_;                                                                      \
  } while (0)
#else
#define RELOAD_MEM() do { mem = inst->mem0_base; } while (0)
#define EA(p, a, o, n) (p = mem + ((uint64_t)S(a).i32 + ip[o]))
#endif
/* Same with the address fp[a].i32 + imm (wrapping in 32 bits) instead of fp[a].i32. */
#if WEFT_CHECKED
#define EAA(p, a, imm, o, n)                                                            \
  do {                                                                                  \
    uint64_t ea_ = (uint64_t)(uint32_t)(S(a).i32 + ip[imm]) + ip[o];                    \
    if (W_UNLIKELY(ea_ + (n) > memsize)) {                                              \
      RELOAD_MEM();                                                                     \
      if (ea_ + (n) > memsize) TRAP(WEFT_TRAP_OOB_MEMORY);                              \
    }                                                                                   \
    p = mem + ea_;                                                                      \
  } while (0)
#else
#define EAA(p, a, imm, o, n) (p = mem + ((uint64_t)(uint32_t)(S(a).i32 + ip[imm]) + ip[o]))
#endif
/* Same with the address fp[b].i32 + (fp[i].i32 << k) (wrapping in 32 bits). */
#if WEFT_CHECKED
#define EAX(p, b, i, k, o, n)                                                           \
  do {                                                                                  \
    uint64_t ea_ = (uint64_t)(uint32_t)(S(b).i32 + (S(i).i32 << (ip[k] & 31))) + ip[o]; \
    if (W_UNLIKELY(ea_ + (n) > memsize)) {                                              \
      RELOAD_MEM();                                                                     \
      if (ea_ + (n) > memsize) TRAP(WEFT_TRAP_OOB_MEMORY);                              \
    }                                                                                   \
    p = mem + ea_;                                                                      \
  } while (0)
#else
#define EAX(p, b, i, k, o, n)                                                           \
  (p = mem + ((uint64_t)(uint32_t)(S(b).i32 + (S(i).i32 << (ip[k] & 31))) + ip[o]))
#endif
/* Same with the address (fp[i].i32 << k) + imm (wrapping in 32 bits). */
#if WEFT_CHECKED
#define EAS(p, i, k, imm, o, n)                                                         \
  do {                                                                                  \
    uint64_t ea_ = (uint64_t)(uint32_t)((S(i).i32 << (ip[k] & 31)) + ip[imm]) + ip[o];  \
    if (W_UNLIKELY(ea_ + (n) > memsize)) {                                              \
      RELOAD_MEM();                                                                     \
      if (ea_ + (n) > memsize) TRAP(WEFT_TRAP_OOB_MEMORY);                              \
    }                                                                                   \
    p = mem + ea_;                                                                      \
  } while (0)
#else
#define EAS(p, i, k, imm, o, n)                                                         \
  (p = mem + ((uint64_t)(uint32_t)((S(i).i32 << (ip[k] & 31)) + ip[imm]) + ip[o]))
#endif
/* Atomic accesses: always bounds- and alignment-checked. */
#define AEA(p, a, o, n)                                                                 \
  do {                                                                                  \
    uint64_t ea_ = (uint64_t)S(a).i32 + ip[o];                                          \
    if (W_UNLIKELY(ea_ & ((n) - 1))) TRAP(WEFT_TRAP_UNALIGNED_ATOMIC);                  \
    if (W_UNLIKELY(ea_ + (n) > MEMSIZE())) TRAP(WEFT_TRAP_OOB_MEMORY);                  \
    p = mem + ea_;                                                                      \
  } while (0)

/* Wait/notify helpers (interp.c). */
int32_t winterp_wait(wexec *exec, wmemory *m, void *p, uint64_t expected, int64_t timeout,
                     bool is64, wtrap *trap);
uint32_t winterp_notify(wexec *exec, wmemory *m, void *p, uint32_t count);

/* The code this loop runs (code.h): its own threaded copy, or the shared portable form. */
#if WI_THREADED && WEFT_CHECKED
#define CODE(cc) ((cc)->cells_checked)
#else
#define CODE(cc) ((cc)->cells)
#endif

/* Runs wasm from frame `entry` (pushed by the caller, locals zeroed) until it returns.
 * With exec NULL, only stores the handler table in *labels (code.h). */
wtrap WI_LOOP_NAME(wexec *exec, wframe *entry, const void *const **labels) {
  wframe *ft;
  winstance *inst;
  wslot *fp;
  const uint32_t *ip;
  uint8_t *mem;
#if WEFT_CHECKED
  uint64_t memsize;
#endif
#if WI_CGOTO
#define D1(N, ...) [IOP_##N] = &&L_##N,
#define DI(N, ...) [IOP_##N##_I] = &&L_##N##_I,
#define DA(N, ...) [IOP_##N##_A] = &&L_##N##_A,
#define DFK(N, ...) [IOP_##N##_K] = &&L_##N##_K, [IOP_##N##_KR] = &&L_##N##_KR,
#define DS(O, SH, ...) [IOP_I32_##O##_##SH] = &&L_I32_##O##_##SH,
#define DLB(C, ...) [IOP_BR_L_I32_##C] = &&L_BR_L_I32_##C, [IOP_BR_L_I32_##C##_I] = &&L_BR_L_I32_##C##_I,
#define DLZ(N, ...) [IOP_BR_##N] = &&L_BR_##N,
#define DFMM(O, ...) [IOP_F64_MM_##O##_L] = &&L_F64_MM_##O##_L, [IOP_F64_MM_##O##_R] = &&L_F64_MM_##O##_R,
#define DB64I(C, ...) [IOP_BR_I64_##C##_I] = &&L_BR_I64_##C##_I,
#define DRC(C, ...) [IOP_RET_I32_##C##_I] = &&L_RET_I32_##C##_I,
#define DLW(C, ...) [IOP_BR_LW_I32_##C] = &&L_BR_LW_I32_##C, [IOP_BR_LW_I32_##C##_I] = &&L_BR_LW_I32_##C##_I,
#define DAB(C, ...) [IOP_ABR_I32_##C] = &&L_ABR_I32_##C, [IOP_ABR_I32_##C##_I] = &&L_ABR_I32_##C##_I, \
                    [IOP_AXBR_I32_##C##_I] = &&L_AXBR_I32_##C##_I,
#define DIFF(O1, O2, ...) [IOP_I32_##O1##_##O2] = &&L_I32_##O1##_##O2,
#define DFF(O1, O2, ...) [IOP_F64_##O1##_##O2##_L] = &&L_F64_##O1##_##O2##_L, \
                         [IOP_F64_##O1##_##O2##_R] = &&L_F64_##O1##_##O2##_R,
#define DX(N, ...) [IOP_##N##_X] = &&L_##N##_X,
#define DS_(N, ...) [IOP_##N##_S] = &&L_##N##_S,
#define DM(N, ...) [IOP_##N##_M] = &&L_##N##_M,
#define DK(N, ...) [IOP_##N##_K] = &&L_##N##_K, [IOP_##N##_KA] = &&L_##N##_KA,
#define DL(N, ...) [IOP_##N##_L] = &&L_##N##_L, [IOP_##N##_LA] = &&L_##N##_LA,
#define DB(C, ...) [IOP_BR_I32_##C] = &&L_BR_I32_##C, [IOP_BR_I32_##C##_I] = &&L_BR_I32_##C##_I, \
                   [IOP_BR_I64_##C] = &&L_BR_I64_##C,
  static const void *const disp[IOP_COUNT_] = {
    WI_CONTROL(D1) WI_IBIN(D1) WI_IBIN(DI) WI_FBIN(D1) WI_UN(D1) WI_TRUNC(D1) WI_SAT(D1)
    WI_LOAD(D1) WI_STORE(D1) WI_ALOAD(D1) WI_ASTORE(D1) WI_RMW(D1) WI_CMPXCHG(D1) WI_CMPS(DB)
    WI_LOAD(DA) WI_STORE(DA) WI_LBIN(DL) WI_STORE(DK) WI_MBIN(DM) WI_LOAD(DX) WI_STORE(DX) WI_FK(DFK) WI_SBIN(DS) WI_CMPS(DLB) WI_LBR(DLZ)
    WI_FF(DFF) WI_CMPS(DAB) [IOP_ABR_NZ] = &&L_ABR_NZ, [IOP_ABR_Z] = &&L_ABR_Z,
    WI_IFF(DIFF) WI_LOAD(DS_) WI_CMPS(DLW) WI_CMPS(DRC) WI_CMPS(DB64I) WI_FMM(DFMM)
#define DP(A, B, ...) [IOP_P_##A##_##B] = &&L_P_##A##_##B,
    WI_PAIRS(DP)
#undef DP
  };
#undef DFMM
#undef DB64I
#undef DRC
#undef DLW
#undef DS_
#undef DIFF
#undef DAB
#undef DFF
#undef DLB
#undef DLZ
#undef DS
#undef DFK
#undef DX
#undef DM
#undef DL
#undef DK
#undef D1
#undef DI
#undef DB
#undef DA
#endif
#if WI_CGOTO
  if (W_UNLIKELY(!exec)) { *labels = disp; return WEFT_TRAP_NONE; }
#else
  (void)labels;
#endif
  ft = entry;
  inst = ft->fn->inst;
  fp = ft->fp;
  ip = CODE(ft->fn->code) + WI_OPX;
  RELOAD_MEM();
  wslot *const stack_end = exec->stack_end;
  wframe *const frames_end = exec->frames_end;
  wtrap trap;
  const wfuncinst *callee;
  wslot *nfp;

  for (;;) {
#if !WI_CGOTO
  dispatch_top:
#endif
    vmdispatch(*ip) {
    vmcase(UNREACHABLE) TRAP(WEFT_TRAP_UNREACHABLE);
    vmcase(MOV) { S(1) = S(2); vmbreak(3); }
    vmcase(MOV2) { S(1) = S(2); S(3) = S(4); vmbreak(5); }
    vmcase(MOV3) { S(1) = S(2); S(3) = S(4); S(5) = S(6); vmbreak(7); }
    vmcase(I32_ADD_I_MOV) {
      uint32_t v = S(2).i32 + ip[3];
      wr_i32(&S(1), v);
      wr_i32(&S(4), v);
      vmbreak(5);
    }
    vmcase(I32_LOAD_SA) {
      uint8_t *p;
      uint32_t v;
      wr_i32(&S(1), S(2).i32 + ip[3]);
      EAS(p, 5, 6, 7, 8, 4);
      memcpy(&v, p, 4);
      wr_i32(&S(4), v);
      vmbreak(9);
    }
    vmcase(I32_ROTL_XOR_ROTL) {
      wr_i32(&S(1), wi_rotl32(S(2).i32, ip[3]) ^ wi_rotl32(S(4).i32, ip[5]));
      vmbreak(6);
    }
    vmcase(I32_SIGMA_ROTL) {
      uint32_t v = wi_rotl32(S(2).i32, ip[3]) ^ wi_rotl32(S(4).i32, ip[5]);
      wr_i32(&S(1), v ^ wi_rotl32(S(6).i32, ip[7]));
      vmbreak(8);
    }
    vmcase(I32_SIGMA_SHR_U) {
      uint32_t v = wi_rotl32(S(2).i32, ip[3]) ^ wi_rotl32(S(4).i32, ip[5]);
      wr_i32(&S(1), v ^ (S(6).i32 >> (ip[7] & 31)));
      vmbreak(8);
    }
#define H_MADD(PRE, N)                                                                  \
    {                                                                                   \
      uint8_t *p, *q;                                                                   \
      double x, y;                                                                      \
      PRE                                                                               \
      EAA(q, N + 4, N + 5, N + 6, 8);                                                   \
      memcpy(&y, q, 8);                                                                 \
      double t = S(N + 3).f64 * y;                                                      \
      EA(p, N + 1, N + 2, 8);                                                           \
      memcpy(&x, p, 8);                                                                 \
      x = t + x;                                                                        \
      memcpy(p, &x, 8);                                                                 \
      vmbreak(N + 7);                                                                   \
    }
    vmcase(F64_MADD_M) H_MADD(, 0)
    vmcase(F64_MADD_MX) H_MADD(wr_i32(&S(1), S(2).i32 + S(3).i32);, 3)
    vmcase(F64_MADD_MA) H_MADD(wr_i32(&S(1), S(2).i32 + ip[3]);, 3)
    vmcase(CONST32) { S(1).i64 = ip[2]; vmbreak(3); }
    vmcase(CONST64) { S(1).i64 = ip[2] | ((uint64_t)ip[3] << 32); vmbreak(4); }
    vmcase(BR) BRANCH(1);
    vmcase(BR_NZ) { if (S(1).i32) BRANCH(2); vmbreak(3); }
    vmcase(BR_Z) { if (!S(1).i32) BRANCH(2); vmbreak(3); }
    vmcase(BR_I64_NZ) { if (S(1).i64) BRANCH(2); vmbreak(3); }
    vmcase(BR_I64_Z) { if (!S(1).i64) BRANCH(2); vmbreak(3); }
    vmcase(BR_TABLE) {
      uint32_t i = S(1).i32, n = ip[2];
      ip += 2 + (i < n ? i : n);
      BRANCH(1);
    }
    vmcase(BR_TABLE_A) {
      wr_i32(&S(1), S(2).i32 + ip[3]);
      uint32_t i = S(4).i32, n = ip[5];
      ip += 5 + (i < n ? i : n);
      BRANCH(1);
    }
    vmcase(LOOP_CHECK) {
      if (W_UNLIKELY(atomic_load_explicit(&exec->suspend, memory_order_relaxed)))
        TRAP(WEFT_TRAP_TERMINATED);
      vmbreak(1);
    }
    vmcase(RET0) goto do_return;
    vmcase(RET1) { fp[0] = S(1); goto do_return; }
    vmcase(RETN) { memmove(fp, fp + ip[1], (size_t)ip[2] * sizeof(wslot)); goto do_return; }
    vmcase(CALL) {
      callee = inst->funcs[ip[1]];
      nfp = fp + ip[2];
      ip += WI_TSIZE(3);
      goto do_call;
    }
    vmcase(CALL_LOCAL) {
      /* a function of this module: wasm code in this instance (no host or instance switch) */
      callee = inst->funcs[ip[1]];
      nfp = fp + ip[2];
      ip += WI_TSIZE(3);
      if (W_UNLIKELY(atomic_load_explicit(&exec->suspend, memory_order_relaxed)))
        TRAP_RET(WEFT_TRAP_TERMINATED);
      if (W_UNLIKELY(ft + 1 >= frames_end)) TRAP_RET(WEFT_TRAP_CALL_STACK_EXHAUSTED);
      ft->ip = ip;
      goto enter_wasm;
    }
    vmcase(CALL_INDIRECT) {
      const wtable *t = inst->tables[ip[2]];
      uint32_t i = S(4).i32;
      if (W_UNLIKELY(i >= t->size)) TRAP(WEFT_TRAP_UNDEFINED_ELEMENT);
      callee = (const wfuncinst *)t->elems[i];
      if (W_UNLIKELY(!callee)) TRAP(WEFT_TRAP_UNINITIALIZED_ELEMENT);
      const wfunctype *want = &inst->module->types[ip[1]];
      if (W_UNLIKELY(callee->type != want) && !winterp_type_eq(callee->type, want))
        TRAP(WEFT_TRAP_INDIRECT_TYPE_MISMATCH);
      nfp = fp + ip[3];
      ip += WI_TSIZE(5);
      goto do_call;
    }
    vmcase(SELECT) { S(1) = S(4).i32 ? S(2) : S(3); vmbreak(5); }
    vmcase(GLOBAL_GET) { S(1) = inst->globals[ip[2]]->val; vmbreak(3); }
    vmcase(GLOBAL_SET) { inst->globals[ip[2]]->val = S(1); vmbreak(3); }
    vmcase(GLOBAL_SET_AUX) {
      /* the stack pointer may only move inside this instance's (thread's) slice */
      if (W_UNLIKELY((uint32_t)(S(1).i32 - inst->aux_lo) > inst->aux_span))
        TRAP(WEFT_TRAP_AUX_STACK_OVERFLOW);
      inst->globals[ip[2]]->val = S(1);
      vmbreak(3);
    }
    vmcase(TABLE_GET) {
      const wtable *t = inst->tables[ip[2]];
      uint32_t i = S(3).i32;
      if (W_UNLIKELY(i >= t->size)) TRAP(WEFT_TRAP_OOB_TABLE);
      S(1).ref = t->elems[i];
      vmbreak(4);
    }
    vmcase(TABLE_SET) {
      wtable *t = inst->tables[ip[1]];
      uint32_t i = S(2).i32;
      if (W_UNLIKELY(i >= t->size)) TRAP(WEFT_TRAP_OOB_TABLE);
      t->elems[i] = S(3).ref;
      vmbreak(4);
    }
    vmcase(TABLE_SIZE) { wr_i32(&S(1), inst->tables[ip[2]]->size); vmbreak(3); }
    vmcase(TABLE_GROW) {
      uintptr_t init = S(3).ref;
      wr_i32(&S(1), (uint32_t)wtable_grow(inst->tables[ip[2]], S(4).i32, init));
      vmbreak(5);
    }
    vmcase(TABLE_FILL) {
      wtable *t = inst->tables[ip[1]];
      uint64_t i = S(2).i32, n = S(4).i32;
      uintptr_t v = S(3).ref;
      if (W_UNLIKELY(i + n > t->size)) TRAP(WEFT_TRAP_OOB_TABLE);
      for (uint64_t k = 0; k < n; k++) t->elems[i + k] = v;
      vmbreak(5);
    }
    vmcase(TABLE_COPY) {
      wtable *dt = inst->tables[ip[1]];
      const wtable *st = inst->tables[ip[2]];
      uint64_t d = S(3).i32, s = S(4).i32, n = S(5).i32;
      if (W_UNLIKELY(d + n > dt->size || s + n > st->size)) TRAP(WEFT_TRAP_OOB_TABLE);
      if (n) memmove(dt->elems + d, st->elems + s, n * sizeof(uintptr_t));
      vmbreak(6);
    }
    vmcase(TABLE_INIT) {
      uint32_t e = ip[1];
      wtable *t = inst->tables[ip[2]];
      uint64_t d = S(3).i32, s = S(4).i32, n = S(5).i32;
      if (W_UNLIKELY(s + n > inst->elem_len[e] || d + n > t->size)) TRAP(WEFT_TRAP_OOB_TABLE);
      if (n) memcpy(t->elems + d, inst->elem_refs[e] + s, n * sizeof(uintptr_t));
      vmbreak(6);
    }
    vmcase(ELEM_DROP) { inst->elem_len[ip[1]] = 0; vmbreak(2); }
    vmcase(MEMORY_SIZE) { wr_i32(&S(1), (uint32_t)(MEMSIZE() >> 16)); vmbreak(2); }
    vmcase(MEMORY_GROW) {
      wr_i32(&S(1), (uint32_t)wmem_grow(inst->mem0, S(2).i32));
      RELOAD_MEM();
      vmbreak(3);
    }
    vmcase(MEMORY_INIT) {
      uint32_t seg = ip[1];
      uint64_t d = S(2).i32, s = S(3).i32, n = S(4).i32;
      const wdata *ds = &inst->module->datas[seg];
      uint64_t len = inst->data_dropped[seg] ? 0 : ds->len;
      if (W_UNLIKELY(s + n > len || d + n > MEMSIZE())) TRAP(WEFT_TRAP_OOB_MEMORY);
      if (n) memcpy(mem + d, ds->bytes + s, n);
      vmbreak(5);
    }
    vmcase(DATA_DROP) { inst->data_dropped[ip[1]] = 1; vmbreak(2); }
    vmcase(MEMORY_COPY) {
      uint64_t d = S(1).i32, s = S(2).i32, n = S(3).i32, sz = MEMSIZE();
      if (W_UNLIKELY(d + n > sz || s + n > sz)) TRAP(WEFT_TRAP_OOB_MEMORY);
      if (n) memmove(mem + d, mem + s, n);
      vmbreak(4);
    }
    vmcase(MEMORY_FILL) {
      uint64_t d = S(1).i32, n = S(3).i32;
      if (W_UNLIKELY(d + n > MEMSIZE())) TRAP(WEFT_TRAP_OOB_MEMORY);
      if (n) memset(mem + d, (int)(uint8_t)S(2).i32, n);
      vmbreak(4);
    }
    vmcase(REF_IS_NULL) { wr_i32(&S(1), S(2).ref == 0); vmbreak(3); }
    vmcase(REF_FUNC) { S(1).ref = (uintptr_t)inst->funcs[ip[2]]; vmbreak(3); }
    vmcase(ATOMIC_FENCE) { atomic_thread_fence(memory_order_seq_cst); vmbreak(1); }
    vmcase(ATOMIC_NOTIFY) {
      uint8_t *p;
      AEA(p, 2, 4, 4);
      wr_i32(&S(1), winterp_notify(exec, inst->mem0, p, S(3).i32));
      vmbreak(5);
    }
    vmcase(ATOMIC_WAIT32) {
      uint8_t *p;
      AEA(p, 2, 5, 4);
      int32_t r = winterp_wait(exec, inst->mem0, p, S(3).i32, (int64_t)S(4).i64, false, &trap);
      if (r < 0) goto trapped;
      wr_i32(&S(1), (uint32_t)r);
      vmbreak(6);
    }
    vmcase(ATOMIC_WAIT64) {
      uint8_t *p;
      AEA(p, 2, 5, 8);
      int32_t r = winterp_wait(exec, inst->mem0, p, S(3).i64, (int64_t)S(4).i64, true, &trap);
      if (r < 0) goto trapped;
      wr_i32(&S(1), (uint32_t)r);
      vmbreak(6);
    }
    vmcase(I32_DIV_S) {
      int32_t a = (int32_t)S(2).i32, b = (int32_t)S(3).i32;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      if (W_UNLIKELY(a == INT32_MIN && b == -1)) TRAP(WEFT_TRAP_INT_OVERFLOW);
      wr_i32(&S(1), (uint32_t)(a / b));
      vmbreak(4);
    }
    vmcase(I32_DIV_U) {
      uint32_t a = S(2).i32, b = S(3).i32;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      wr_i32(&S(1), a / b);
      vmbreak(4);
    }
    vmcase(I32_REM_S) {
      int32_t a = (int32_t)S(2).i32, b = (int32_t)S(3).i32;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      wr_i32(&S(1), b == -1 ? 0 : (uint32_t)(a % b));
      vmbreak(4);
    }
    vmcase(I32_REM_U) {
      uint32_t a = S(2).i32, b = S(3).i32;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      wr_i32(&S(1), a % b);
      vmbreak(4);
    }
    vmcase(I64_DIV_S) {
      int64_t a = (int64_t)S(2).i64, b = (int64_t)S(3).i64;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      if (W_UNLIKELY(a == INT64_MIN && b == -1)) TRAP(WEFT_TRAP_INT_OVERFLOW);
      S(1).i64 = (uint64_t)(a / b);
      vmbreak(4);
    }
    vmcase(I64_DIV_U) {
      uint64_t a = S(2).i64, b = S(3).i64;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      S(1).i64 = a / b;
      vmbreak(4);
    }
    vmcase(I64_REM_S) {
      int64_t a = (int64_t)S(2).i64, b = (int64_t)S(3).i64;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      S(1).i64 = b == -1 ? 0 : (uint64_t)(a % b);
      vmbreak(4);
    }
    vmcase(I64_REM_U) {
      uint64_t a = S(2).i64, b = S(3).i64;
      if (W_UNLIKELY(b == 0)) TRAP(WEFT_TRAP_INT_DIV_ZERO);
      S(1).i64 = a % b;
      vmbreak(4);
    }

    /* ---- table-driven handlers ---- */
#define H_IBIN(N, IN, OUT, EXPR)                                                        \
    vmcase(N) { WT_##IN a = S(2).IN, b = S(3).IN; wr_##OUT(&S(1), (EXPR)); vmbreak(4); }      \
    vmcase(N##_I) {                                                                     \
      WT_##IN a = S(2).IN, b = (WT_##IN)(int64_t)(int32_t)ip[3];                        \
      wr_##OUT(&S(1), (EXPR));                                                                \
      vmbreak(4);                                                                       \
    }
    WI_IBIN(H_IBIN)
#define H_BIN(N, IN, OUT, EXPR)                                                         \
    vmcase(N) { WT_##IN a = S(2).IN, b = S(3).IN; wr_##OUT(&S(1), (EXPR)); vmbreak(4); }
    WI_FBIN(H_BIN)
#define H_LBIN_EXPR_F64_ADD a + b
#define H_LBIN_EXPR_F64_SUB a - b
#define H_LBIN_EXPR_F64_MUL a * b
#define H_LBIN_EXPR_F32_ADD a + b
#define H_LBIN_EXPR_F32_SUB a - b
#define H_LBIN_EXPR_F32_MUL a * b
#define H_LBIN_EXPR_I32_ADD a + b
#define H_LBIN_EXPR_I32_SUB a - b
#define H_LBIN_EXPR_I32_AND a & b
#define H_LBIN_EXPR_I32_OR a | b
#define H_LBIN_EXPR_I32_XOR a ^ b
#define H_LBIN_EXPR_I32_MUL a * b
#define H_LBIN_EXPR_I64_ADD a + b
#define H_LBIN_EXPR_I64_XOR a ^ b
#define H_LBIN(N, F, CT, LOP)                                                           \
    vmcase(N##_L) {                                                                     \
      uint8_t *p;                                                                       \
      CT b;                                                                             \
      EA(p, 3, 4, sizeof(CT));                                                          \
      memcpy(&b, p, sizeof b);                                                          \
      WT_##F a = S(2).F;                                                                \
      wr_##F(&S(1), (H_LBIN_EXPR_##N));                                                 \
      vmbreak(5);                                                                       \
    }                                                                                   \
    vmcase(N##_LA) {                                                                    \
      uint8_t *p;                                                                       \
      CT b;                                                                             \
      EAA(p, 3, 4, 5, sizeof(CT));                                                      \
      memcpy(&b, p, sizeof b);                                                          \
      WT_##F a = S(2).F;                                                                \
      wr_##F(&S(1), (H_LBIN_EXPR_##N));                                                 \
      vmbreak(6);                                                                       \
    }
    WI_LBIN(H_LBIN)
#define H_FK(N, EXPR)                                                                   \
    vmcase(N##_K) {                                                                     \
      uint64_t kb_ = ip[3] | ((uint64_t)ip[4] << 32);                                   \
      double a = S(2).f64, b;                                                           \
      memcpy(&b, &kb_, 8);                                                              \
      wr_f64(&S(1), (EXPR));                                                            \
      vmbreak(5);                                                                       \
    }                                                                                   \
    vmcase(N##_KR) {                                                                    \
      uint64_t kb_ = ip[3] | ((uint64_t)ip[4] << 32);                                   \
      double a, b = S(2).f64;                                                           \
      memcpy(&a, &kb_, 8);                                                              \
      wr_f64(&S(1), (EXPR));                                                            \
      vmbreak(5);                                                                       \
    }
    WI_FK(H_FK)
#define H_SBIN(O, SH, EXPR)                                                             \
    vmcase(I32_##O##_##SH) {                                                            \
      uint32_t a = S(2).i32, x = S(3).i32, k = ip[4];                                   \
      wr_i32(&S(1), (EXPR));                                                            \
      vmbreak(5);                                                                       \
    }
    WI_SBIN(H_SBIN)
#define H_FF(O1, O2, C1, C2)                                                            \
    vmcase(F64_##O1##_##O2##_L) {                                                       \
      double t = S(2).f64 C1 S(3).f64;                                                  \
      wr_f64(&S(1), t C2 S(4).f64);                                                     \
      vmbreak(5);                                                                       \
    }                                                                                   \
    vmcase(F64_##O1##_##O2##_R) {                                                       \
      double t = S(2).f64 C1 S(3).f64;                                                  \
      wr_f64(&S(1), S(4).f64 C2 t);                                                     \
      vmbreak(5);                                                                       \
    }
    WI_FF(H_FF)
#define H_FMM(O, C)                                                                     \
    vmcase(F64_MM_##O##_L) {                                                            \
      double t = S(2).f64 * S(3).f64;                                                   \
      t = t * S(4).f64;                                                                 \
      wr_f64(&S(1), t C S(5).f64);                                                      \
      vmbreak(6);                                                                       \
    }                                                                                   \
    vmcase(F64_MM_##O##_R) {                                                            \
      double t = S(2).f64 * S(3).f64;                                                   \
      t = t * S(4).f64;                                                                 \
      wr_f64(&S(1), S(5).f64 C t);                                                      \
      vmbreak(6);                                                                       \
    }
    WI_FMM(H_FMM)
    vmcase(F64_MMADD_M) {
      uint8_t *p;
      double x, t = S(3).f64 * S(4).f64;
      t = t * S(5).f64;
      EA(p, 1, 2, 8);
      memcpy(&x, p, 8);
      x = t + x;
      memcpy(p, &x, 8);
      vmbreak(6);
    }
#define H_IFF(O1, O2, C1, C2)                                                           \
    vmcase(I32_##O1##_##O2) {                                                           \
      wr_i32(&S(1), (S(2).i32 C1 S(3).i32) C2 S(4).i32);                                \
      vmbreak(5);                                                                       \
    }
    WI_IFF(H_IFF)
#define H_MBIN(N, F, CT, LOP, SOP)                                                      \
    vmcase(N##_M) {                                                                     \
      uint8_t *p;                                                                       \
      CT b;                                                                             \
      EA(p, 1, 3, sizeof(CT));                                                          \
      memcpy(&b, p, sizeof b);                                                          \
      WT_##F a = S(2).F;                                                                \
      b = (CT)(H_LBIN_EXPR_##N);                                                        \
      memcpy(p, &b, sizeof b);                                                          \
      vmbreak(4);                                                                       \
    }
    WI_MBIN(H_MBIN)
#define H_UN(N, IN, OUT, EXPR) vmcase(N) { WT_##IN a = S(2).IN; wr_##OUT(&S(1), (EXPR)); vmbreak(3); }
    WI_UN(H_UN)
#define H_TRUNC(N, IN, OUT, CT, LO, HI, MIN, MAX)                                       \
    vmcase(N) {                                                                         \
      WT_##IN a = S(2).IN;                                                              \
      if (W_UNLIKELY(!((double)a > (LO) && (double)a < (HI)))) {                        \
        if (a != a) TRAP(WEFT_TRAP_INVALID_CONVERSION);                                 \
        TRAP(WEFT_TRAP_INT_OVERFLOW);                                                   \
      }                                                                                 \
      wr_##OUT(&S(1), (WT_##OUT)(CT)a);                                                       \
      vmbreak(3);                                                                       \
    }
    WI_TRUNC(H_TRUNC)
#define H_SAT(N, IN, OUT, CT, LO, HI, MIN, MAX)                                         \
    vmcase(N) {                                                                         \
      WT_##IN a = S(2).IN;                                                              \
      CT r;                                                                             \
      if (a != a) r = 0;                                                                \
      else if (!((double)a > (LO))) r = (MIN);                                          \
      else if (!((double)a < (HI))) r = (MAX);                                          \
      else r = (CT)a;                                                                   \
      wr_##OUT(&S(1), (WT_##OUT)r);                                                           \
      vmbreak(3);                                                                       \
    }
    WI_SAT(H_SAT)
#define H_LOAD(N, F, CT)                                                                \
    vmcase(N) {                                                                         \
      uint8_t *p;                                                                       \
      CT v;                                                                             \
      EA(p, 2, 3, sizeof(CT));                                                          \
      memcpy(&v, p, sizeof v);                                                          \
      wr_##F(&S(1), (WT_##F)v);                                                               \
      vmbreak(4);                                                                       \
    }                                                                                   \
    vmcase(N##_A) {                                                                     \
      uint8_t *p;                                                                       \
      CT v;                                                                             \
      EAA(p, 2, 3, 4, sizeof(CT));                                                      \
      memcpy(&v, p, sizeof v);                                                          \
      wr_##F(&S(1), (WT_##F)v);                                                               \
      vmbreak(5);                                                                       \
    }                                                                                   \
    vmcase(N##_X) {                                                                     \
      uint8_t *p;                                                                       \
      CT v;                                                                             \
      EAX(p, 2, 3, 4, 5, sizeof(CT));                                                   \
      memcpy(&v, p, sizeof v);                                                          \
      wr_##F(&S(1), (WT_##F)v);                                                         \
      vmbreak(6);                                                                       \
    }                                                                                   \
    vmcase(N##_S) {                                                                     \
      uint8_t *p;                                                                       \
      CT v;                                                                             \
      EAS(p, 2, 3, 4, 5, sizeof(CT));                                                   \
      memcpy(&v, p, sizeof v);                                                          \
      wr_##F(&S(1), (WT_##F)v);                                                         \
      vmbreak(6);                                                                       \
    }
    WI_LOAD(H_LOAD)
#define H_STORE(N, F, CT)                                                               \
    vmcase(N) {                                                                         \
      uint8_t *p;                                                                       \
      EA(p, 1, 3, sizeof(CT));                                                          \
      CT v = (CT)S(2).F;                                                                \
      memcpy(p, &v, sizeof v);                                                          \
      vmbreak(4);                                                                       \
    }                                                                                   \
    vmcase(N##_A) {                                                                     \
      uint8_t *p;                                                                       \
      EAA(p, 1, 2, 4, sizeof(CT));                                                      \
      CT v = (CT)S(3).F;                                                                \
      memcpy(p, &v, sizeof v);                                                          \
      vmbreak(5);                                                                       \
    }                                                                                   \
    vmcase(N##_X) {                                                                     \
      uint8_t *p;                                                                       \
      EAX(p, 1, 2, 3, 5, sizeof(CT));                                                   \
      CT v = (CT)S(4).F;                                                                \
      memcpy(p, &v, sizeof v);                                                          \
      vmbreak(6);                                                                       \
    }                                                                                   \
    vmcase(N##_K) {                                                                     \
      uint8_t *p;                                                                       \
      EA(p, 1, 3, sizeof(CT));                                                          \
      CT v = (CT)(uint64_t)(int64_t)(int32_t)ip[2];                                     \
      memcpy(p, &v, sizeof v);                                                          \
      vmbreak(4);                                                                       \
    }                                                                                   \
    vmcase(N##_KA) {                                                                    \
      uint8_t *p;                                                                       \
      EAA(p, 1, 2, 4, sizeof(CT));                                                      \
      CT v = (CT)(uint64_t)(int64_t)(int32_t)ip[3];                                     \
      memcpy(p, &v, sizeof v);                                                          \
      vmbreak(5);                                                                       \
    }
    WI_STORE(H_STORE)
#define H_ALOAD(N, F, CT)                                                               \
    vmcase(N) {                                                                         \
      uint8_t *p;                                                                       \
      AEA(p, 2, 3, sizeof(CT));                                                         \
      S(1).F = (WT_##F)__atomic_load_n((CT *)p, __ATOMIC_SEQ_CST);                      \
      vmbreak(4);                                                                       \
    }
    WI_ALOAD(H_ALOAD)
#define H_ASTORE(N, F, CT)                                                              \
    vmcase(N) {                                                                         \
      uint8_t *p;                                                                       \
      AEA(p, 1, 3, sizeof(CT));                                                         \
      __atomic_store_n((CT *)p, (CT)S(2).F, __ATOMIC_SEQ_CST);                          \
      vmbreak(4);                                                                       \
    }
    WI_ASTORE(H_ASTORE)
#define H_RMW(N, F, CT, BUILTIN)                                                        \
    vmcase(N) {                                                                         \
      uint8_t *p;                                                                       \
      AEA(p, 2, 4, sizeof(CT));                                                         \
      CT v = (CT)S(3).F;                                                                \
      S(1).F = (WT_##F)BUILTIN((CT *)p, v, __ATOMIC_SEQ_CST);                           \
      vmbreak(5);                                                                       \
    }
    WI_RMW(H_RMW)
#define H_CMPXCHG(N, F, CT)                                                             \
    vmcase(N) {                                                                         \
      uint8_t *p;                                                                       \
      AEA(p, 2, 5, sizeof(CT));                                                         \
      CT e = (CT)S(3).F, r = (CT)S(4).F;                                                \
      __atomic_compare_exchange_n((CT *)p, &e, r, false, __ATOMIC_SEQ_CST,              \
                                  __ATOMIC_SEQ_CST);                                    \
      S(1).F = (WT_##F)e;                                                               \
      vmbreak(6);                                                                       \
    }
    WI_CMPXCHG(H_CMPXCHG)
#define H_BRC(C, EXPR)                                                                  \
    vmcase(BR_I32_##C) {                                                                \
      uint32_t a = S(1).i32, b = S(2).i32;                                              \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(3);                                 \
      vmbreak(4);                                                                       \
    }                                                                                   \
    vmcase(BR_I32_##C##_I) {                                                            \
      uint32_t a = S(1).i32, b = ip[2];                                                 \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(3);                                 \
      vmbreak(4);                                                                       \
    }                                                                                   \
    vmcase(BR_I64_##C) {                                                                \
      uint64_t a = S(1).i64, b = S(2).i64;                                              \
      int64_t sa = (int64_t)a, sb = (int64_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(3);                                 \
      vmbreak(4);                                                                       \
    }                                                                                   \
    vmcase(BR_I64_##C##_I) {                                                            \
      uint64_t a = S(1).i64, b = (uint64_t)(int64_t)(int32_t)ip[2];                     \
      int64_t sa = (int64_t)a, sb = (int64_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(3);                                                              \
      vmbreak(4);                                                                       \
    }
    WI_CMPS(H_BRC)
#define H_ABRC(C, EXPR)                                                                 \
    vmcase(ABR_I32_##C) {                                                               \
      uint32_t a = S(2).i32 + ip[3];                                                    \
      wr_i32(&S(1), a);                                                                 \
      uint32_t b = S(4).i32;                                                            \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(5);                                                              \
      vmbreak(6);                                                                       \
    }                                                                                   \
    vmcase(ABR_I32_##C##_I) {                                                           \
      uint32_t a = S(2).i32 + ip[3], b = ip[4];                                         \
      wr_i32(&S(1), a);                                                                 \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(5);                                                              \
      vmbreak(6);                                                                       \
    }                                                                                   \
    vmcase(AXBR_I32_##C##_I) {                                                          \
      uint32_t a = S(2).i32 + S(3).i32, b = ip[4];                                      \
      wr_i32(&S(1), a);                                                                 \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(5);                                                              \
      vmbreak(6);                                                                       \
    }
    WI_CMPS(H_ABRC)
    vmcase(ABR_NZ) {
      uint32_t a = S(2).i32 + ip[3];
      wr_i32(&S(1), a);
      if (a) BRANCH(4);
      vmbreak(5);
    }
    vmcase(ABR_Z) {
      uint32_t a = S(2).i32 + ip[3];
      wr_i32(&S(1), a);
      if (!a) BRANCH(4);
      vmbreak(5);
    }
#define H_LBRC(C, EXPR)                                                                 \
    vmcase(BR_L_I32_##C) {                                                              \
      uint8_t *p;                                                                       \
      uint32_t a;                                                                       \
      EA(p, 1, 2, 4);                                                                   \
      memcpy(&a, p, 4);                                                                 \
      uint32_t b = S(3).i32;                                                            \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(4);                                                              \
      vmbreak(5);                                                                       \
    }                                                                                   \
    vmcase(BR_L_I32_##C##_I) {                                                          \
      uint8_t *p;                                                                       \
      uint32_t a;                                                                       \
      EA(p, 1, 2, 4);                                                                   \
      memcpy(&a, p, 4);                                                                 \
      uint32_t b = ip[3];                                                               \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(4);                                                              \
      vmbreak(5);                                                                       \
    }
    WI_CMPS(H_LBRC)
#define H_LWBRC(C, EXPR)                                                                \
    vmcase(BR_LW_I32_##C) {                                                             \
      uint8_t *p;                                                                       \
      uint32_t a;                                                                       \
      EA(p, 2, 3, 4);                                                                   \
      memcpy(&a, p, 4);                                                                 \
      wr_i32(&S(1), a);                                                                 \
      uint32_t b = S(4).i32;                                                            \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(5);                                                              \
      vmbreak(6);                                                                       \
    }                                                                                   \
    vmcase(BR_LW_I32_##C##_I) {                                                         \
      uint8_t *p;                                                                       \
      uint32_t a;                                                                       \
      EA(p, 2, 3, 4);                                                                   \
      memcpy(&a, p, 4);                                                                 \
      wr_i32(&S(1), a);                                                                 \
      uint32_t b = ip[4];                                                               \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) BRANCH(5);                                                              \
      vmbreak(6);                                                                       \
    }
    WI_CMPS(H_LWBRC)
#define H_RETC(C, EXPR)                                                                 \
    vmcase(RET_I32_##C##_I) {                                                           \
      uint32_t a = S(1).i32, b = ip[2];                                                 \
      int32_t sa = (int32_t)a, sb = (int32_t)b;                                         \
      (void)sa; (void)sb;                                                               \
      if (EXPR) goto do_return;                                                         \
      vmbreak(3);                                                                       \
    }
    WI_CMPS(H_RETC)
#define H_LBRZ(N, CT, EXPR)                                                             \
    vmcase(BR_##N) {                                                                    \
      uint8_t *p;                                                                       \
      CT v;                                                                             \
      EA(p, 1, 2, sizeof(CT));                                                          \
      memcpy(&v, p, sizeof v);                                                          \
      if (EXPR) BRANCH(3);                                                              \
      vmbreak(4);                                                                       \
    }
    WI_LBR(H_LBRZ)
    /* ---- merged pairs (code.h WI_PAIRS): A's body, ip to B's virtual opcode cell, B's
     * body; then the next instruction (the pair is WI_TSIZE(nA + nB - 1) cells long). ---- */
#define PB_I32_ADD_I wr_i32(&S(1), S(2).i32 + ip[3]);
#define PB_I32_ADD wr_i32(&S(1), S(2).i32 + S(3).i32);
#define PB_MOV S(1) = S(2);
#define PB_I32_ADD_I_MOV { uint32_t v_ = S(2).i32 + ip[3]; wr_i32(&S(1), v_); wr_i32(&S(4), v_); }
#define PB_BR_NZ if (S(1).i32) BRANCH(2);
#define H_PAIR(A, B, NA, NB)                                                            \
    vmcase(P_##A##_##B) {                                                               \
      PB_##A                                                                            \
      ip += (NA) - 1;                                                                   \
      PB_##B                                                                            \
      ip += WI_TSIZE((NA) + (NB) - 1) - ((NA) - 1);                                     \
      vmjump();                                                                         \
    }
    WI_PAIRS(H_PAIR)
#if !WI_CGOTO
    default: TRAP(WEFT_TRAP_UNREACHABLE);
#endif
    }
  }

  /* Calls callee with its frame at nfp; ip is the return address. */
do_call:
  if (W_UNLIKELY(atomic_load_explicit(&exec->suspend, memory_order_relaxed)))
    TRAP_RET(WEFT_TRAP_TERMINATED);
  if (W_UNLIKELY(ft + 1 >= frames_end)) TRAP_RET(WEFT_TRAP_CALL_STACK_EXHAUSTED);
  ft->ip = ip;
  if (!callee->code) {   /* a host function, or AOT-compiled wasm (neither has our code) */
    uint32_t n = callee->type->nparams + callee->type->nresults;
    if (W_UNLIKELY(nfp + n > stack_end)) TRAP_RET(WEFT_TRAP_CALL_STACK_EXHAUSTED);
    ++ft;
    ft->fn = callee;
    ft->ip = NULL;
    exec->frame_top = ft;
    wslot *osp = exec->sp;
    exec->sp = nfp + n;
    if (callee->host) {
      ft->fp = nfp;
      wtrap t = callee->host(exec, callee->attachment, nfp);
      exec->sp = osp;
      if (W_UNLIKELY(t != WEFT_TRAP_NONE)) return t;   /* frame_top stays at the host frame */
    } else {
      /* An AOT gate record (fp NULL: the slots at nfp are covered by exec->sp). Its traps
       * siglongjmp past this loop to weft_call's recovery point. */
      ft->fp = NULL;
      callee->aot_slots(exec, callee->inst, nfp);
      exec->sp = osp;
    }
    --ft;
    exec->frame_top = ft;
    RELOAD_MEM();
    vmjump();
  }
  if (callee->inst != inst) { inst = callee->inst; RELOAD_MEM(); }
enter_wasm: {
    const struct wcode *cc = callee->code;
    if (W_UNLIKELY(nfp + cc->frame_slots > stack_end)) TRAP_RET(WEFT_TRAP_CALL_STACK_EXHAUSTED);
    ++ft;
    ft->fn = callee;
    ft->fp = nfp;
    exec->frame_top = ft;
    /* Zero the declared locals with plain stores: GCC would otherwise turn the loop into
     * a memset call (and spill the loop's state around it) on every call. */
    /* Chunks of 4 slots (the frame is sized to hold the rounded-up count). */
    wslot *l = nfp + cc->nparams;
    for (uint32_t z = cc->nzero4; z; z--, l += 4) {
      l[0].i64 = 0; l[1].i64 = 0; l[2].i64 = 0; l[3].i64 = 0;
#if defined(__GNUC__) || defined(__clang__)
      __asm__("" : "+r"(l));
#endif
    }
    fp = nfp;
    ip = CODE(cc) + WI_OPX;
    vmjump();
  }

  /* Returns from the current frame (results already in fp[0..)). */
do_return:
  if (ft == entry) { exec->frame_top = ft - 1; return WEFT_TRAP_NONE; }
  --ft;
  exec->frame_top = ft;
  fp = ft->fp;
  ip = ft->ip;
  if (ft->fn->inst != inst) { inst = ft->fn->inst; RELOAD_MEM(); }
  vmjump();

trapped:
  ft->ip = ip + 1;
  exec->frame_top = ft;
  return trap;
}

#undef CODE
#undef vmdispatch
#undef vmcase
#undef vmjump
#undef vmbreak
#undef WI_STAT
#undef S
#undef TRAP
#undef TRAP_RET
#undef BRANCH
#undef MEMSIZE
#undef RELOAD_MEM
#undef EA
#undef EAA
#undef EAX
#undef EAS
#undef AEA
#undef H_IBIN
#undef H_BIN
#undef H_LBIN
#undef H_FK
#undef H_SBIN
#undef H_FF
#undef H_FMM
#undef H_MADD
#undef H_IFF
#undef H_MBIN
#undef H_UN
#undef H_TRUNC
#undef H_SAT
#undef H_LOAD
#undef H_STORE
#undef H_ALOAD
#undef H_ASTORE
#undef H_RMW
#undef H_CMPXCHG
#undef H_BRC
#undef H_LBRC
#undef H_LWBRC
#undef H_RETC
#undef H_ABRC
#undef H_LBRZ
#undef H_PAIR
#undef PB_I32_ADD_I
#undef PB_I32_ADD
#undef PB_MOV
#undef PB_I32_ADD_I_MOV
#undef PB_BR_NZ
