/* exports.c — export lookup and accessors for exported objects (functions' signatures,
 * memory data/size). Globals' accessors are in global.c. */
#include <string.h>
#include "instance.h"

int64_t winst_find_export(const winstance *inst, const char *name, uint32_t name_len,
                          wextkind kind) {
  const wmodule *m = inst->module;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wexport *x = &m->exports[i];
    if (x->kind == kind && x->name_len == name_len && memcmp(x->name, name, name_len) == 0)
      return x->index;
  }
  return -1;
}

static int64_t find(const weft_instance *inst, const char *name, wextkind kind) {
  if (!inst || !name) return -1;
  return winst_find_export(inst, name, (uint32_t)strlen(name), kind);
}

weft_func *weft_instance_func(weft_instance *inst, const char *name) {
  int64_t i = find(inst, name, WEXT_FUNC);
  return i < 0 ? NULL : inst->funcs[i];
}

weft_global *weft_instance_global(weft_instance *inst, const char *name) {
  int64_t i = find(inst, name, WEXT_GLOBAL);
  return i < 0 ? NULL : inst->globals[i];
}

weft_memory *weft_instance_memory(weft_instance *inst, const char *name) {
  int64_t i = find(inst, name, WEXT_MEMORY);
  return i < 0 ? NULL : inst->mems[i];
}

weft_table *weft_instance_table(weft_instance *inst, const char *name) {
  int64_t i = find(inst, name, WEXT_TABLE);
  return i < 0 ? NULL : inst->tables[i];
}

weft_memory *weft_instance_default_memory(weft_instance *inst) {
  return inst && inst->module->nmems ? inst->mems[0] : NULL;
}

uint32_t weft_func_param_count(const weft_func *f) { return f->type->nparams; }
uint32_t weft_func_result_count(const weft_func *f) { return f->type->nresults; }

weft_valtype weft_func_param_type(const weft_func *f, uint32_t i) {
  return i < f->type->nparams ? (weft_valtype)WFT_PARAM(f->type, i) : (weft_valtype)0;
}

weft_valtype weft_func_result_type(const weft_func *f, uint32_t i) {
  return i < f->type->nresults ? (weft_valtype)WFT_RESULT(f->type, i) : (weft_valtype)0;
}

uint8_t *weft_memory_data(weft_memory *mem) { return mem->base; }

uint64_t weft_memory_size(const weft_memory *mem) {
  return atomic_load_explicit(&((weft_memory *)mem)->size, memory_order_acquire);
}

void *weft_memory_range(weft_memory *mem, uint64_t off, uint64_t len) {
  if (!mem) return NULL;
  uint64_t size = atomic_load_explicit(&mem->size, memory_order_acquire);
  if (off > size || len > size - off) return NULL;
  return mem->base + off;
}

const char *weft_memory_str(weft_memory *mem, uint64_t off) {
  if (!mem) return NULL;
  uint64_t size = atomic_load_explicit(&mem->size, memory_order_acquire);
  if (off >= size) return NULL;
  const char *s = (const char *)mem->base + off;
  return memchr(s, 0, size - off) ? s : NULL;
}
