/* pthread_threads.c — the env.pthread_* thread functions (create, join, detach, cancel,
 * self, exit) and weft_pthread_register, which registers the whole pthread library. Guest
 * pointers are checked against the caller's memory 0; a bad one traps. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <stdio.h>
#include <string.h>
#include "../runtime/runtime.h"
#include "thread_run.h"

/* Host pointer to [off, off+len) of the caller's memory 0, or NULL after setting a trap. */
static uint8_t *guest_ptr(wexec *e, wthread *t, uint32_t off, uint32_t len, const char *fn) {
  uint8_t *p = weft_memory_range(weft_instance_default_memory(t->inst), off, len);
  if (!p) {
    char msg[128];
    snprintf(msg, sizeof msg, "out of bounds memory access: %s: pointer 0x%x", fn, off);
    wexec_set_trap(e, WEFT_TRAP_HOST, msg);
  }
  return p;
}

/* pthread_create(pthread_t *thread, const pthread_attr_t *attr, start, arg) -> int. */
static weft_trap h_create(weft_exec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *t = wthread_current(e);
  if (!t) return WEFT_TRAP_HOST;
  uint8_t *dst = guest_ptr(e, t, s[0].i32, 4, "pthread_create");
  if (!dst) return WEFT_TRAP_HOST;
  char why[400];
  int rc = wthread_create(t, s[2].i32, s[3].i32, dst, why, sizeof why);
  if (rc < 0) {
    char msg[512];
    snprintf(msg, sizeof msg, "pthread_create: start routine %u is not an (i32) -> i32 "
             "function: %s", s[2].i32, why);
    wexec_set_trap(e, WEFT_TRAP_HOST, msg);
    return WEFT_TRAP_HOST;
  }
  s[0].i64 = (uint32_t)rc;
  return WEFT_TRAP_NONE;
}

/* pthread_join(pthread_t, void **retval) -> int. */
static weft_trap h_join(weft_exec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *t = wthread_current(e);
  if (!t) return WEFT_TRAP_HOST;
  uint32_t id = s[0].i32, at = s[1].i32;
  uint8_t *dst = NULL;
  if (at && !(dst = guest_ptr(e, t, at, 4, "pthread_join"))) return WEFT_TRAP_HOST;
  uint32_t rv = 0;
  wtrap tr = WEFT_TRAP_NONE;
  int rc = wthread_join(t, id, &rv, &tr);
  if (rc < 0) return tr;
  if (rc == 0 && dst) memcpy(dst, &rv, 4);
  s[0].i64 = (uint32_t)rc;
  return WEFT_TRAP_NONE;
}

/* pthread_detach(pthread_t) -> int. */
static weft_trap h_detach(weft_exec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *t = wthread_current(e);
  if (!t) return WEFT_TRAP_HOST;
  s[0].i64 = (uint32_t)wthread_detach(t, s[0].i32);
  return WEFT_TRAP_NONE;
}

/* pthread_cancel(pthread_t) -> int. */
static weft_trap h_cancel(weft_exec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *t = wthread_current(e);
  if (!t) return WEFT_TRAP_HOST;
  s[0].i64 = (uint32_t)wthread_cancel(t, s[0].i32);
  return WEFT_TRAP_NONE;
}

/* pthread_self() -> pthread_t (also __pthread_self). */
static weft_trap h_self(weft_exec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *t = wthread_current(e);
  if (!t) return WEFT_TRAP_HOST;
  s[0].i64 = t->id;
  return WEFT_TRAP_NONE;
}

/* pthread_exit(void *value): unwinds the calling thread (never returns to wasm). */
static weft_trap h_exit(weft_exec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *t = wthread_current(e);
  if (!t) return WEFT_TRAP_HOST;
  return wthread_exit(t, s[0].i32);
}

static const struct {
  const char *name;
  weft_host_fn fn;
  uint32_t nparams, nresults;
} k_funcs[] = {
  {"pthread_create", h_create, 4, 1},
  {"pthread_join", h_join, 2, 1},
  {"pthread_detach", h_detach, 1, 1},
  {"pthread_cancel", h_cancel, 1, 1},
  {"pthread_self", h_self, 0, 1},
  {"__pthread_self", h_self, 0, 1},
  {"pthread_exit", h_exit, 1, 0},
};

wstatus wpthread_threads_register(struct weft_runtime *rt, werr *err) {
  static const weft_valtype i32s[4] = {WEFT_I32, WEFT_I32, WEFT_I32, WEFT_I32};
  for (size_t i = 0; i < sizeof k_funcs / sizeof k_funcs[0]; i++) {
    weft_error e;
    if (weft_register_func(rt, "env", k_funcs[i].name, i32s, k_funcs[i].nparams, i32s,
                           k_funcs[i].nresults, k_funcs[i].fn, NULL, &e) != WEFT_OK)
      return werr_set(err, WERR_RESOURCE, "registering env.%s: %s", k_funcs[i].name,
                      e.message);
  }
  return W_OK;
}

weft_status weft_pthread_register(weft_runtime *rt, weft_error *err) {
  werr e;
  werr_clear(&e);
  if (!rt) {
    wrt_error_set(err, WEFT_ERR_ARG, "weft_pthread_register needs a runtime");
    return WEFT_FAIL;
  }
  if (wpthread_threads_register(rt, &e) != W_OK || wpthread_sync_register(rt, &e) != W_OK ||
      wpthread_keys_register(rt, &e) != W_OK) {
    wrt_error_from(err, &e);
    return WEFT_FAIL;
  }
  return WEFT_OK;
}
