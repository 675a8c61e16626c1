/* test_appheap.c — the app heap (src/runtime/appheap.c): exhaustion, bogus frees, a random
 * alloc/free/realloc stress checked against a shadow model, realloc contents, concurrent
 * use from 4 threads, and the instance-level API (placement, limits, no heap). */
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
      uint32_t r = wheap_malloc(a->h, sz);
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
  concurrent_threads();
  instance_heap();
}
