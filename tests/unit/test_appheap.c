/* test_appheap.c — the app heap (src/runtime/appheap.c): exhaustion, bogus frees, a random
 * alloc/free/realloc stress checked against a shadow model, realloc contents, aligned
 * allocation (wheap_memalign: alignments 8..4096 x sizes in the shadow model, bogus
 * alignments, realloc/free of aligned blocks, exhaustion), concurrent use from 4 threads
 * (malloc, memalign, realloc, free), and the instance-level API (placement, limits, no heap). */
#include <pthread.h>
#include <stdlib.h>
#include "runtime/appheap.h"
#include "weft.h"
#include "wtest.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

static void exhaustion_and_bad_sizes(void) {
  static uint8_t mem[4096];
  wappheap *h = wheap_new(mem, 0, sizeof mem);
  CHECK(h != NULL);
  CHECK_EQ(wheap_malloc(h, 0), 0);
  CHECK_EQ(wheap_malloc(h, 0x80000000u), 0);
  CHECK_EQ(wheap_malloc(h, UINT32_MAX), 0);
  CHECK_EQ(wheap_malloc(h, 5000), 0);
  /* offset 0 is never handed out: the region starts at 8 */
  uint32_t a = wheap_malloc(h, 1);
  CHECK(a >= 8 && a % 8 == 0);
  uint32_t n = 1;
  while (wheap_malloc(h, 100)) n++;
  CHECK(n > 30);
  CHECK_EQ(wheap_malloc(h, 100), 0);
  CHECK(wheap_check(h));
  wheap_stats st;
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, n);
  wheap_delete(h);
}

static void bogus_frees_are_ignored(void) {
  static uint8_t mem[8192];
  wappheap *h = wheap_new(mem, 16, sizeof mem - 16);
  uint32_t a = wheap_malloc(h, 64), b = wheap_malloc(h, 64);
  CHECK(a && b && a != b);
  wheap_stats before, after;
  wheap_get_stats(h, &before);
  wheap_free(h, a + 8);          /* inside a block */
  wheap_free(h, a + 3);          /* unaligned */
  wheap_free(h, 4);              /* below the region */
  wheap_free(h, 1u << 30);       /* far outside */
  wheap_free(h, 0);
  CHECK_EQ(wheap_realloc(h, b + 16, 10), 0);
  wheap_get_stats(h, &after);
  CHECK_EQ(before.allocated_blocks, after.allocated_blocks);
  CHECK_EQ(before.used_bytes, after.used_bytes);
  wheap_free(h, a);
  wheap_free(h, a);              /* double free */
  CHECK_EQ(wheap_usable_size(h, a), 0);
  CHECK(wheap_usable_size(h, b) >= 64);
  CHECK(wheap_check(h));
  /* freeing everything merges back to one free block */
  wheap_free(h, b);
  wheap_get_stats(h, &after);
  CHECK_EQ(after.allocated_blocks, 0);
  CHECK_EQ(after.free_blocks, 1);
  CHECK_EQ(wheap_realloc(h, 0, 0), 0);
  wheap_delete(h);
}

/* Random malloc/free/realloc against a shadow list of live blocks, each filled with a
 * pattern derived from its id: no overlaps, contents survive, invariants hold. */
