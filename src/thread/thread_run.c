/* thread_run.c — created threads: pthread_create's set-up (slice, thread instance, TLS, OS
 * thread), the OS thread's body, join/detach/cancel/exit, and reaping (cluster.h explains
 * the states). */
#define _POSIX_C_SOURCE 200809L /* sigjmp_buf under -std=c11 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../runtime/instance.h"
#include "../runtime/instance_clone.h"
#include "../runtime/waitq.h"
#include "thread_run.h"

static const uint8_t I32[1] = {WT_I32};

/* The value of the defined or imported i32 global exported as `name`, if any. */
static bool export_i32(winstance *in, const char *name, uint32_t *out) {
  int64_t g = winst_find_export(in, name, (uint32_t)strlen(name), WEXT_GLOBAL);
  if (g < 0 || in->globals[g]->type != WT_I32) return false;
  *out = in->globals[g]->val.i32;
  return true;
}

/* Why no thread can ever be created in c (no slices), or NULL. */
static const char *no_slices_reason(const wcluster_priv *c) {
  if (c->bounded) return NULL;
  const wauxstack *a = &c->pub.main->module->aux_stack;
  if (!a->found || !a->bounded)
    return "cannot find the aux stack bounds: link with -Wl,--export=__heap_base,"
           "--export=__data_end (weft-cc does this)";
  return "the aux stack is too small to cut into max-threads + 1 slices: link with a larger "
         "-z stack-size=N or lower --max-threads";
}

void wthread_reap(wthread_priv *t) {
  wplat_thread_join(t->os);
  if (t->pub.exec) {
    t->pub.exec->thread = NULL;
    weft_exec_delete(t->pub.exec);
  }
  winst_clone_delete(t->pub.inst);
  free(t);
}

void wthread_reap_zombies(wcluster_priv *c) {
  wthread_priv *dead[16];
  uint32_t n;
  do {
    n = 0;
    wplat_mutex_lock(&c->lock);
    for (uint32_t i = 0; i < c->nthreads && n < 16;) {
      if (c->threads[i]->state == WT_ZOMBIE) {
        dead[n++] = c->threads[i];
        c->threads[i] = c->threads[--c->nthreads];
      } else {
        i++;
      }
    }
    wplat_mutex_unlock(&c->lock);
    for (uint32_t i = 0; i < n; i++) wthread_reap(dead[i]);
  } while (n == 16);
}

void wthread_free_host(wthread_priv *t) {
  if (t->pub.keyvals) {
    /* Free the key values without running destructors (POSIX runs none for a thread that
     * does not exit through pthread_exit): a stopped exec makes every destructor stop at
     * once, and `final` keeps it stopped across calls. */
    wexec *x = weft_exec_new(t->pub.inst->rt);
    if (x) {
      t->final = true;
      x->thread = &t->pub;
      t->pub.exec = x;
      weft_exec_request_stop(x);
      (void)wkeys_thread_exit(&t->pub);
      x->thread = NULL;
      weft_exec_delete(x);
    }
  }
  free(t);
}

/* The OS thread of a created thread: TLS set-up, the start routine, then the end of the
 * thread (program end for exit/trap, key destructors, slice release, DONE or ZOMBIE). */
static void *thread_body(void *arg) {
  wthread_priv *t = arg;
  wcluster_priv *c = wcl(t->pub.cluster);
  wexec *e = t->pub.exec;
  winstance *in = t->pub.inst;
  wplat_thread_init();
  wplat_mutex_lock(&c->lock);
  if (t->state == WT_STARTING) t->state = WT_RUNNING;
  wplat_mutex_unlock(&c->lock);

  weft_error err;
  memset(&err, 0, sizeof err);
  weft_status st = WEFT_OK;
  weft_slot a[1], r[1] = {{.i64 = 0}};
  if (t->tls_ptr) {
    a[0].i64 = t->tls_ptr;
    st = weft_call(e, weft_instance_func(in, "__wasm_init_tls"), a, 1, NULL, 0, &err);
  }
  if (st == WEFT_OK) {
    char why[8];
    const wfuncinst *f = wthread_table_func(in, t->start_idx, I32, 1, I32, 1, why, sizeof why);
    a[0].i64 = t->arg;
    st = f ? weft_call(e, (weft_func *)f, a, 1, r, 1, &err) : WEFT_FAIL;
  }

  wplat_mutex_lock(&c->lock);
  t->state = WT_FINISHING;            /* pthread_cancel has no effect from here on */
  bool cancelled = t->cancelled;
  if (!t->final) wexec_clear_stop(e);   /* a stop that came too late */
  wplat_mutex_unlock(&c->lock);

  wtrap tr = st == WEFT_OK ? WEFT_TRAP_NONE : err.trap;
  if (tr == WEFT_TRAP_NONE) {
    t->retval = r[0].i32;
  } else if (tr == WEFT_TRAP_TERMINATED) {
    t->retval = cancelled ? WPT_CANCELED : 0;
  } else if (tr == WEFT_TRAP_EXIT) {
    wcluster_end(c, t, WEND_EXIT, weft_exec_exit_code(e), WEFT_TRAP_EXIT, NULL, NULL);
  } else if (tr != WEFT_TRAP_THREAD_EXIT) {
    wcluster_end(c, t, WEND_TRAP, 0, tr, err.message, err.backtrace);
  }
  wtrap kt = wkeys_thread_exit(&t->pub);
  if (kt == WEFT_TRAP_EXIT)
    wcluster_end(c, t, WEND_EXIT, weft_exec_exit_code(e), WEFT_TRAP_EXIT, NULL, NULL);
  else if (kt != WEFT_TRAP_NONE && kt != WEFT_TRAP_TERMINATED && kt != WEFT_TRAP_THREAD_EXIT)
    wcluster_end(c, t, WEND_TRAP, 0, kt, "a pthread key destructor trapped", NULL);

  wplat_mutex_lock(&c->lock);
  c->slice_used[t->slice] = 0;
  t->slice = -1;
  c->nlive--;
  atomic_store(&c->live_word, c->nlive);
  t->state = t->detached ? WT_ZOMBIE : WT_DONE;
  atomic_store(&t->done, 1);
  wplat_cond_broadcast(&c->finished);
  wplat_mutex_unlock(&c->lock);
  /* Only the addresses are used as keys: t and c stay allocated until this thread is
   * joined at the OS level (every reaper joins first). */
  wwait_notify(&t->done, UINT32_MAX);
  wwait_notify(&c->live_word, UINT32_MAX);
  wplat_thread_destroy();
  return NULL;
}

