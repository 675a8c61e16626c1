/* wasm_memory.c — WAMR-compatible access to an instance's memory 0: module_malloc/free
 * (app heap, else the module's own malloc/free), address checks and conversions. */
#include <string.h>
#include "compat.h"

static weft_memory *mem0(cinst *ci) { return ci ? weft_instance_default_memory(ci->inst) : NULL; }

/* Calls the module's malloc (size) or free (ptr) export; false on a trap. */
static bool call_module(cinst *ci, weft_func *f, uint32_t arg, uint32_t *result) {
  weft_exec *e = compat_exec_for(ci);
  if (!e) return false;
  weft_slot s[1] = {{.i64 = 0}};
  s[0].i32 = arg;
  weft_error err;
  if (weft_call(e, f, s, 1, s, result ? 1 : 0, &err) != WEFT_OK) {
    compat_set_call_error(ci, e, &err);
    return false;
  }
  if (result) *result = s[0].i32;
  return true;
}

uint64_t wasm_runtime_module_malloc(wasm_module_inst_t module_inst, uint64_t size,
                                    void **p_native_addr) {
  cinst *ci = (cinst *)module_inst;
  uint32_t off = 0;
  if (p_native_addr) *p_native_addr = NULL;
  if (!ci || size > UINT32_MAX) return 0;
  if (ci->has_heap) {
    off = weft_heap_malloc(ci->inst, (uint32_t)size);
  } else if (ci->malloc_fn) {
    if (!call_module(ci, ci->malloc_fn, (uint32_t)size, &off)) return 0;
  }
  void *p = off ? weft_memory_range(mem0(ci), off, size) : NULL;
  if (!p) {
    if (off && !ci->has_heap) (void)call_module(ci, ci->free_fn, off, NULL);
    compat_set_exception_text(ci, "allocate memory failed");
    return 0;
  }
  if (p_native_addr) *p_native_addr = p;
  return off;
}

void wasm_runtime_module_free(wasm_module_inst_t module_inst, uint64_t ptr) {
  cinst *ci = (cinst *)module_inst;
  if (!ci || !ptr || ptr > UINT32_MAX) return;
  if (ci->has_heap) weft_heap_free(ci->inst, (uint32_t)ptr);
  else if (ci->free_fn) (void)call_module(ci, ci->free_fn, (uint32_t)ptr, NULL);
}

uint64_t wasm_runtime_module_dup_data(wasm_module_inst_t module_inst, const char *src,
                                      uint64_t size) {
  void *p;
  uint64_t off = wasm_runtime_module_malloc(module_inst, size, &p);
  if (off && size) memcpy(p, src, size);
  return off;
}

/* Sets the out-of-bounds exception and returns false. */
static bool oob(cinst *ci) {
  if (ci) compat_set_exception_text(ci, "out of bounds memory access");
  return false;
}

bool wasm_runtime_validate_app_addr(wasm_module_inst_t module_inst, uint64_t app_offset,
                                    uint64_t size) {
  cinst *ci = (cinst *)module_inst;
  return weft_memory_range(mem0(ci), app_offset, size) ? true : oob(ci);
}

bool wasm_runtime_validate_app_str_addr(wasm_module_inst_t module_inst, uint64_t app_str_offset) {
  cinst *ci = (cinst *)module_inst;
  return weft_memory_str(mem0(ci), app_str_offset) ? true : oob(ci);
}

bool wasm_runtime_validate_native_addr(wasm_module_inst_t module_inst, void *native_ptr,
                                       uint64_t size) {
  cinst *ci = (cinst *)module_inst;
  weft_memory *m = mem0(ci);
  if (!m) return oob(ci);
  uintptr_t base = (uintptr_t)weft_memory_data(m), p = (uintptr_t)native_ptr;
  if (p < base) return oob(ci);
  return weft_memory_range(m, p - base, size) ? true : oob(ci);
}

void *wasm_runtime_addr_app_to_native(wasm_module_inst_t module_inst, uint64_t app_offset) {
  return weft_memory_range(mem0((cinst *)module_inst), app_offset, 0);
}

uint64_t wasm_runtime_addr_native_to_app(wasm_module_inst_t module_inst, void *native_ptr) {
  weft_memory *m = mem0((cinst *)module_inst);
  if (!m) return 0;
  uintptr_t base = (uintptr_t)weft_memory_data(m), p = (uintptr_t)native_ptr;
  if (p < base || p - base > weft_memory_size(m)) return 0;
  return p - base;
}