#define LIVE_MAX 512
static void stress_against_shadow_model(void) {
  enum { MEM = 1 << 20 };
  uint8_t *mem = calloc(1, MEM);
  wappheap *h = wheap_new(mem, 4096, MEM - 4096);
  struct { uint32_t off, size; uint8_t tag; } live[LIVE_MAX];
  int nlive = 0, bad_overlap = 0, bad_content = 0, bad_check = 0, fails = 0;
  for (int step = 0; step < 60000; step++) {
    uint32_t op = rnd() % 10;
    if ((op < 5 || nlive == 0) && nlive < LIVE_MAX) {
      uint32_t sz = rnd() % 8 == 0 ? rnd() % 20000 + 1 : rnd() % 200 + 1;
      uint32_t p = wheap_malloc(h, sz);
      if (!p) { fails++; continue; }
      if (p % 8 || p < 4096 || p + sz > MEM) bad_overlap++;
      for (int i = 0; i < nlive; i++)
        if (p < live[i].off + live[i].size && live[i].off < p + sz) bad_overlap++;
      uint8_t tag = (uint8_t)rnd();
      memset(mem + p, tag, sz);
      live[nlive].off = p; live[nlive].size = sz; live[nlive].tag = tag; nlive++;
    } else if (op < 8) {
      int k = (int)(rnd() % (uint32_t)nlive);
      for (uint32_t j = 0; j < live[k].size; j++)
        if (mem[live[k].off + j] != live[k].tag) { bad_content++; break; }
      wheap_free(h, live[k].off);
      live[k] = live[--nlive];
    } else {
      int k = (int)(rnd() % (uint32_t)nlive);
      uint32_t nsz = rnd() % 4 == 0 ? rnd() % 30000 + 1 : rnd() % 300 + 1;
      uint32_t p = wheap_realloc(h, live[k].off, nsz);
      if (!p) { fails++; continue; }   /* the old block stays */
      uint32_t keep = nsz < live[k].size ? nsz : live[k].size;
      for (uint32_t j = 0; j < keep; j++)
        if (mem[p + j] != live[k].tag) { bad_content++; break; }
      for (int i = 0; i < nlive; i++)
        if (i != k && p < live[i].off + live[i].size && live[i].off < p + nsz) bad_overlap++;
      memset(mem + p, live[k].tag, nsz);
      live[k].off = p;
      live[k].size = nsz;
    }
    if (step % 997 == 0 && !wheap_check(h)) bad_check++;
  }
  CHECK_EQ(bad_overlap, 0);
  CHECK_EQ(bad_content, 0);
  CHECK_EQ(bad_check, 0);
  CHECK(wheap_check(h));
  for (int i = 0; i < nlive; i++) wheap_free(h, live[i].off);
  wheap_stats st;
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, 0);
  CHECK_EQ(st.free_blocks, 1);
  CHECK_EQ(st.free_bytes, MEM - 4096);
  wheap_delete(h);
  free(mem);
}

static void realloc_preserves_contents(void) {
  enum { MEM = 65536 };
  uint8_t *mem = calloc(1, MEM);
  wappheap *h = wheap_new(mem, 0, MEM);
  uint32_t a = wheap_malloc(h, 40);
  for (int i = 0; i < 40; i++) mem[a + i] = (uint8_t)i;
  uint32_t blocker = wheap_malloc(h, 8);       /* forces a move on growth */
  uint32_t b = wheap_realloc(h, a, 4000);
  CHECK(b != 0 && b != a);
  int same = 1;
  for (int i = 0; i < 40; i++) same &= mem[b + i] == (uint8_t)i;
  CHECK(same);
  CHECK_EQ(wheap_usable_size(h, a), 0);        /* the old block was freed */
  uint32_t c = wheap_realloc(h, b, 16);        /* shrink in place */
  CHECK_EQ(c, b);
  same = 1;
  for (int i = 0; i < 16; i++) same &= mem[c + i] == (uint8_t)i;
  CHECK(same);
  uint32_t d = wheap_realloc(h, c, 3000);      /* grows in place into the freed tail */
  CHECK_EQ(d, c);
  CHECK_EQ(wheap_realloc(h, d, 1u << 20), 0);  /* too big: old block kept */
  CHECK(wheap_usable_size(h, d) >= 3000);
  wheap_free(h, blocker);
  wheap_free(h, d);
  CHECK(wheap_check(h));
  wheap_delete(h);
  free(mem);
}

/* wheap_memalign: alignments 8..4096 x sizes against the shadow model (aligned, inside the
 * region, no overlap with any live block, contents kept), mixed with plain mallocs, frees
 * and reallocs of aligned blocks. */
