/* cluster.c — the thread manager of one program (see thread.h and cluster.h): creation at
 * instantiation with the aux stack cut into slices, the record table, the main thread's
 * registration, program termination (first event wins) and teardown. */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../runtime/runtime.h"
#include "cluster.h"

/* Smallest slice worth running C code on (a few frames of a small program). */
#define WCLUSTER_MIN_SLICE 256u

/* True when the module imports any function env.pthread_*. */
static bool imports_pthread(const wmodule *m) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wimport *im = &m->imports[i];
    if (im->kind == WEXT_FUNC && im->module_len == 3 && memcmp(im->module, "env", 3) == 0 &&
        im->name_len > 8 && memcmp(im->name, "pthread_", 8) == 0)
      return true;
  }
  return false;
}

wstatus wcluster_attach(winstance *inst, werr *err) {
  const wmodule *m = inst->module;
  if (inst->thread_parent || inst->cluster || !imports_pthread(m)) return W_OK;
  wcluster_priv *c = calloc(1, sizeof *c);
  uint32_t n = inst->rt->cfg.max_threads;
  uint8_t *used = calloc(n ? n : 1, 1);
  if (!c || !used) {
    free(c);
    free(used);
    return werr_set(err, WERR_RESOURCE, "out of memory creating the thread cluster");
  }
  c->pub.main = inst;
  c->pub.max_threads = n;
  wplat_mutex_init(&c->pub.keys_lock);
  wplat_mutex_init(&c->lock);
  wplat_cond_init(&c->finished);
  c->slice_used = used;
  c->next_id = 1;
  atomic_init(&c->live_word, 0);
  const wauxstack *a = &m->aux_stack;
  if (a->found && a->bounded) {
    uint32_t size = ((a->hi - a->lo) / (n + 1)) & ~15u;
    if (size >= WCLUSTER_MIN_SLICE) {
      c->bounded = true;
      c->slice_lo = a->lo;
      c->slice_size = size;
      /* The main thread already runs from hi downwards: it keeps the top slice. */
      inst->aux_lo = a->hi - size;
      inst->aux_span = size;
    }
  }
  inst->cluster = &c->pub;
  return W_OK;
}

weft_status wcluster_init_main_tls(winstance *inst, wexec *exec, weft_error *err) {
  wcluster_priv *c = inst->cluster && !inst->thread_parent ? wcl(inst->cluster) : NULL;
  uint32_t tls = 0, sp = 0;
  if (!c || !c->bounded) return WEFT_OK;
  wglobal *g = inst->globals[inst->module->aux_stack.global];
  if (!wthread_tls_layout(inst, g->val.i32, c->slice_size, &tls, &sp)) return WEFT_OK;
  wexec *x = exec ? exec : weft_exec_new(inst->rt);
  if (!x) {
    wrt_error_set(err, WEFT_ERR_RESOURCE, "out of memory");
    return WEFT_FAIL;
  }
  g->val.i32 = sp;
  weft_slot a = {.i64 = tls};
  weft_status st = weft_call(x, weft_instance_func(inst, "__wasm_init_tls"), &a, 1, NULL, 0, err);
  if (!exec) weft_exec_delete(x);
  return st;
}

bool wcluster_add_locked(wcluster_priv *c, wthread_priv *t) {
  if (c->nthreads == c->cap) {
    uint32_t cap = c->cap ? c->cap * 2 : 8;
    wthread_priv **p = realloc(c->threads, cap * sizeof *p);
    if (!p) return false;
    c->threads = p;
    c->cap = cap;
  }
  c->threads[c->nthreads++] = t;
  return true;
}

void wcluster_remove_locked(wcluster_priv *c, wthread_priv *t) {
  for (uint32_t i = 0; i < c->nthreads; i++) {
    if (c->threads[i] == t) {
      c->threads[i] = c->threads[--c->nthreads];
      return;
    }
  }
}

wthread_priv *wcluster_find_locked(wcluster_priv *c, uint32_t id) {
  for (uint32_t i = 0; i < c->nthreads; i++)
    if (c->threads[i]->pub.id == id) return c->threads[i];
  return NULL;
}

