/* natives.c — natives by signature string (WAMR's NativeSymbol): parses the signature into a
 * wasm function type, registers one host function per native whose trampoline checks every
 * guest pointer against the calling instance's memory 0 before the native runs, converts
 * pointers, then calls the native directly (native_call.c) or raw (slot array).
 *
 * Letters: i i32 (int32_t), I i64 (int64_t), f f32 (float), F f64 (double), r externref
 * (uintptr_t), * pointer (void *), ~ byte length of the preceding * (uint32_t), $ string
 * (const char *). *, ~ and $ are i32 in wasm. A * followed by ~ must have [p, p+len) inside
 * memory; a lone * must have at least 1 byte (as WAMR); a $ must have its NUL inside.
 * Guest offset 0 is an ordinary address (it becomes the memory's base, never NULL). */
#include "natives.h"
#include <stdlib.h>
#include <string.h>
#include "exec.h"
#include "native_call.h"
#include "runtime.h"

struct wnative {
  struct wnative *next;          /* the runtime's list, freed with it */
  void *fn;
  void *attachment;
  bool raw;
  char result;                   /* 0 (none) or one of i I f F r */
  uint32_t nparams;
  char params[];                 /* nparams letters */
};

/* The native running on this thread (innermost): for weft_exec_native_attachment and for
 * natives that end with a trap (wnative_raise). */
typedef struct {
  weft_exec *exec;
  const struct wnative *n;
  weft_trap pending;
} wnative_call;
static _Thread_local wnative_call t_cur;

static bool is_int_class(char c) { return c != 'f' && c != 'F'; }

static weft_valtype letter_type(char c) {
  switch (c) {
  case 'I': return WEFT_I64;
  case 'f': return WEFT_F32;
  case 'F': return WEFT_F64;
  case 'r': return WEFT_EXTERNREF;
  default: return WEFT_I32;   /* i * ~ $ */
  }
}

/* The guest memory pointer arguments refer to: memory 0 of the calling wasm instance. */
static weft_memory *caller_memory(weft_exec *exec) {
  weft_instance *inst = weft_exec_caller_instance(exec);
  return inst ? weft_instance_default_memory(inst) : NULL;
}

/* Checks and converts the pointer arguments; fills the direct call's argument arrays
 * (direct natives) or rewrites pointer slots in place (raw natives). */
static weft_trap prepare(weft_exec *exec, const struct wnative *n, weft_slot *slots,
                         uint64_t *ints, uint32_t *nint, uint64_t *fps, uint32_t *nfp) {
  weft_memory *mem = NULL;
  bool have_mem = false;
  for (uint32_t i = 0; i < n->nparams; i++) {
    char c = n->params[i];
    uint64_t v;
    switch (c) {
    case 'i': v = (uint64_t)(int64_t)(int32_t)slots[i].i32; break;
    case '~': v = slots[i].i32; break;
    case 'I': v = slots[i].i64; break;
    case 'r': v = slots[i].ref; break;
    case 'f': v = slots[i].i32; break;   /* the float's bits */
    case 'F': v = slots[i].i64; break;
    default: {                           /* '*' or '$' */
      if (!have_mem) {
        mem = caller_memory(exec);
        have_mem = true;
      }
      uint32_t off = slots[i].i32;
      void *p;
      if (c == '*') {
        uint64_t len = i + 1 < n->nparams && n->params[i + 1] == '~' ? slots[i + 1].i32 : 1;
        p = weft_memory_range(mem, off, len);
      } else {
        p = (void *)weft_memory_str(mem, off);
      }
      if (!p) return WEFT_TRAP_OOB_MEMORY;
      v = (uint64_t)(uintptr_t)p;
      if (n->raw) {
        slots[i].i64 = 0;
        slots[i].ref = (uintptr_t)p;
      }
    }
    }
    if (n->raw) continue;
    if (is_int_class(c)) ints[(*nint)++] = v;
    else fps[(*nfp)++] = v;
  }
  return WEFT_TRAP_NONE;
}

/* The host function behind every native: check, convert, call, store the result. */
static weft_trap native_trampoline(weft_exec *exec, void *attachment, weft_slot *slots) {
  const struct wnative *n = attachment;
  uint64_t ints[32], fps[16];
  uint32_t nint = 0, nfp = 0;
  weft_trap t = prepare(exec, n, slots, ints, &nint, fps, &nfp);
  if (t != WEFT_TRAP_NONE) return t;
  wnative_call saved = t_cur;
  t_cur = (wnative_call){exec, n, WEFT_TRAP_NONE};
  exec->trap_msg[0] = 0;
  if (n->raw) {
    ((void (*)(weft_exec *, uint64_t *))n->fn)(exec, (uint64_t *)slots);
    /* the native wrote the result's own width into slot 0: clear the rest */
    if (n->result == 'i' || n->result == 'f') slots[0].i64 = slots[0].i32;
  } else {
    uint64_t r = wncall(n->fn, exec, ints, nint, fps, nfp, n->result == 'f' || n->result == 'F');
    switch (n->result) {
    case 'i':
    case 'f': slots[0].i64 = (uint32_t)r; break;
    case 'I':
    case 'F': slots[0].i64 = r; break;
    case 'r': slots[0].i64 = 0; slots[0].ref = (uintptr_t)r; break;
    default: break;
    }
  }
  t = t_cur.pending;
  t_cur = saved;
  return t;
}