/* Under c->lock: why a new thread cannot start now (EAGAIN), printing the permanent reason
 * once; 0 when it can. */
static int cannot_start_locked(wcluster_priv *c) {
  if (wcluster_closing_locked(c)) return WPT_EAGAIN;
  const char *why = no_slices_reason(c);
  if (why) {
    if (!c->no_aux_reported) fprintf(stderr, "weft: pthread_create: %s\n", why);
    c->no_aux_reported = true;
    return WPT_EAGAIN;
  }
  return c->nlive >= c->pub.max_threads ? WPT_EAGAIN : 0;
}

bool wthread_tls_layout(winstance *in, uint32_t top, uint32_t slice_size, uint32_t *tls_ptr,
                        uint32_t *sp) {
  uint32_t size = 0, align = 16;
  *tls_ptr = 0;
  *sp = top & ~15u;
  if (!weft_instance_func(in, "__wasm_init_tls") || !export_i32(in, "__tls_size", &size) ||
      !size || size >= slice_size / 2)
    return false;
  if (!export_i32(in, "__tls_align", &align) || !align || (align & (align - 1))) align = 16;
  *tls_ptr = (top - size) & ~(align - 1);
  *sp = *tls_ptr & ~15u;
  return true;
}

/* Sets the new thread's stack pointer (and TLS block) inside slice k. */
static void place_stack(wcluster_priv *c, wthread_priv *t, uint32_t k) {
  winstance *in = t->pub.inst;
  uint32_t lo = c->slice_lo + k * c->slice_size, sp;
  wthread_tls_layout(in, lo + c->slice_size, c->slice_size, &t->tls_ptr, &sp);
  in->aux_lo = lo;
  in->aux_span = c->slice_size;
  in->globals[in->module->aux_stack.global]->val.i32 = sp;
}

int wthread_create(wthread *self, uint32_t start_idx, uint32_t arg, uint8_t *id_dst,
                   char *why, size_t whylen) {
  wcluster_priv *c = wcl(self->cluster);
  why[0] = 0;
  if (!wthread_table_func(self->inst, start_idx, I32, 1, I32, 1, why, whylen)) return -1;
  wthread_reap_zombies(c);
  wplat_mutex_lock(&c->lock);
  int rc = cannot_start_locked(c);
  wplat_mutex_unlock(&c->lock);
  if (rc) return rc;

  werr e;
  werr_clear(&e);
  wthread_priv *t = calloc(1, sizeof *t);
  wexec *x = weft_exec_new(c->pub.main->rt);
  winstance *in = winst_clone_for_thread(c->pub.main, &e);
  if (!t || !x || !in) {
    free(t);
    weft_exec_delete(x);
    winst_clone_delete(in);
    return WPT_EAGAIN;
  }
  t->pub.cluster = self->cluster;
  t->pub.exec = x;
  t->pub.inst = in;
  t->start_idx = start_idx;
  t->arg = arg;
  t->slice = -1;
  atomic_init(&t->done, 0);
  x->thread = &t->pub;

  wplat_mutex_lock(&c->lock);
  rc = cannot_start_locked(c);
  uint32_t k = 0;
  while (!rc && k < c->pub.max_threads && c->slice_used[k]) k++;
  if (!rc && k == c->pub.max_threads) rc = WPT_EAGAIN;
  if (!rc && !wcluster_add_locked(c, t)) rc = WPT_EAGAIN;
  if (!rc) {
    c->slice_used[k] = 1;
    t->slice = (int32_t)k;
    t->pub.id = c->next_id++;
    t->state = WT_STARTING;
    c->nlive++;
    atomic_store(&c->live_word, c->nlive);
  }
  wplat_mutex_unlock(&c->lock);
  if (rc) {
    x->thread = NULL;
    weft_exec_delete(x);
    winst_clone_delete(in);
    free(t);
    return rc;
  }
  place_stack(c, t, k);
  memcpy(id_dst, &t->pub.id, 4);        /* before the thread runs: it may read it */
  if (wplat_thread_create(&t->os, 0, thread_body, t) != 0) {
    wplat_mutex_lock(&c->lock);
    wcluster_remove_locked(c, t);
    c->slice_used[k] = 0;
    c->nlive--;
    atomic_store(&c->live_word, c->nlive);
    wplat_cond_broadcast(&c->finished);
    wplat_mutex_unlock(&c->lock);
    x->thread = NULL;
    weft_exec_delete(x);
    winst_clone_delete(in);
    free(t);
    return WPT_EAGAIN;
  }
  return 0;
}

