/* appheap.c — the app heap (see appheap.h).
 *
 * A two-level segregated-fit allocator (TLSF) whose block records live in a host array:
 * each block of the region (allocated or free) is a record {offset, size, physical
 * neighbours, free-list links}. Free blocks sit in lists by size class, found with two
 * bitmaps (constant time); allocated blocks are indexed by offset in an open-addressing
 * hash table, which is how free/realloc recognise offsets the heap handed out. Nothing is
 * stored in linear memory. One mutex per heap serialises every operation. */
#include "appheap.h"
#include <stdlib.h>
#include <string.h>
#include "instance.h"
#include "memory.h"

#define NIL UINT32_MAX
#define ALIGN 8u
#define SL_LOG 4
#define SL_COUNT (1u << SL_LOG)
#define SMALL_LIMIT (SL_COUNT * ALIGN)   /* sizes below: one exact class per 8 bytes */
#define FL_COUNT 26                      /* covers block sizes up to 2^32 - 8 */

enum { B_UNUSED = 0, B_FREE = 1, B_USED = 2 };

typedef struct {
  uint32_t off, size;
  uint32_t prev_phys, next_phys;  /* neighbouring blocks in address order */
  uint32_t prev_free, next_free;  /* free-list links; unused records chain via next_free */
  uint8_t state;
} hblock;

struct wappheap {
  wplat_mutex lock;
  uint8_t *base;
  uint32_t start, size;
  uint32_t first;                 /* record of the block at `start` (never merged away) */
  hblock *b;
  uint32_t nb, cap, spare;        /* records in use / capacity / recycled-record list */
  uint32_t fl_map;
  uint32_t sl_map[FL_COUNT];
  uint32_t heads[FL_COUNT][SL_COUNT];
  uint32_t *hkey, *hval;          /* allocated offset -> record; hval NIL = empty slot */
  uint32_t hbits, hcount;
  uint64_t used;
  uint32_t nfree;
};

static uint32_t log2u(uint32_t x) { return 31u - (uint32_t)__builtin_clz(x); }

static void mapping(uint32_t size, uint32_t *fl, uint32_t *sl) {
  if (size < SMALL_LIMIT) {
    *fl = 0;
    *sl = size / ALIGN;
  } else {
    uint32_t l = log2u(size);
    *fl = l - 6;   /* log2(SMALL_LIMIT) = 7 maps to 1 */
    *sl = (size >> (l - SL_LOG)) ^ SL_COUNT;
  }
}

/* ---- free lists ---- */

static void list_insert(wappheap *h, uint32_t i) {
  uint32_t fl, sl;
  mapping(h->b[i].size, &fl, &sl);
  uint32_t head = h->heads[fl][sl];
  h->b[i].prev_free = NIL;
  h->b[i].next_free = head;
  if (head != NIL) h->b[head].prev_free = i;
  h->heads[fl][sl] = i;
  h->fl_map |= 1u << fl;
  h->sl_map[fl] |= 1u << sl;
  h->b[i].state = B_FREE;
  h->nfree++;
}

static void list_remove(wappheap *h, uint32_t i) {
  uint32_t fl, sl;
  mapping(h->b[i].size, &fl, &sl);
  uint32_t p = h->b[i].prev_free, n = h->b[i].next_free;
  if (n != NIL) h->b[n].prev_free = p;
  if (p != NIL) h->b[p].next_free = n;
  else {
    h->heads[fl][sl] = n;
    if (n == NIL) {
      h->sl_map[fl] &= ~(1u << sl);
      if (!h->sl_map[fl]) h->fl_map &= ~(1u << fl);
    }
  }
  h->nfree--;
}

/* A free block of at least `need` bytes, or NIL. */
static uint32_t find_free(wappheap *h, uint32_t need) {
  if (need >= SMALL_LIMIT) need += (1u << (log2u(need) - SL_LOG)) - 1;  /* next class up */
  uint32_t fl, sl;
  mapping(need, &fl, &sl);
  if (fl >= FL_COUNT) return NIL;
  uint32_t slm = h->sl_map[fl] & (~0u << sl);
  if (!slm) {
    uint32_t flm = fl + 1 < 32 ? h->fl_map & (~0u << (fl + 1)) : 0;
    if (!flm) return NIL;
    fl = (uint32_t)__builtin_ctz(flm);
    slm = h->sl_map[fl];
  }
  return h->heads[fl][(uint32_t)__builtin_ctz(slm)];
}

