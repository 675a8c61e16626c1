/* constexpr.c — constant-expression evaluation (see constexpr.h). The validator has
 * checked the expression, so only the allowed instructions appear and the stack is
 * well-typed; we still bound the stack so a buggy caller cannot overflow it. */
#include "constexpr.h"
#include "../module/reader.h"

#define CE_STACK 64

wstatus wconst_eval(const winstance *inst, const wconstexpr *ce, wslot *out, werr *err) {
  wreader r = {ce->code, ce->code + ce->len, inst->module->bytes};
  wslot st[CE_STACK];
  int n = 0;
  while (r.p < r.end) {
    winstr in;
    if (wreader_next(&r, &in, err) != W_OK) return W_ERR;
    if (in.op == WOP_END) break;
    if (n >= CE_STACK) return werr_set(err, WERR_RESOURCE, "constant expression too deep");
    wslot v = {0};
    switch (in.op) {
    case WOP_I32_CONST: v.i64 = 0; v.i32 = (uint32_t)in.imm.i32; break;
    case WOP_I64_CONST: v.i64 = (uint64_t)in.imm.i64; break;
    case WOP_F32_CONST: v.i64 = in.imm.f32_bits; break;
    case WOP_F64_CONST: v.i64 = in.imm.f64_bits; break;
    case WOP_REF_NULL: v.ref = 0; break;
    case WOP_REF_FUNC: v.ref = (uintptr_t)inst->funcs[in.imm.index]; break;
    case WOP_GLOBAL_GET: v = inst->globals[in.imm.index]->val; break;
    case WOP_I32_ADD: case WOP_I32_SUB: case WOP_I32_MUL:
    case WOP_I64_ADD: case WOP_I64_SUB: case WOP_I64_MUL: {
      if (n < 2) return werr_set(err, WERR_INVALID, "type mismatch in constant expression");
      wslot b = st[--n], a = st[--n];
      switch (in.op) {
      case WOP_I32_ADD: v.i64 = 0; v.i32 = a.i32 + b.i32; break;
      case WOP_I32_SUB: v.i64 = 0; v.i32 = a.i32 - b.i32; break;
      case WOP_I32_MUL: v.i64 = 0; v.i32 = a.i32 * b.i32; break;
      case WOP_I64_ADD: v.i64 = a.i64 + b.i64; break;
      case WOP_I64_SUB: v.i64 = a.i64 - b.i64; break;
      default: v.i64 = a.i64 * b.i64; break;
      }
      break;
    }
    default:
      return werr_set(err, WERR_INVALID, "constant expression required");
    }
    st[n++] = v;
  }
  if (n != 1) return werr_set(err, WERR_INVALID, "type mismatch in constant expression");
  *out = st[0];
  return W_OK;
}
