/* pthread_keys.c — env.pthread_key_create/delete and env.pthread_setspecific/getspecific:
 * thread-specific data, and the key destructors run when a thread ends.
 *
 * A cluster's key table (wcluster.keys, created on the first key_create) has
 * PTHREAD_KEYS_MAX slots. A live slot holds its key's handle, (generation << 7) | slot with
 * a generation >= 1 (so a handle is never 0), and its destructor's table index. Deleting a
 * key frees the slot; the next key in that slot gets the next generation, so values stored
 * under the old handle never show through the new one. Handles repeat only after 2^25
 * create/delete cycles of one slot.
 *
 * Each thread's values (wthread.keyvals, allocated on its first setspecific) store, per
 * slot, the handle they were set under and the value: get/set touch only that, plus one
 * acquire load of the table pointer and of the slot's handle — no lock on the fast path.
 * Only the owning thread reads or writes its keyvals (the cluster calls wkeys_thread_exit on
 * the ending thread itself).
 */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf (exec.h) under -std=c11 */
#include <stdio.h>
#include <stdlib.h>
#include "../runtime/runtime.h"
#include "pthread_sync_mem.h"

#define KEYS_MAX 128            /* PTHREAD_KEYS_MAX in the sysroot's pthread.h */
#define SLOT_BITS 7
#define GEN_MAX (UINT32_MAX >> SLOT_BITS)
#define DESTRUCTOR_ITERATIONS 4 /* PTHREAD_DESTRUCTOR_ITERATIONS */

_Static_assert(KEYS_MAX == 1u << SLOT_BITS, "a handle's low bits are its slot");

/* The cluster's keys. handle and dtor are written under wcluster.keys_lock; handle is also
 * read without it (atomically) by get/setspecific. */
typedef struct {
  uint32_t handle[KEYS_MAX];    /* live key's handle, 0 = free slot */
  uint32_t dtor[KEYS_MAX];      /* destructor: function-table-0 index, 0 = none */
  uint32_t gen[KEYS_MAX];       /* generation of the slot's latest key */
} wkeytab;

/* One thread's values: val[s] belongs to key handle key[s] (0 = none set). */
typedef struct {
  uint32_t key[KEYS_MAX];
  uint32_t val[KEYS_MAX];
} wkeyvals;

static inline wkeytab *table_of(wcluster *c) {
  return __atomic_load_n((wkeytab **)&c->keys, __ATOMIC_ACQUIRE);
}

/* True if `k` is a live key of tab. */
static inline bool key_live(const wkeytab *tab, uint32_t k) {
  return tab && k && __atomic_load_n(&tab->handle[k & (KEYS_MAX - 1)], __ATOMIC_ACQUIRE) == k;
}

/* The destructor type (i32) -> (): void (*)(void *). */
static const uint8_t k_dtor_params[1] = {WEFT_I32};

/* Checks a destructor index against the calling instance's table 0; on failure sets the
 * trap message on e (naming the cause and the fix) and returns false. */
static bool dtor_ok(wexec *e, winstance *inst, uint32_t idx) {
  char why[200];
  if (wthread_table_func(inst, idx, k_dtor_params, 1, NULL, 0, why, sizeof why)) return true;
  char msg[256];
  snprintf(msg, sizeof msg, "pthread_key_create: destructor %u: %s", idx, why);
  weft_exec_set_trap_message(e, msg);
  return false;
}

/* pthread_key_create(key *, destructor) -> 0 | EAGAIN (PTHREAD_KEYS_MAX keys live) |
 * EINVAL (key misaligned) | ENOMEM; traps for a key outside memory or a bad destructor. */