int wthread_join(wthread *self, uint32_t id, uint32_t *retval, wtrap *trap) {
  wcluster_priv *c = wcl(self->cluster);
  wthread_priv *me = wth(self);
  if (id == self->id) return WPT_EDEADLK;
  wplat_mutex_lock(&c->lock);
  wthread_priv *t = wcluster_find_locked(c, id);
  int rc = 0;
  if (!t) rc = WPT_ESRCH;
  else if (t->state == WT_HOST || t->detached || t->joining) rc = WPT_EINVAL;
  for (wthread_priv *w = t; !rc && w; w = w->waits_on)
    if (w == me) rc = WPT_EDEADLK;     /* t (transitively) waits for us */
  if (!rc) {
    t->joining = true;
    me->waits_on = t;
  }
  wplat_mutex_unlock(&c->lock);
  if (rc) return rc;
  while (atomic_load(&t->done) == 0) {
    if (wwait_wait(self->exec, &t->done, 0, false, -1, trap) < 0) {
      wplat_mutex_lock(&c->lock);
      t->joining = false;
      me->waits_on = NULL;
      wplat_cond_broadcast(&c->finished);
      wplat_mutex_unlock(&c->lock);
      return -1;
    }
  }
  wplat_mutex_lock(&c->lock);
  wcluster_remove_locked(c, t);
  me->waits_on = NULL;
  wplat_mutex_unlock(&c->lock);
  *retval = t->retval;
  wthread_reap(t);
  wplat_mutex_lock(&c->lock);
  wplat_cond_broadcast(&c->finished);   /* terminate_threads waits for joins to finish */
  wplat_mutex_unlock(&c->lock);
  return 0;
}

int wthread_detach(wthread *self, uint32_t id) {
  wcluster_priv *c = wcl(self->cluster);
  wplat_mutex_lock(&c->lock);
  wthread_priv *t = wcluster_find_locked(c, id);
  int rc = 0;
  bool reap = false;
  if (!t || t->state == WT_HOST) rc = t ? WPT_EINVAL : WPT_ESRCH;
  else if (t->detached || t->joining) rc = WPT_EINVAL;
  else if (t->state == WT_DONE) {
    wcluster_remove_locked(c, t);
    reap = true;
  } else {
    t->detached = true;
  }
  wplat_mutex_unlock(&c->lock);
  if (reap) wthread_reap(t);
  return rc;
}

int wthread_cancel(wthread *self, uint32_t id) {
  wcluster_priv *c = wcl(self->cluster);
  wplat_mutex_lock(&c->lock);
  wthread_priv *t = wcluster_find_locked(c, id);
  int rc = t ? 0 : WPT_ESRCH;
  if (t && (t->state == WT_STARTING || t->state == WT_RUNNING) && !t->cancelled) {
    t->cancelled = true;
    weft_exec_request_stop(t->pub.exec);
  }
  wplat_mutex_unlock(&c->lock);
  return rc;
}

wtrap wthread_exit(wthread *self, uint32_t value) {
  wthread_priv *t = wth(self);
  if (t->state != WT_HOST) {
    t->retval = value;
    return WEFT_TRAP_THREAD_EXIT;
  }
  /* The main thread: POSIX lets the other threads run to their end, then the program ends
   * with status 0. Wait through the wait queues, so a stop request still ends the wait. */
  wcluster_priv *c = wcl(self->cluster);
  for (;;) {
    uint32_t n = atomic_load(&c->live_word);
    if (n == 0) break;
    wtrap tr = WEFT_TRAP_NONE;
    if (wwait_wait(self->exec, &c->live_word, n, false, -1, &tr) < 0) return tr;
  }
  return weft_exec_exit(self->exec, 0);
}
