/* wasi_register.c — weft_wasi_register: every row of wasi.def under module
 * "wasi_snapshot_preview1", each through one trampoline that finds the program's context
 * and the caller's memory, runs the handler and stores its errno. */
#include <stdio.h>
#include <string.h>
#include "wasi.h"
#include "../runtime/runtime.h"

typedef struct {
  const char *name, *params, *results;
  wasi_handler fn;
} wasi_entry;

static const wasi_entry entries[] = {
#define WASI_CORE(name, params, results) {#name, params, results, wasih_##name},
#if WASI_HAVE_PATH
#define WASI_PATH(name, params, results) {#name, params, results, wasih_##name},
#else
#define WASI_PATH(name, params, results)
#endif
#include "wasi.def"
#undef WASI_CORE
#undef WASI_PATH
};

/* The host function behind every WASI import. */
static weft_trap trampoline(weft_exec *exec, void *att, weft_slot *slots) {
  const wasi_entry *en = att;
  wasi_call c = {.exec = exec, .inst = weft_exec_caller_instance(exec)};
  c.ctx = wasi_ctx_of(c.inst);
  if (!c.ctx) {
    weft_exec_set_trap_message(exec, "wasi: out of memory creating the WASI context");
    return WEFT_TRAP_HOST;
  }
  c.mem = c.inst ? weft_instance_default_memory(c.inst) : NULL;
  uint16_t r = en->fn(&c, slots);
  if (c.trap != WEFT_TRAP_NONE) return c.trap;
  if (en->results[0]) slots[0].i64 = r;
  return WEFT_TRAP_NONE;
}

/* Fills value types from a signature string (i, I); false on another letter. */
static bool sig_types(const char *sig, weft_valtype *out, uint32_t *n) {
  *n = 0;
  for (const char *p = sig; *p; p++) {
    if (*p == 'i') out[(*n)++] = WEFT_I32;
    else if (*p == 'I') out[(*n)++] = WEFT_I64;
    else return false;
  }
  return true;
}

weft_status weft_wasi_register(weft_runtime *rt, weft_error *err) {
  for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
    weft_valtype p[12], r[1];
    uint32_t np, nr;
    if (!sig_types(entries[i].params, p, &np) || !sig_types(entries[i].results, r, &nr)) {
      wrt_error_set(err, WEFT_ERR_ARG, "wasi: bad signature for %s", entries[i].name);
      return WEFT_FAIL;
    }
    if (weft_register_func(rt, "wasi_snapshot_preview1", entries[i].name, p, np, r, nr,
                           trampoline, (void *)&entries[i], err) != WEFT_OK)
      return WEFT_FAIL;
  }
  return WEFT_OK;
}