bool wcluster_closing_locked(const wcluster_priv *c) { return c->end != WEND_NONE || c->stopping; }

/* True for a thread whose exec may be running wasm (and so can be asked to stop). */
static bool stoppable(const wthread_priv *t) {
  return t->state == WT_HOST || t->state == WT_STARTING || t->state == WT_RUNNING ||
         t->state == WT_FINISHING;
}

void wcluster_end(wcluster_priv *c, wthread_priv *self, wend_kind kind, int32_t code, wtrap trap,
                  const char *msg, const char *bt) {
  wplat_mutex_lock(&c->lock);
  if (c->end == WEND_NONE) {
    c->end = kind;
    c->end_code = code;
    c->end_trap = kind == WEND_EXIT ? WEFT_TRAP_EXIT : trap;
    snprintf(c->end_msg, sizeof c->end_msg, "%s", msg ? msg : weft_trap_message(c->end_trap));
    snprintf(c->end_bt, sizeof c->end_bt, "%s", bt ? bt : "");
    for (uint32_t i = 0; i < c->nthreads; i++) {
      wthread_priv *t = c->threads[i];
      if (t == self || !stoppable(t) || !t->pub.exec) continue;
      if (t->state != WT_HOST) t->final = true;
      weft_exec_request_stop(t->pub.exec);
    }
  }
  wplat_mutex_unlock(&c->lock);
}

wthread *wthread_current(wexec *e) {
  winstance *inst = weft_exec_caller_instance(e);
  wcluster *cl = inst ? inst->cluster : NULL;
  if (!cl) {
    wexec_set_trap(e, WEFT_TRAP_HOST, "pthread: the calling instance has no thread cluster "
                   "(its module does not import env.pthread_* functions)");
    return NULL;
  }
  if (e->thread) {
    if (e->thread->cluster == cl) return e->thread;
    wexec_set_trap(e, WEFT_TRAP_HOST, "pthread: this exec is already a thread of another "
                   "program's instance; use one exec per program");
    return NULL;
  }
  /* An embedder thread (normally the main thread) making its first pthread call. */
  wcluster_priv *c = wcl(cl);
  wthread_priv *t = calloc(1, sizeof *t);
  if (!t) {
    wexec_set_trap(e, WEFT_TRAP_HOST, "pthread: out of memory registering the thread");
    return NULL;
  }
  t->pub.cluster = cl;
  t->pub.exec = e;
  t->pub.inst = cl->main;
  t->state = WT_HOST;
  t->slice = -1;
  wplat_mutex_lock(&c->lock);
  t->pub.id = c->next_id++;
  bool ok = wcluster_add_locked(c, t);
  wplat_mutex_unlock(&c->lock);
  if (!ok) {
    free(t);
    wexec_set_trap(e, WEFT_TRAP_HOST, "pthread: out of memory registering the thread");
    return NULL;
  }
  e->thread = &t->pub;
  return &t->pub;
}

void wthread_exec_deleted(wexec *e) {
  wthread_priv *t = wth(e->thread);
  e->thread = NULL;
  if (!t || t->state != WT_HOST) return;
  wcluster_priv *c = wcl(t->pub.cluster);
  wplat_mutex_lock(&c->lock);
  wcluster_remove_locked(c, t);
  wplat_mutex_unlock(&c->lock);
  t->pub.exec = NULL;
  wthread_free_host(t);
}

bool wthread_keep_stopped(const wexec *e) {
  wthread_priv *t = wth(e->thread);
  if (!t) return false;
  wcluster_priv *c = wcl(t->pub.cluster);
  wplat_mutex_lock(&c->lock);
  bool keep = t->final;
  wplat_mutex_unlock(&c->lock);
  return keep;
}

