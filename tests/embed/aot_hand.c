/* aot_hand.c — a hand-written "AOT-compiled" module in the exact shape aot_abi.h describes
 * (what weftc generates), for testing the runtime side without the emitter: aot_hand.wat's
 * functions as typed entries wf_<i> and slot entries ws_<i>, a waot_desc, bind. Built as a
 * shared object (-fno-omit-frame-pointer, like generated code) and packed with
 * aot_hand.wasm into a .aot by aot_rt_test.c.
 *
 * The descriptor's wasm_hash must be waot_hash of the .wasm it is packed with; the test sets
 * WEFT_AOT_HAND_HASH before loading and a constructor (run by dlopen, before the loader reads
 * the descriptor) copies it in. Generated code has the hash compiled in. */
#include <stdlib.h>
#include <string.h>
#include "aot/aot_abi.h"
#pragma GCC diagnostic ignored "-Winfinite-recursion"   /* recurse traps by design */

static const waot_helpers *H;

#define NIMPORTED 6u
#define HEAD(e) ((wexec_head *)(e))
/* The prologue check of a function that calls: a frame below stack_limit (native stack
 * exhausted, or a stop request made it UINTPTR_MAX) takes the slow path. */
#define ENTER(e, inst)                                                                    \
  do {                                                                                    \
    if ((uintptr_t)__builtin_frame_address(0) <                                           \
        atomic_load_explicit(&HEAD(e)->stack_limit, memory_order_relaxed))                \
      H->enter_slow((e), (inst));                                                         \
  } while (0)
#define NOINL __attribute__((noinline))

/* call_slots of import `k` (wasm index) from defined function `self` (defined index). */
static void call_import(struct wexec *e, winstance *inst, uint32_t self, uint32_t k,
                        weft_slot *s) {
  H->call_slots(e, inst, NIMPORTED + self, inst->funcs[k], s);
}

/* 0 load (i32) -> i32: a plain load (guard pages: out of bounds faults) */
static NOINL uint32_t wf_0(struct wexec *e, winstance *inst, uint32_t a) {
  (void)e;
  volatile uint32_t *p = (volatile uint32_t *)(inst->mem0_base + a);
  return *p;
}
/* 1 callhost (i32 i32) -> i32: host.add */
static NOINL uint32_t wf_1(struct wexec *e, winstance *inst, uint32_t a, uint32_t b) {
  ENTER(e, inst);
  weft_slot s[2];
  s[0].i64 = a;
  s[1].i64 = b;
  call_import(e, inst, 1, 0, s);
  return s[0].i32;
}
/* 2 boom: unreachable */
static NOINL void wf_2(struct wexec *e, winstance *inst) {
  H->trap(e, inst, WEFT_TRAP_UNREACHABLE);
}
/* 3 spin: a loop whose head checks suspend */
static NOINL void wf_3(struct wexec *e, winstance *inst) {
  for (;;) {
    if (atomic_load_explicit(&HEAD(e)->suspend, memory_order_relaxed)) H->suspended(e, inst);
  }
}
/* 4 recurse (i32) -> i32: unbounded recursion (stack exhaustion) */
static NOINL uint32_t wf_4(struct wexec *e, winstance *inst, uint32_t a) {
  ENTER(e, inst);
  volatile uint32_t keep = a;   /* a frame of its own, and no tail call */
  return wf_4(e, inst, a + 1) + keep;
}
/* 5 outer: calls boom directly */
static NOINL void wf_5(struct wexec *e, winstance *inst) {
  ENTER(e, inst);
  wf_2(e, inst);
  __asm__ volatile("");
}
/* 6 hostfail: host.fail (a host trap with a message) */
static NOINL void wf_6(struct wexec *e, winstance *inst) {
  ENTER(e, inst);
  call_import(e, inst, 6, 1, NULL);
  __asm__ volatile("");
}
/* 7 twice2 (i32) -> i32: helper.twice (interpreted) times 2 */
static NOINL uint32_t wf_7(struct wexec *e, winstance *inst, uint32_t a) {
  ENTER(e, inst);
  weft_slot s[1];
  s[0].i64 = a;
  call_import(e, inst, 7, 2, s);
  return s[0].i32 * 2;
}
/* 8 itrap: helper.itrap (an interpreted unreachable) */
static NOINL void wf_8(struct wexec *e, winstance *inst) {
  ENTER(e, inst);
  call_import(e, inst, 8, 3, NULL);
  __asm__ volatile("");
}
/* 9 slen (i32) -> i32: nat.strlen (a native with a string argument) */
static NOINL uint32_t wf_9(struct wexec *e, winstance *inst, uint32_t a) {
  ENTER(e, inst);
  weft_slot s[1];
  s[0].i64 = a;
  call_import(e, inst, 9, 4, s);
  return s[0].i32;
}
/* 10 quit (i32): nat.quit (a native ending the program through weft_exec_exit) */
static NOINL void wf_10(struct wexec *e, winstance *inst, uint32_t a) {
  ENTER(e, inst);
  weft_slot s[1];
  s[0].i64 = a;
  call_import(e, inst, 10, 5, s);
  __asm__ volatile("");
}

