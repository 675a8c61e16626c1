/* wasm_wasi.c — WAMR's WASI entry points on weft's WASI (src/wasi): the arguments set on a
 * module with wasm_runtime_set_wasi_args are kept per module (a locked list) and given to
 * every instance of it that imports wasi_snapshot_preview1 at wasm_runtime_instantiate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"

/* The WASI arguments of one module (strings owned). */
typedef struct cwasi {
  const weft_module *module;
  char **dirs, **map_guest, **map_host, **env, **argv;
  uint32_t ndirs, nmaps, nenv, argc;
  struct cwasi *next;
} cwasi;

static cwasi *g_list;
static wplat_mutex g_lock;
static wplat_once g_once = PTHREAD_ONCE_INIT;
static void init_lock(void) { wplat_mutex_init(&g_lock); }

/* Copies n strings (NULL → ""); NULL when out of memory. */
static char **dup_strs(const char *const *s, uint32_t n) {
  char **out = calloc(n + 1, sizeof *out);
  for (uint32_t i = 0; out && i < n; i++) {
    if (!(out[i] = strdup(s && s[i] ? s[i] : ""))) {
      while (i--) free(out[i]);
      free(out);
      return NULL;
    }
  }
  return out;
}

static void free_strs(char **s, uint32_t n) {
  for (uint32_t i = 0; s && i < n; i++) free(s[i]);
  free(s);
}

static void cwasi_free(cwasi *w) {
  if (!w) return;
  free_strs(w->dirs, w->ndirs);
  free_strs(w->map_guest, w->nmaps);
  free_strs(w->map_host, w->nmaps);
  free_strs(w->env, w->nenv);
  free_strs(w->argv, w->argc);
  free(w);
}

/* Removes module's entry from the list and returns it (lock held). */
static cwasi *unlink_locked(const weft_module *module) {
  for (cwasi **p = &g_list; *p; p = &(*p)->next) {
    if ((*p)->module == module) {
      cwasi *w = *p;
      *p = w->next;
      return w;
    }
  }
  return NULL;
}

void wasm_runtime_set_wasi_args(wasm_module_t module, const char *dir_list[],
                                uint32_t dir_count, const char *map_dir_list[],
                                uint32_t map_dir_count, const char *env[], uint32_t env_count,
                                char *argv[], int argc) {
  if (!module) return;
  wplat_call_once(&g_once, init_lock);
  cwasi *w = calloc(1, sizeof *w);
  if (!w) return;
  w->module = (const weft_module *)module;
  w->ndirs = dir_count;
  w->nmaps = map_dir_count;
  w->nenv = env_count;
  w->argc = argc > 0 ? (uint32_t)argc : 0;
  w->dirs = dup_strs(dir_list, dir_count);
  w->env = dup_strs(env, env_count);
  w->argv = dup_strs((const char *const *)argv, w->argc);
  w->map_guest = dup_strs(map_dir_list, map_dir_count);
  w->map_host = dup_strs(map_dir_list, map_dir_count);
  if (!w->dirs || !w->env || !w->argv || !w->map_guest || !w->map_host) {
    cwasi_free(w);
    compat_log(WASM_LOG_LEVEL_ERROR, "wasm_runtime_set_wasi_args: out of memory");
    return;
  }
  /* map_dir entries are "GUEST::HOST": split each copy */
  for (uint32_t i = 0; i < map_dir_count; i++) {
    char *sep = strstr(w->map_guest[i], "::");
    if (!sep) continue;   /* no "::": guest name = host path */
    *sep = 0;
    memmove(w->map_host[i], w->map_host[i] + (sep - w->map_guest[i]) + 2,
            strlen(w->map_host[i] + (sep - w->map_guest[i]) + 2) + 1);
  }
  wplat_mutex_lock(&g_lock);
  cwasi *old = unlink_locked(w->module);
  w->next = g_list;
  g_list = w;
  wplat_mutex_unlock(&g_lock);
  cwasi_free(old);
}

bool compat_wasi_attach(cinst *ci, char *why, size_t whylen) {
  if (!weft_module_is_wasi(ci->module)) return true;
  wplat_call_once(&g_once, init_lock);
  wplat_mutex_lock(&g_lock);
  cwasi *w = g_list;
  while (w && w->module != ci->module) w = w->next;
  weft_wasi_options o = {0};
  const char **hosts = NULL, **guests = NULL;
  if (w) {
    uint32_t n = w->ndirs + w->nmaps;
    hosts = calloc(n + 1, sizeof *hosts);
    guests = calloc(n + 1, sizeof *guests);
    if (hosts && guests) {
      for (uint32_t i = 0; i < w->ndirs; i++) hosts[i] = guests[i] = w->dirs[i];
      for (uint32_t i = 0; i < w->nmaps; i++) {
        hosts[w->ndirs + i] = w->map_host[i];
        guests[w->ndirs + i] = w->map_guest[i];
      }
      o = (weft_wasi_options){.argc = w->argc, .argv = (const char *const *)w->argv,
                              .nenv = w->nenv, .env = (const char *const *)w->env,
                              .npreopens = n, .preopen_host = hosts, .preopen_guest = guests};
    }
  }
  weft_error err;
  bool allocated = !w || (hosts && guests);   /* err is filled only if attach was called */
  bool ok = allocated && weft_wasi_attach(ci->inst, &o, &err) == WEFT_OK;
  wplat_mutex_unlock(&g_lock);
  if (!ok) snprintf(why, whylen, "%s", allocated ? err.message : "out of memory");
  free(hosts);
  free(guests);
  return ok;
}

void compat_wasi_forget(const weft_module *module) {
  wplat_call_once(&g_once, init_lock);
  wplat_mutex_lock(&g_lock);
  cwasi *w = unlink_locked(module);
  wplat_mutex_unlock(&g_lock);
  cwasi_free(w);
}

bool wasm_runtime_is_wasi_mode(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  return ci && weft_module_is_wasi(ci->module);
}

wasm_function_inst_t wasm_runtime_lookup_wasi_start_function(wasm_module_inst_t module_inst) {
  cinst *ci = (cinst *)module_inst;
  if (!wasm_runtime_is_wasi_mode(module_inst)) return NULL;
  weft_func *f = weft_instance_func(ci->inst, "_start");
  return f && weft_func_param_count(f) == 0 && weft_func_result_count(f) == 0
             ? (wasm_function_inst_t)f : NULL;
}