void wthread_call_end(wexec *e, wtrap *tp, weft_error *err) {
  wthread_priv *t = wth(e->thread);
  if (!t || t->state != WT_HOST) return;
  wcluster_priv *c = wcl(t->pub.cluster);
  wplat_mutex_lock(&c->lock);
  wend_kind end = c->end;
  if (end != WEND_NONE && (*tp == WEFT_TRAP_TERMINATED || *tp == WEFT_TRAP_NONE)) {
    /* (A call that returned normally after the end: the stop request was meant for it.) */
    wexec_clear_stop(e);
    /* Stopped because the program ended elsewhere: report that event, not "terminated". */
    *tp = c->end_trap;
    if (end == WEND_EXIT) e->exit_code = c->end_code;
    if (err) {
      err->kind = WEFT_ERR_TRAP;
      err->trap = c->end_trap;
      snprintf(err->message, sizeof err->message, "%s", c->end_msg);
      snprintf(err->backtrace, sizeof err->backtrace, "%s", c->end_bt);
    }
  }
  wplat_mutex_unlock(&c->lock);
  /* A stop request from the embedder is no program end, and a thread exit never gets here
   * from main (its pthread_exit returns EXIT). */
  if (end != WEND_NONE || *tp == WEFT_TRAP_NONE || *tp == WEFT_TRAP_TERMINATED ||
      *tp == WEFT_TRAP_THREAD_EXIT)
    return;
  /* The main thread's own exit or trap ends the program: stop the others. */
  if (*tp == WEFT_TRAP_EXIT)
    wcluster_end(c, t, WEND_EXIT, e->exit_code, WEFT_TRAP_EXIT, NULL, NULL);
  else
    wcluster_end(c, t, WEND_TRAP, 0, *tp, err ? err->message : NULL, err ? err->backtrace : NULL);
}

void weft_instance_terminate_threads(weft_instance *inst) {
  if (!inst || !inst->cluster || inst->thread_parent) return;
  wcluster_priv *c = wcl(inst->cluster);
  wplat_mutex_lock(&c->lock);
  c->stopping++;
  for (uint32_t i = 0; i < c->nthreads; i++) {
    wthread_priv *t = c->threads[i];
    if (t->state == WT_HOST || !stoppable(t)) continue;
    t->final = true;
    weft_exec_request_stop(t->pub.exec);
  }
  /* Wait for every created thread to finish and for joins in progress to complete (a
   * joiner reaps its target itself). */
  for (;;) {
    bool joining = false;
    for (uint32_t i = 0; i < c->nthreads; i++) joining |= c->threads[i]->joining;
    if (!c->nlive && !joining) break;
    wplat_cond_wait(&c->finished, &c->lock);
  }
  /* Every created thread is DONE or ZOMBIE now: take them out and reap them. */
  uint32_t n = 0;
  wthread_priv **dead = malloc((c->nthreads + 1) * sizeof *dead);
  for (uint32_t i = 0; dead && i < c->nthreads;) {
    wthread_priv *t = c->threads[i];
    if (t->state == WT_DONE || t->state == WT_ZOMBIE) {
      dead[n++] = t;
      c->threads[i] = c->threads[--c->nthreads];
    } else {
      i++;
    }
  }
  c->stopping--;
  wplat_mutex_unlock(&c->lock);
  for (uint32_t i = 0; i < n; i++) wthread_reap(dead[i]);
  free(dead);
}

void wcluster_detach(winstance *inst) {
  if (!inst || !inst->cluster || inst->thread_parent) return;
  weft_instance_terminate_threads(inst);
  wcluster_priv *c = wcl(inst->cluster);
  /* Only embedder (HOST) records are left; their execs outlive the cluster. */
  wplat_mutex_lock(&c->lock);
  c->end = c->end == WEND_NONE ? WEND_EXIT : c->end;   /* closed for good */
  while (c->nthreads) {
    wthread_priv *t = c->threads[--c->nthreads];
    wplat_mutex_unlock(&c->lock);
    if (t->pub.exec) t->pub.exec->thread = NULL;
    t->pub.exec = NULL;
    wthread_free_host(t);
    wplat_mutex_lock(&c->lock);
  }
  wplat_mutex_unlock(&c->lock);
  wkeys_cluster_free(&c->pub);
  inst->cluster = NULL;
  wplat_cond_destroy(&c->finished);
  wplat_mutex_destroy(&c->lock);
  wplat_mutex_destroy(&c->pub.keys_lock);
  free(c->threads);
  free(c->slice_used);
  free(c);
}