static void ws_0(struct wexec *e, winstance *i, weft_slot *s) { s[0].i64 = wf_0(e, i, s[0].i32); }
static void ws_1(struct wexec *e, winstance *i, weft_slot *s) {
  s[0].i64 = wf_1(e, i, s[0].i32, s[1].i32);
}
static void ws_2(struct wexec *e, winstance *i, weft_slot *s) { (void)s; wf_2(e, i); }
static void ws_3(struct wexec *e, winstance *i, weft_slot *s) { (void)s; wf_3(e, i); }
static void ws_4(struct wexec *e, winstance *i, weft_slot *s) { s[0].i64 = wf_4(e, i, s[0].i32); }
static void ws_5(struct wexec *e, winstance *i, weft_slot *s) { (void)s; wf_5(e, i); }
static void ws_6(struct wexec *e, winstance *i, weft_slot *s) { (void)s; wf_6(e, i); }
static void ws_7(struct wexec *e, winstance *i, weft_slot *s) { s[0].i64 = wf_7(e, i, s[0].i32); }
static void ws_8(struct wexec *e, winstance *i, weft_slot *s) { (void)s; wf_8(e, i); }
static void ws_9(struct wexec *e, winstance *i, weft_slot *s) { s[0].i64 = wf_9(e, i, s[0].i32); }
static void ws_10(struct wexec *e, winstance *i, weft_slot *s) { wf_10(e, i, s[0].i32); }

static void *const typed[] = {
  (void *)wf_0, (void *)wf_1, (void *)wf_2, (void *)wf_3, (void *)wf_4, (void *)wf_5,
  (void *)wf_6, (void *)wf_7, (void *)wf_8, (void *)wf_9, (void *)wf_10,
};
static const waot_slot_fn slots[] = {ws_0, ws_1, ws_2, ws_3, ws_4, ws_5,
                                     ws_6, ws_7, ws_8, ws_9, ws_10};

static void bind(const waot_helpers *h) { H = h; }

__attribute__((visibility("default"))) waot_desc WAOT_DESC_SYMBOL = {
  .abi_version = WAOT_ABI_VERSION,
  .flags = 0,
  .wasm_hash = 0,
  .layout = WAOT_LAYOUT_INIT,
  .ndefined = 11,
  .typed = typed,
  .slots = slots,
  .bind = bind,
};

__attribute__((constructor)) static void set_hash(void) {
  const char *h = getenv("WEFT_AOT_HAND_HASH");
  if (h) WAOT_DESC_SYMBOL.wasm_hash = strtoull(h, NULL, 16);
  const char *f = getenv("WEFT_AOT_HAND_FLAGS");
  if (f) WAOT_DESC_SYMBOL.flags = (uint32_t)strtoul(f, NULL, 0);
}