static void memalign_against_shadow_model(void) {
  enum { MEM = 1 << 20, N = 256 };
  uint8_t *mem = calloc(1, MEM);
  wappheap *h = wheap_new(mem, 24, MEM - 24);   /* a start that is only 8-aligned */
  static const uint32_t sizes[] = {1, 7, 8, 9, 24, 100, 255, 1000, 4096, 5000};
  struct { uint32_t off, size; uint8_t tag; } live[N];
  int nlive = 0, bad_align = 0, bad_overlap = 0, bad_content = 0, bad_check = 0, fails = 0;
  int made = 0;
  for (int round = 0; round < 6; round++)
    for (uint32_t align = 8; align <= 4096; align *= 2)
      for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        uint32_t sz = sizes[si];
        if (nlive == N || (nlive && rnd() % 3 == 0)) {   /* free or realloc a random one */
          int k = (int)(rnd() % (uint32_t)nlive);
          for (uint32_t j = 0; j < live[k].size; j++)
            if (mem[live[k].off + j] != live[k].tag) { bad_content++; break; }
          if (rnd() % 2 || nlive == N) {
            wheap_free(h, live[k].off);
            live[k] = live[--nlive];
          } else {
            uint32_t nsz = rnd() % 3000 + 1, p = wheap_realloc(h, live[k].off, nsz);
            if (!p) { fails++; continue; }
            uint32_t keep = nsz < live[k].size ? nsz : live[k].size;
            for (uint32_t j = 0; j < keep; j++)
              if (mem[p + j] != live[k].tag) { bad_content++; break; }
            if (p % 8) bad_align++;
            for (int i = 0; i < nlive; i++)
              if (i != k && p < live[i].off + live[i].size && live[i].off < p + nsz)
                bad_overlap++;
            memset(mem + p, live[k].tag, nsz);
            live[k].off = p;
            live[k].size = nsz;
          }
        }
        uint32_t p = rnd() % 4 == 0 ? wheap_malloc(h, sz) : wheap_memalign(h, align, sz);
        if (!p) { fails++; continue; }
        made++;
        if (p % 8 || p < 24 || p + sz > MEM) bad_align++;
        if (p % 8 == 0 && wheap_usable_size(h, p) < sz) bad_align++;
        for (int i = 0; i < nlive; i++)
          if (p < live[i].off + live[i].size && live[i].off < p + sz) bad_overlap++;
        uint8_t tag = (uint8_t)rnd();
        memset(mem + p, tag, sz);
        live[nlive].off = p; live[nlive].size = sz; live[nlive].tag = tag; nlive++;
        if (!wheap_check(h)) bad_check++;
      }
  /* every alignment, checked exactly */
  for (uint32_t align = 8; align <= 4096; align *= 2) {
    uint32_t p = wheap_memalign(h, align, 40);
    if (!p || p % align) bad_align++;
    if (p) wheap_free(h, p);
  }
  CHECK(made > 500);
  CHECK_EQ(fails, 0);
  CHECK_EQ(bad_align, 0);
  CHECK_EQ(bad_overlap, 0);
  CHECK_EQ(bad_content, 0);
  CHECK_EQ(bad_check, 0);
  for (int i = 0; i < nlive; i++) wheap_free(h, live[i].off);
  wheap_stats st;
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, 0);
  CHECK_EQ(st.free_blocks, 1);
  CHECK(wheap_check(h));
  wheap_delete(h);
  free(mem);
}

static void memalign_alignment_check(uint32_t align, uint32_t size, int *bad) {
  static uint8_t mem[1 << 16];
  wappheap *h = wheap_new(mem, 8, sizeof mem - 8);
  uint32_t filler = wheap_malloc(h, 8);   /* the next free offset is 16: never 4096-aligned */
  uint32_t p = wheap_memalign(h, align, size);
  if (!filler || !p || p % align || wheap_usable_size(h, p) < size || !wheap_check(h)) (*bad)++;
  wheap_delete(h);
}