weft_exec *wnative_running(void) { return t_cur.n ? t_cur.exec : NULL; }

void wnative_raise(weft_trap t, const char *msg) {
  if (!t_cur.n) return;
  t_cur.pending = t;
  if (msg) weft_exec_set_trap_message(t_cur.exec, msg);
}

void *weft_exec_native_attachment(weft_exec *exec) {
  return t_cur.exec == exec && t_cur.n ? t_cur.n->attachment : NULL;
}

/* Parses "(params)result" into letters; NULL message on success. */
static const char *parse_signature(const char *sig, char *params, uint32_t *nparams,
                                   char *result) {
  if (sig[0] != '(') return "it must start with '('";
  const char *p = sig + 1;
  uint32_t n = 0;
  for (; *p && *p != ')'; p++) {
    if (!strchr("iIfFr*~$", *p)) return "unknown parameter letter (use i I f F r * ~ $)";
    if (*p == '~' && (n == 0 || params[n - 1] != '*')) return "'~' must follow '*'";
    if (n == 1000) return "more than 1000 parameters";
    params[n++] = *p;
  }
  if (*p != ')') return "missing ')'";
  p++;
  *result = 0;
  if (*p) {
    if (!strchr("iIfFr", *p)) return "the result must be one of i I f F r, or nothing";
    *result = *p++;
  }
  if (*p) return "at most one result letter after ')'";
  *nparams = n;
  return NULL;
}

/* Checks one symbol: names, signature syntax, and for direct natives the ABI's limits. */
static weft_status check_symbol(const char *module, uint32_t idx, const weft_native_symbol *s,
                                bool raw, weft_error *err) {
  if (!s->symbol || !s->func_ptr) {
    wrt_error_set(err, WEFT_ERR_ARG, "native %u of module \"%s\" has no symbol or function",
                  idx, module);
    return WEFT_FAIL;
  }
  if (!s->signature) {
    wrt_error_set(err, WEFT_ERR_ARG, "native \"%s\": a signature string is required (weft "
                  "derives the wasm type from it)", s->symbol);
    return WEFT_FAIL;
  }
  char params[1001], result;
  uint32_t np = 0, nint = 0, nfp = 0;
  const char *why = strlen(s->signature) > 1003
                        ? "more than 1000 parameters"
                        : parse_signature(s->signature, params, &np, &result);
  if (why) {
    wrt_error_set(err, WEFT_ERR_ARG, "native \"%s\": bad signature \"%s\": %s", s->symbol,
                  s->signature, why);
    return WEFT_FAIL;
  }
  for (uint32_t i = 0; i < np; i++) {
    if (is_int_class(params[i])) nint++;
    else nfp++;
  }
  if (raw || (nint <= wncall_max_int() && nfp <= wncall_max_fp())) return WEFT_OK;
  if (!wncall_max_int())
    wrt_error_set(err, WEFT_ERR_ARG, "native \"%s\": direct native calls are not supported "
                  "on this ABI; register it raw", s->symbol);
  else
    wrt_error_set(err, WEFT_ERR_ARG, "native \"%s\": signature \"%s\" has %u integer/pointer "
                  "and %u float parameters; a direct call on this ABI takes at most %u and %u "
                  "(register it raw)", s->symbol, s->signature, nint, nfp, wncall_max_int(),
                  wncall_max_fp());
  return WEFT_FAIL;
}

/* Registers one native that passed check_symbol. */
static weft_status register_one(weft_runtime *rt, const char *module,
                                const weft_native_symbol *s, bool raw, weft_error *err) {
  struct wnative *n = calloc(1, sizeof *n + strlen(s->signature) + 1);
  if (!n) {
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return WEFT_FAIL;
  }
  (void)parse_signature(s->signature, n->params, &n->nparams, &n->result);
  n->fn = s->func_ptr;
  n->attachment = s->attachment;
  n->raw = raw;
  weft_valtype params[1000], result = letter_type(n->result);
  for (uint32_t i = 0; i < n->nparams; i++) params[i] = letter_type(n->params[i]);
  if (weft_register_func(rt, module, s->symbol, params, n->nparams, &result,
                         n->result ? 1 : 0, native_trampoline, n, err) != WEFT_OK) {
    free(n);
    return WEFT_FAIL;
  }
  wplat_mutex_lock(&rt->lock);
  n->next = rt->natives;
  rt->natives = n;
  wplat_mutex_unlock(&rt->lock);
  return WEFT_OK;
}

weft_status weft_register_natives(weft_runtime *rt, const char *module,
                                  const weft_native_symbol *syms, uint32_t n, bool raw,
                                  weft_error *err) {
  if (!rt || !module || (n && !syms)) {
    wrt_error_set(err, WEFT_ERR_ARG, "bad arguments to weft_register_natives");
    return WEFT_FAIL;
  }
  /* Check everything first so a bad entry registers nothing. */
  for (uint32_t i = 0; i < n; i++)
    if (check_symbol(module, i, &syms[i], raw, err) != WEFT_OK) return WEFT_FAIL;
  for (uint32_t i = 0; i < n; i++)
    if (register_one(rt, module, &syms[i], raw, err) != WEFT_OK) return WEFT_FAIL;
  return WEFT_OK;
}

void wnatives_free(struct weft_runtime *rt) {
  for (struct wnative *n = rt->natives, *next; n; n = next) {
    next = n->next;
    free(n);
  }
  rt->natives = NULL;
}