static wtrap h_key_create(wexec *e, void *att, weft_slot *s) {
  (void)att;
  winstance *inst = wpt_caller(e);
  uint32_t *w = NULL, dtor = s[1].i32;
  switch (wpt_word(inst, s[0].i32, &w)) {
  case WPT_WORD_OK: break;
  case WPT_WORD_MISALIGNED: wpt_ret(s, WPT_EINVAL); return WEFT_TRAP_NONE;
  default: return WEFT_TRAP_OOB_MEMORY;
  }
  wthread *self = wpt_self(e, inst);
  if (!self) return WEFT_TRAP_HOST;
  if (dtor && !dtor_ok(e, inst, dtor)) return WEFT_TRAP_HOST;
  wcluster *c = self->cluster;
  int32_t r = WPT_EAGAIN;
  uint32_t handle = 0;
  wplat_mutex_lock(&c->keys_lock);
  wkeytab *tab = c->keys;
  if (!tab) {
    tab = calloc(1, sizeof *tab);
    if (tab) __atomic_store_n((wkeytab **)&c->keys, tab, __ATOMIC_RELEASE);
    else r = WPT_ENOMEM_;
  }
  for (uint32_t i = 0; tab && i < KEYS_MAX; i++) {
    if (tab->handle[i]) continue;
    tab->gen[i] = tab->gen[i] >= GEN_MAX ? 1 : tab->gen[i] + 1;
    handle = tab->gen[i] << SLOT_BITS | i;
    tab->dtor[i] = dtor;
    __atomic_store_n(&tab->handle[i], handle, __ATOMIC_RELEASE);
    r = 0;
    break;
  }
  wplat_mutex_unlock(&c->keys_lock);
  if (r == 0) __atomic_store_n(w, handle, __ATOMIC_RELAXED);
  wpt_ret(s, r);
  return WEFT_TRAP_NONE;
}

/* pthread_key_delete(key) -> 0 | EINVAL (not a live key). Runs no destructors (POSIX). */
static wtrap h_key_delete(wexec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *self = wpt_self(e, wpt_caller(e));
  if (!self) return WEFT_TRAP_HOST;
  uint32_t k = s[0].i32;
  wcluster *c = self->cluster;
  int32_t r = WPT_EINVAL;
  wplat_mutex_lock(&c->keys_lock);
  wkeytab *tab = c->keys;
  if (key_live(tab, k)) {
    __atomic_store_n(&tab->handle[k & (KEYS_MAX - 1)], 0, __ATOMIC_RELEASE);
    tab->dtor[k & (KEYS_MAX - 1)] = 0;
    r = 0;
  }
  wplat_mutex_unlock(&c->keys_lock);
  wpt_ret(s, r);
  return WEFT_TRAP_NONE;
}

/* pthread_setspecific(key, value) -> 0 | EINVAL (not a live key) | ENOMEM. */
static wtrap h_setspecific(wexec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *self = wpt_self(e, wpt_caller(e));
  if (W_UNLIKELY(!self)) return WEFT_TRAP_HOST;
  uint32_t k = s[0].i32, v = s[1].i32;
  if (W_UNLIKELY(!key_live(table_of(self->cluster), k))) {
    wpt_ret(s, WPT_EINVAL);
    return WEFT_TRAP_NONE;
  }
  wkeyvals *kv = self->keyvals;
  if (W_UNLIKELY(!kv)) {
    kv = calloc(1, sizeof *kv);
    if (!kv) {
      wpt_ret(s, WPT_ENOMEM_);
      return WEFT_TRAP_NONE;
    }
    self->keyvals = kv;
  }
  kv->key[k & (KEYS_MAX - 1)] = k;
  kv->val[k & (KEYS_MAX - 1)] = v;
  wpt_ret(s, 0);
  return WEFT_TRAP_NONE;
}

/* pthread_getspecific(key) -> the calling thread's value, 0 (NULL) if none was set under
 * this key or the key is not live. */