/* ---- block records ---- */

/* Makes sure `n` more records (at most 64) can be taken without failing. */
static bool reserve_records(wappheap *h, uint32_t n) {
  uint32_t have = h->cap - h->nb;
  for (uint32_t i = h->spare; i != NIL && have < n; i = h->b[i].next_free) have++;
  if (have >= n) return true;
  uint32_t cap = h->cap ? h->cap * 2 : 64;
  if (cap < h->cap) return false;
  hblock *nbk = realloc(h->b, (size_t)cap * sizeof *nbk);
  if (!nbk) return false;
  h->b = nbk;
  h->cap = cap;
  return true;
}

static bool reserve_record(wappheap *h) { return reserve_records(h, 1); }

static uint32_t take_record(wappheap *h) {
  uint32_t i;
  if (h->spare != NIL) {
    i = h->spare;
    h->spare = h->b[i].next_free;
  } else {
    i = h->nb++;
  }
  return i;
}

static void drop_record(wappheap *h, uint32_t i) {
  h->b[i].state = B_UNUSED;
  h->b[i].next_free = h->spare;
  h->spare = i;
}

/* ---- allocated-offset index ---- */

static uint32_t hslot(const wappheap *h, uint32_t off) {
  return (uint32_t)(((off >> 3) * 0x9E3779B1u) >> (32 - h->hbits));
}

static uint32_t index_find(const wappheap *h, uint32_t off) {
  uint32_t mask = (1u << h->hbits) - 1;
  for (uint32_t s = hslot(h, off);; s = (s + 1) & mask) {
    if (h->hval[s] == NIL) return NIL;
    if (h->hkey[s] == off) return h->hval[s];
  }
}

static void index_put(wappheap *h, uint32_t off, uint32_t rec) {
  uint32_t mask = (1u << h->hbits) - 1, s = hslot(h, off);
  while (h->hval[s] != NIL) s = (s + 1) & mask;
  h->hkey[s] = off;
  h->hval[s] = rec;
  h->hcount++;
}

static void index_del(wappheap *h, uint32_t off) {
  uint32_t mask = (1u << h->hbits) - 1, s = hslot(h, off);
  while (h->hkey[s] != off || h->hval[s] == NIL) s = (s + 1) & mask;
  /* backward-shift deletion: no tombstones */
  uint32_t j = s;
  for (;;) {
    j = (j + 1) & mask;
    if (h->hval[j] == NIL) break;
    uint32_t home = hslot(h, h->hkey[j]);
    /* move j into the hole at s unless its home lies cyclically in (s, j] */
    bool stays = s <= j ? (home > s && home <= j) : (home > s || home <= j);
    if (stays) continue;
    h->hkey[s] = h->hkey[j];
    h->hval[s] = h->hval[j];
    s = j;
  }
  h->hval[s] = NIL;
  h->hcount--;
}

/* Makes sure one more entry fits at load <= 1/2. */
static bool index_reserve(wappheap *h) {
  if ((h->hcount + 1) * 2 <= (1u << h->hbits)) return true;
  if (h->hbits >= 31) return false;
  uint32_t bits = h->hbits + 1, n = 1u << bits;
  uint32_t *k = malloc((size_t)n * sizeof *k), *v = malloc((size_t)n * sizeof *v);
  if (!k || !v) {
    free(k);
    free(v);
    return false;
  }
  memset(v, 0xFF, (size_t)n * sizeof *v);
  uint32_t *ok = h->hkey, *ov = h->hval, on = 1u << h->hbits;
  h->hkey = k;
  h->hval = v;
  h->hbits = bits;
  h->hcount = 0;
  for (uint32_t i = 0; i < on; i++)
    if (ov[i] != NIL) index_put(h, ok[i], ov[i]);
  free(ok);
  free(ov);
  return true;
}

/* ---- core operations (lock held) ---- */

/* Cuts block i down to `need` bytes; the tail becomes a free block, merged with a free
 * successor. Needs a reserved record. */
