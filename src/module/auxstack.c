/* auxstack.c — finding the C toolchain's auxiliary stack in a module (wmod_find_aux_stack).
 *
 * clang/wasm-ld keep the C stack in linear memory, addressed by a mutable i32 global
 * (`__stack_pointer`) that starts at the stack's top. The thread manager cuts that stack
 * into slices, one per thread, so it needs the global and the stack's bounds:
 *   - the global: the one named `__stack_pointer` in the name section or the exports; else
 *     the first defined mutable i32 global with an i32.const initialiser (wasm-ld always
 *     emits the stack pointer first). A module that imports its stack pointer (PIC) has none.
 *   - hi: the global's initial value (both wasm-ld layouts start the pointer at the top).
 *   - lo: default layout (data, stack, heap): `__data_end`, the end of the data below it;
 *     `--stack-first`: 0, as the stack sits below the data. Without a `__data_end` export,
 *     the end of the highest active data segment below hi, or 0 when all data lies above
 *     hi. Passive data (shared memories) without the export leaves the bounds unknown.
 */
#include <string.h>
#include "module.h"
#include "../util/leb128.h"

/* The value of a constant expression that is exactly `i32.const v; end`. */
static bool const_i32(const wconstexpr *ce, uint32_t *out) {
  if (!ce->code || ce->len < 3 || ce->code[0] != 0x41 || ce->code[ce->len - 1] != 0x0B) return false;
  int32_t v;
  const char *why;
  size_t n = wleb_s32(ce->code + 1, ce->code + ce->len - 1, &v, &why);
  if (n == 0 || 1 + n != ce->len - 1) return false;
  *out = (uint32_t)v;
  return true;
}

static bool is_stack_candidate(const wmodule *m, uint32_t g) {
  if (g < m->nimported_globals || g >= m->nglobals) return false;
  const wglobal_def *d = &m->globals[g];
  uint32_t v;
  return d->type.type == WT_I32 && d->type.mut && const_i32(&d->init, &v);
}

/* The global exported as `name`, or -1. */
static int64_t exported_global(const wmodule *m, const char *name) {
  size_t len = strlen(name);
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wexport *e = &m->exports[i];
    if (e->kind == WEXT_GLOBAL && e->name_len == len && memcmp(e->name, name, len) == 0)
      return e->index;
  }
  return -1;
}

/* The constant value of the defined global exported as `name`. */
static bool exported_value(const wmodule *m, const char *name, uint32_t *out) {
  int64_t g = exported_global(m, name);
  if (g < (int64_t)m->nimported_globals || g >= (int64_t)m->nglobals) return false;
  return m->globals[g].type.type == WT_I32 && const_i32(&m->globals[g].init, out);
}

static int64_t find_global(const wmodule *m) {
  if (m->global_names) {
    for (uint32_t g = 0; g < m->nglobals; g++)
      if (m->global_names[g] && strcmp(m->global_names[g], "__stack_pointer") == 0)
        return is_stack_candidate(m, g) ? (int64_t)g : -1;
  }
  int64_t g = exported_global(m, "__stack_pointer");
  if (g >= 0) return is_stack_candidate(m, (uint32_t)g) ? g : -1;
  for (uint32_t i = m->nimported_globals; i < m->nglobals; i++)
    if (is_stack_candidate(m, i)) return i;
  return -1;
}

void wmod_find_aux_stack(wmodule *m) {
  memset(&m->aux_stack, 0, sizeof m->aux_stack);
  int64_t g = find_global(m);
  if (g < 0) return;
  uint32_t hi, lo = 0, data_end;
  if (!const_i32(&m->globals[g].init, &hi)) return;
  m->aux_stack.found = true;
  m->aux_stack.global = (uint32_t)g;
  m->aux_stack.hi = hi;
  if (exported_value(m, "__data_end", &data_end)) {
    lo = data_end < hi ? data_end : 0;            /* below: default layout; above: stack-first */
  } else {
    bool any = false, above = false;
    for (uint32_t i = 0; i < m->ndatas; i++) {
      const wdata *d = &m->datas[i];
      uint32_t off;
      if (d->mode != WSEG_ACTIVE || d->mem != 0 || !const_i32(&d->offset, &off)) continue;
      uint64_t end = (uint64_t)off + d->len;
      if (end <= hi) {
        if (end > lo) lo = (uint32_t)end;
        any = true;
      } else if (off >= hi) {
        above = true;
      }
    }
    bool passive = false;
    for (uint32_t i = 0; i < m->ndatas; i++) passive |= m->datas[i].mode == WSEG_PASSIVE;
    if (!any && (passive || !above) && m->ndatas) return;   /* cannot tell where data lies */
  }
  if (lo >= hi || hi - lo < 16) return;
  lo = (lo + 15u) & ~15u;                         /* wasm-ld aligns the stack to 16 */
  m->aux_stack.lo = lo;
  m->aux_stack.hi = hi;
  m->aux_stack.bounded = true;
}