static wtrap h_getspecific(wexec *e, void *att, weft_slot *s) {
  (void)att;
  wthread *self = wpt_self(e, wpt_caller(e));
  if (W_UNLIKELY(!self)) return WEFT_TRAP_HOST;
  uint32_t k = s[0].i32, slot = k & (KEYS_MAX - 1);
  const wkeyvals *kv = self->keyvals;
  uint32_t v = 0;
  if (kv && kv->key[slot] == k && key_live(table_of(self->cluster), k)) v = kv->val[slot];
  wpt_ret(s, (int32_t)v);
  return WEFT_TRAP_NONE;
}

/* Runs one destructor round; sets *ran when any destructor ran. Returns the trap of a
 * destructor that trapped (message on t->exec), else NONE. */
static wtrap destructor_round(wthread *t, wkeytab *tab, bool *ran) {
  for (uint32_t i = 0; i < KEYS_MAX; i++) {
    wkeyvals *kv = t->keyvals;  /* re-read: a destructor may call setspecific */
    uint32_t k = kv->key[i], v = kv->val[i];
    if (!k || !v) continue;
    kv->val[i] = 0;             /* POSIX: set to NULL before the destructor is called */
    wplat_mutex_lock(&t->cluster->keys_lock);
    uint32_t d = key_live(tab, k) ? tab->dtor[i] : 0;
    wplat_mutex_unlock(&t->cluster->keys_lock);
    if (!d) continue;
    char why[200];
    const wfuncinst *f = wthread_table_func(t->inst, d, k_dtor_params, 1, NULL, 0, why,
                                            sizeof why);
    if (!f) {
      char msg[256];
      snprintf(msg, sizeof msg, "key destructor %u: %s", d, why);
      wexec_set_trap(t->exec, WEFT_TRAP_HOST, msg);
      return WEFT_TRAP_HOST;
    }
    weft_slot arg = {.i64 = v};
    weft_error err;
    *ran = true;
    if (weft_call(t->exec, (weft_func *)f, &arg, 1, NULL, 0, &err) != WEFT_OK) {
      wtrap tr = err.kind == WEFT_ERR_TRAP ? err.trap : WEFT_TRAP_HOST;
      wexec_set_trap(t->exec, tr, tr == WEFT_TRAP_HOST ? err.message : NULL);
      return tr;
    }
  }
  return WEFT_TRAP_NONE;
}

wtrap wkeys_thread_exit(wthread *t) {
  if (!t || !t->keyvals) return WEFT_TRAP_NONE;
  wkeytab *tab = table_of(t->cluster);
  wtrap tr = WEFT_TRAP_NONE;
  for (int round = 0; tab && round < DESTRUCTOR_ITERATIONS && tr == WEFT_TRAP_NONE; round++) {
    bool ran = false;
    tr = destructor_round(t, tab, &ran);
    if (!ran) break;
  }
  free(t->keyvals);
  t->keyvals = NULL;
  return tr;
}

void wkeys_cluster_free(wcluster *c) {
  if (!c) return;
  free(c->keys);
  c->keys = NULL;
}

/* One registration row: name, host function, number of i32 parameters (result: i32). */
static const struct {
  const char *name;
  weft_host_fn fn;
  uint32_t nparams;
} k_funcs[] = {
  {"pthread_key_create", h_key_create, 2},
  {"pthread_key_delete", h_key_delete, 1},
  {"pthread_setspecific", h_setspecific, 2},
  {"pthread_getspecific", h_getspecific, 1},
};

wstatus wpthread_keys_register(struct weft_runtime *rt, werr *err) {
  static const weft_valtype i32s[2] = {WEFT_I32, WEFT_I32};
  for (size_t i = 0; i < sizeof k_funcs / sizeof k_funcs[0]; i++) {
    weft_error e;
    if (weft_register_func(rt, "env", k_funcs[i].name, i32s, k_funcs[i].nparams, i32s, 1,
                           k_funcs[i].fn, NULL, &e) != WEFT_OK)
      return werr_set(err, WERR_RESOURCE, "registering env.%s: %s", k_funcs[i].name,
                      e.message);
  }
  return W_OK;
}