static void split_tail(wappheap *h, uint32_t i, uint32_t need) {
  uint32_t rest = h->b[i].size - need;
  if (rest < ALIGN) return;
  uint32_t n = h->b[i].next_phys;
  if (n != NIL && h->b[n].state == B_FREE) {   /* grow the free successor downwards */
    list_remove(h, n);
    h->b[n].off -= rest;
    h->b[n].size += rest;
    h->b[i].size = need;
    list_insert(h, n);
    return;
  }
  uint32_t r = take_record(h);
  h->b[r] = (hblock){h->b[i].off + need, rest, i, n, NIL, NIL, B_FREE};
  if (n != NIL) h->b[n].prev_phys = r;
  h->b[i].next_phys = r;
  h->b[i].size = need;
  list_insert(h, r);
}

static uint32_t do_malloc(wappheap *h, uint32_t need) {
  if (!reserve_record(h) || !index_reserve(h)) return 0;
  uint32_t i = find_free(h, need);
  if (i == NIL) return 0;
  list_remove(h, i);
  split_tail(h, i, need);
  h->b[i].state = B_USED;
  index_put(h, h->b[i].off, i);
  h->used += h->b[i].size;
  return h->b[i].off;
}

/* An allocated block of `need` bytes (a multiple of 8) at an offset that is a multiple of
 * align (a power of two > 8). A free block of need + align - 8 bytes always holds one; the
 * bytes before the aligned offset stay a free block of their own (its predecessor is not
 * free, as i was free), those after it are split off as usual. */
static uint32_t do_memalign(wappheap *h, uint32_t need, uint32_t align) {
  if (!reserve_records(h, 2) || !index_reserve(h)) return 0;
  uint32_t i = find_free(h, need + align - ALIGN);
  if (i == NIL) return 0;
  list_remove(h, i);
  uint32_t off = h->b[i].off, at = (off + align - 1) & ~(align - 1);
  if (at != off) {   /* i keeps the head [off, at) as a free block; r is the rest */
    uint32_t r = take_record(h), n = h->b[i].next_phys;
    h->b[r] = (hblock){at, h->b[i].size - (at - off), i, n, NIL, NIL, B_USED};
    if (n != NIL) h->b[n].prev_phys = r;
    h->b[i].next_phys = r;
    h->b[i].size = at - off;
    list_insert(h, i);
    i = r;
  }
  split_tail(h, i, need);
  h->b[i].state = B_USED;
  index_put(h, h->b[i].off, i);
  h->used += h->b[i].size;
  return h->b[i].off;
}

/* Block i takes over its physical successor (already off any free list): sizes add up,
 * the successor's record is dropped. */
static void absorb_next(wappheap *h, uint32_t i) {
  uint32_t n = h->b[i].next_phys;
  h->b[i].size += h->b[n].size;
  uint32_t nn = h->b[n].next_phys;
  h->b[i].next_phys = nn;
  if (nn != NIL) h->b[nn].prev_phys = i;
  drop_record(h, n);
}

/* Frees the allocated block i, merging with free neighbours. */
static void do_free(wappheap *h, uint32_t i) {
  index_del(h, h->b[i].off);
  h->used -= h->b[i].size;
  uint32_t p = h->b[i].prev_phys, n = h->b[i].next_phys;
  if (n != NIL && h->b[n].state == B_FREE) {
    list_remove(h, n);
    absorb_next(h, i);
  }
  if (p != NIL && h->b[p].state == B_FREE) {
    list_remove(h, p);
    absorb_next(h, p);
    i = p;
  }
  list_insert(h, i);
}

static uint32_t round_size(uint32_t size) { return (size + ALIGN - 1) & ~(ALIGN - 1); }

/* ---- public (internal API) ---- */