static void memalign_edges(void) {
  static uint8_t mem[16384];
  wappheap *h = wheap_new(mem, 0, sizeof mem);
  /* bogus alignments and sizes */
  CHECK_EQ(wheap_memalign(h, 0, 16), 0);
  CHECK_EQ(wheap_memalign(h, 24, 16), 0);
  CHECK_EQ(wheap_memalign(h, 4097, 16), 0);
  CHECK_EQ(wheap_memalign(h, 0x80000000u, 16), 0);
  CHECK_EQ(wheap_memalign(h, UINT32_MAX, 16), 0);
  CHECK_EQ(wheap_memalign(h, 64, 0), 0);
  CHECK_EQ(wheap_memalign(h, 64, 0x80000000u), 0);
  CHECK_EQ(wheap_memalign(h, 4096, UINT32_MAX), 0);
  CHECK_EQ(wheap_memalign(NULL, 64, 16), 0);
  wheap_stats st;
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, 0);
  /* small powers of two are malloc's 8 */
  uint32_t a = wheap_memalign(h, 1, 3), b = wheap_memalign(h, 4, 3);
  CHECK(a && b && a % 8 == 0 && b % 8 == 0);
  /* a 4096-aligned block, freed and reallocated like any other */
  uint32_t c = wheap_memalign(h, 4096, 100);
  CHECK(c && c % 4096 == 0);
  CHECK(wheap_usable_size(h, c) >= 100);
  CHECK_EQ(wheap_usable_size(h, c + 8), 0);
  memset(mem + c, 0x5A, 100);
  uint32_t blocker = wheap_memalign(h, 8192, 8);   /* keeps c from growing in place */
  CHECK_EQ(blocker, 8192);
  uint32_t d = wheap_realloc(h, c, 50);        /* shrinks in place */
  CHECK_EQ(d, c);
  uint32_t e = wheap_realloc(h, d, 5000);      /* moves (may lose the alignment) */
  CHECK(e && e % 8 == 0);
  int same = 1;
  for (int i = 0; i < 50; i++) same &= mem[e + i] == 0x5A;
  CHECK(same);
  CHECK_EQ(wheap_usable_size(h, d), 0);
  CHECK(wheap_check(h));
  CHECK_EQ(wheap_memalign(h, 2048, 20000), 0);   /* larger than the heap */
  wheap_free(h, blocker);
  wheap_free(h, e);
  wheap_free(h, a);
  wheap_free(h, b);
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, 0);
  CHECK_EQ(st.free_blocks, 1);
  /* the empty heap [8, 16384) holds 12289 bytes, but not at a multiple of 4096 */
  CHECK_EQ(wheap_memalign(h, 4096, 12289), 0);
  uint32_t f = wheap_malloc(h, 12289);
  CHECK(f != 0);
  wheap_free(h, f);
  CHECK(wheap_check(h));
  /* fill the heap with aligned blocks until it says no, then free them all */
  uint32_t got[64];
  int n = 0;
  while (n < 64 && (got[n] = wheap_memalign(h, 512, 600)) != 0) n++;
  CHECK(n >= 10 && n < 64);
  int aligned = 1;
  for (int i = 0; i < n; i++) aligned &= got[i] % 512 == 0;
  CHECK(aligned);
  CHECK(wheap_check(h));
  for (int i = 0; i < n; i++) wheap_free(h, got[i]);
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, 0);
  CHECK_EQ(st.free_blocks, 1);
  wheap_delete(h);
  int bad = 0;
  for (uint32_t align = 16; align <= 65536 / 4; align *= 2)
    for (uint32_t size = 8; size <= 8192; size *= 4) memalign_alignment_check(align, size, &bad);
  CHECK_EQ(bad, 0);
}

typedef struct { wappheap *h; uint8_t *mem; int errors; int id; } thr_arg;

static void *thr_main(void *p) {
  thr_arg *a = p;
  uint32_t mine[64] = {0}, sizes[64] = {0};
  uint64_t s = 0x1234567ull * (uint64_t)(a->id + 1);
  for (int it = 0; it < 20000; it++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    int k = (int)((s >> 33) % 64);
    if (mine[k]) {
      for (uint32_t j = 0; j < sizes[k]; j++)
        if (a->mem[mine[k] + j] != (uint8_t)(a->id + 1)) { a->errors++; break; }
      if ((s >> 20) & 1) {
        wheap_free(a->h, mine[k]);
        mine[k] = 0;
      } else {
        uint32_t nsz = (uint32_t)((s >> 40) % 500) + 1;
        uint32_t r = wheap_realloc(a->h, mine[k], nsz);
        if (r) {
          mine[k] = r;
          sizes[k] = nsz;
          memset(a->mem + r, a->id + 1, nsz);
        }
      }
    } else {
      uint32_t sz = (uint32_t)((s >> 40) % 500) + 1;
      uint32_t align = 8u << ((s >> 24) % 10);   /* 8 .. 4096 */
      uint32_t r = (s >> 21) & 1 ? wheap_memalign(a->h, align, sz) : wheap_malloc(a->h, sz);
      if (r && ((s >> 21) & 1) && r % align) a->errors++;
      if (r) {
        mine[k] = r;
        sizes[k] = sz;
        memset(a->mem + r, a->id + 1, sz);
      }
    }
  }
  for (int k = 0; k < 64; k++) wheap_free(a->h, mine[k]);
  return NULL;
}