wappheap *wheap_new(uint8_t *base, uint32_t start, uint32_t size) {
  uint64_t s = ((uint64_t)start + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
  if (s == 0) s = ALIGN;   /* offset 0 is the null pointer */
  uint64_t e = ((uint64_t)start + size) & ~(uint64_t)(ALIGN - 1);
  if (e > (uint64_t)UINT32_MAX + 1 - ALIGN) e = (uint64_t)UINT32_MAX + 1 - ALIGN;
  if (s >= e) return NULL;
  wappheap *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  wplat_mutex_init(&h->lock);
  h->base = base;
  h->start = (uint32_t)s;
  h->size = (uint32_t)(e - s);
  h->spare = NIL;
  memset(h->heads, 0xFF, sizeof h->heads);
  h->hbits = 6;
  h->hkey = malloc(sizeof(uint32_t) << h->hbits);
  h->hval = malloc(sizeof(uint32_t) << h->hbits);
  if (!h->hkey || !h->hval || !reserve_record(h)) {
    wheap_delete(h);
    return NULL;
  }
  memset(h->hval, 0xFF, sizeof(uint32_t) << h->hbits);
  h->first = take_record(h);
  h->b[h->first] = (hblock){h->start, h->size, NIL, NIL, NIL, NIL, B_FREE};
  list_insert(h, h->first);
  return h;
}

void wheap_delete(wappheap *h) {
  if (!h) return;
  wplat_mutex_destroy(&h->lock);
  free(h->b);
  free(h->hkey);
  free(h->hval);
  free(h);
}

uint32_t wheap_malloc(wappheap *h, uint32_t size) {
  if (!h || size == 0 || size > WHEAP_MAX_ALLOC) return 0;
  wplat_mutex_lock(&h->lock);
  uint32_t r = do_malloc(h, round_size(size));
  wplat_mutex_unlock(&h->lock);
  return r;
}

uint32_t wheap_memalign(wappheap *h, uint32_t align, uint32_t size) {
  if (!h || align == 0 || (align & (align - 1)) || align > WHEAP_MAX_ALIGN) return 0;
  if (align <= ALIGN) return wheap_malloc(h, size);
  if (size == 0 || size > WHEAP_MAX_ALLOC) return 0;
  wplat_mutex_lock(&h->lock);
  uint32_t r = do_memalign(h, round_size(size), align);
  wplat_mutex_unlock(&h->lock);
  return r;
}

void wheap_free(wappheap *h, uint32_t ptr) {
  if (!h || ptr == 0 || (ptr & (ALIGN - 1))) return;
  wplat_mutex_lock(&h->lock);
  uint32_t i = index_find(h, ptr);
  if (i != NIL) do_free(h, i);
  wplat_mutex_unlock(&h->lock);
}

uint32_t wheap_realloc(wappheap *h, uint32_t ptr, uint32_t size) {
  if (!h) return 0;
  if (ptr == 0) return wheap_malloc(h, size);
  if (size == 0) {
    wheap_free(h, ptr);
    return 0;
  }
  if (size > WHEAP_MAX_ALLOC || (ptr & (ALIGN - 1))) return 0;
  uint32_t need = round_size(size), r = 0;
  wplat_mutex_lock(&h->lock);
  uint32_t i = index_find(h, ptr);
  if (i == NIL || !reserve_record(h)) goto out;
  uint32_t cur = h->b[i].size, n = h->b[i].next_phys;
  if (need <= cur) {
    h->used -= cur;
    split_tail(h, i, need);
    h->used += h->b[i].size;
    r = ptr;
  } else if (n != NIL && h->b[n].state == B_FREE && (uint64_t)cur + h->b[n].size >= need) {
    list_remove(h, n);
    absorb_next(h, i);
    split_tail(h, i, need);
    h->used += h->b[i].size - cur;
    r = ptr;
  } else {
    r = do_malloc(h, need);
    if (r) {
      memcpy(h->base + r, h->base + ptr, cur);
      do_free(h, i);
    }
  }
out:
  wplat_mutex_unlock(&h->lock);
  return r;
}

uint32_t wheap_usable_size(wappheap *h, uint32_t ptr) {
  if (!h || ptr == 0) return 0;
  wplat_mutex_lock(&h->lock);
  uint32_t i = index_find(h, ptr);
  uint32_t r = i == NIL ? 0 : h->b[i].size;
  wplat_mutex_unlock(&h->lock);
  return r;
}

void wheap_get_stats(wappheap *h, wheap_stats *out) {
  memset(out, 0, sizeof *out);
  if (!h) return;
  wplat_mutex_lock(&h->lock);
  out->start = h->start;
  out->size = h->size;
  out->used_bytes = h->used;
  out->free_bytes = h->size - h->used;
  out->allocated_blocks = h->hcount;
  out->free_blocks = h->nfree;
  wplat_mutex_unlock(&h->lock);
}

bool wheap_check(wappheap *h) {
  if (!h) return true;
  wplat_mutex_lock(&h->lock);
  bool ok = true;
  uint64_t off = h->start, used = 0;
  uint32_t nfree = 0, nused = 0, prev = NIL, steps = 0;
  for (uint32_t i = h->first; i != NIL && ok; i = h->b[i].next_phys) {
    const hblock *k = &h->b[i];
    ok = k->off == off && k->size && !(k->size & (ALIGN - 1)) && k->prev_phys == prev &&
         (k->state == B_FREE || k->state == B_USED) && ++steps <= h->nb;
    if (!ok) break;
    if (k->state == B_FREE) {
      nfree++;
      ok = prev == NIL || h->b[prev].state != B_FREE;
    } else {
      nused++;
      used += k->size;
      ok = index_find(h, k->off) == i;
    }
    off += k->size;
    prev = i;
  }
  ok = ok && off == (uint64_t)h->start + h->size && nfree == h->nfree && nused == h->hcount &&
       used == h->used;
  uint32_t listed = 0;
  for (uint32_t fl = 0; fl < FL_COUNT && ok; fl++)
    for (uint32_t sl = 0; sl < SL_COUNT && ok; sl++) {
      bool nonempty = h->heads[fl][sl] != NIL;
      ok = nonempty == !!(h->sl_map[fl] & (1u << sl)) &&
           (!h->sl_map[fl] || (h->fl_map & (1u << fl)));
      for (uint32_t i = h->heads[fl][sl]; i != NIL && ok; i = h->b[i].next_free) {
        uint32_t f, s;
        mapping(h->b[i].size, &f, &s);
        ok = h->b[i].state == B_FREE && f == fl && s == sl && ++listed <= nfree;
      }
    }
  ok = ok && listed == nfree;
  wplat_mutex_unlock(&h->lock);
  return ok;
}

/* ---- instances ---- */

uint32_t wheap_pages_for(uint32_t heap_size) {
  return (uint32_t)(((uint64_t)heap_size + WMEM_PAGE - 1) / WMEM_PAGE);
}

wstatus wheap_attach(winstance *inst, uint32_t heap_size, werr *err) {
  if (!heap_size || !inst->module->nmems) return W_OK;
  wmemory *m = inst->mems[0];
  uint32_t pages = wheap_pages_for(heap_size);
  uint64_t cur = wmem_pages(m);
  if (cur + pages > m->max_pages)
    return werr_set(err, WERR_RESOURCE,
                    "app heap of %u bytes needs %u more pages of memory 0, which has %llu of "
                    "at most %llu pages (%llu pages needed in all)",
                    heap_size, pages, (unsigned long long)cur,
                    (unsigned long long)m->max_pages, (unsigned long long)(cur + pages));
  int32_t old = wmem_grow(m, pages);
  if (old < 0)
    return werr_set(err, WERR_RESOURCE, "cannot grow memory 0 by %u pages for the app heap",
                    pages);
  uint64_t start = (uint64_t)(uint32_t)old * WMEM_PAGE, len = (uint64_t)pages * WMEM_PAGE;
  if (start + len > UINT32_MAX) len = (uint64_t)UINT32_MAX + 1 - start;
  if (len > UINT32_MAX) len = UINT32_MAX;
  wappheap *h = wheap_new(m->base, (uint32_t)start, (uint32_t)len);
  if (!h) return werr_set(err, WERR_RESOURCE, "out of memory");
  ((winst_priv *)inst)->heap = h;
  return W_OK;
}

wappheap *wheap_of(weft_instance *inst) { return inst ? ((winst_priv *)inst)->heap : NULL; }

uint32_t weft_heap_malloc(weft_instance *inst, uint32_t size) {
  return wheap_malloc(wheap_of(inst), size);
}

uint32_t weft_heap_realloc(weft_instance *inst, uint32_t ptr, uint32_t size) {
  return wheap_realloc(wheap_of(inst), ptr, size);
}

void weft_heap_free(weft_instance *inst, uint32_t ptr) { wheap_free(wheap_of(inst), ptr); }