static void concurrent_threads(void) {
  enum { MEM = 1 << 20 };
  uint8_t *mem = calloc(1, MEM);
  wappheap *h = wheap_new(mem, 0, MEM);
  pthread_t t[4];
  thr_arg args[4];
  for (int i = 0; i < 4; i++) {
    args[i] = (thr_arg){h, mem, 0, i};
    pthread_create(&t[i], NULL, thr_main, &args[i]);
  }
  int errors = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    errors += args[i].errors;
  }
  CHECK_EQ(errors, 0);
  CHECK(wheap_check(h));
  wheap_stats st;
  wheap_get_stats(h, &st);
  CHECK_EQ(st.allocated_blocks, 0);
  CHECK_EQ(st.free_blocks, 1);
  wheap_delete(h);
  free(mem);
}

/* (memory 1 1): a defined memory whose maximum the heap raises. */
static const uint8_t mod_mem_1_1[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0, 5, 4, 1, 1, 1, 1};
/* (import "env" "mem" (memory 1 1)) */
static const uint8_t mod_import_mem[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0,
                                         2, 13, 1, 3, 'e', 'n', 'v', 3, 'm', 'e', 'm',
                                         2, 1, 1, 1};
static const uint8_t mod_empty[] = {0x00, 'a', 's', 'm', 1, 0, 0, 0};

static void instance_heap(void) {
  weft_runtime *rt = weft_runtime_new(NULL);
  weft_error err = {0};
  weft_module *m = weft_module_new(rt, mod_mem_1_1, sizeof mod_mem_1_1, &err);
  CHECK(m != NULL);
  weft_instance_options o = {.heap_size = 100000};
  weft_instance *in = weft_instantiate_opts(rt, m, NULL, &o, &err);
  CHECK(in != NULL);
  weft_memory *mem = weft_instance_default_memory(in);
  CHECK_EQ(weft_memory_size(mem), 3 * 65536);   /* 1 page + 2 heap pages */
  uint32_t p = weft_heap_malloc(in, 1000);
  CHECK(p >= 65536 && p % 8 == 0);
  uint32_t q = weft_heap_realloc(in, p, 2000);
  CHECK(q >= 65536 && q + 2000 <= 3 * 65536);
  CHECK_EQ(weft_heap_malloc(in, 3 * 65536), 0);
  weft_heap_free(in, q);
  weft_heap_free(in, 12345);
  weft_instance_delete(in);

  /* no options: no heap */
  in = weft_instantiate(rt, m, NULL, &err);
  CHECK(in != NULL);
  CHECK_EQ(weft_memory_size(weft_instance_default_memory(in)), 65536);
  CHECK_EQ(weft_heap_malloc(in, 8), 0);
  weft_heap_free(in, 8);
  weft_instance_delete(in);
  weft_module_delete(m);

  /* an imported memory cannot have its maximum raised: a clear RESOURCE error */
  CHECK(weft_register_memory(rt, "env", "mem", 1, 1, true, false, &err) != NULL);
  m = weft_module_new(rt, mod_import_mem, sizeof mod_import_mem, &err);
  CHECK(m != NULL);
  in = weft_instantiate_opts(rt, m, NULL, &o, &err);
  CHECK(in == NULL);
  CHECK_EQ(err.kind, WEFT_ERR_RESOURCE);
  CHECK_CONTAINS(err.message, "app heap of 100000 bytes needs 2 more pages");
  o.heap_size = 0;
  in = weft_instantiate_opts(rt, m, NULL, &o, &err);
  CHECK(in != NULL);
  weft_instance_delete(in);
  weft_module_delete(m);

  /* no memory at all: instantiates without a heap */
  m = weft_module_new(rt, mod_empty, sizeof mod_empty, &err);
  o.heap_size = 4096;
  in = weft_instantiate_opts(rt, m, NULL, &o, &err);
  CHECK(in != NULL);
  CHECK_EQ(weft_heap_malloc(in, 8), 0);
  weft_instance_delete(in);
  weft_module_delete(m);
  weft_runtime_delete(rt);
}

void test_appheap(void) {
  exhaustion_and_bad_sizes();
  bogus_frees_are_ignored();
  stress_against_shadow_model();
  realloc_preserves_contents();
  memalign_against_shadow_model();
  memalign_edges();
  concurrent_threads();
  instance_heap();
}
