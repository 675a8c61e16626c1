/* test_grow.c — memory.grow on one thread while others store and load near the end they
 * observed with memory.size: nobody may trap or read a wrong value (the base never
 * moves; newly committed pages read as zero). Run in guard-page mode and again with
 * explicit bounds checks; also checks that the first byte past the grown end traps. */
#include <stdio.h>
#include <string.h>
#include "tests.h"

#define TOUCHERS 3
#define PAGES 255   /* grow.wat: 1 page, max 256 */

static void grow_race(const char *name, bool bounds) {
  wt_env e;
  if (!wt_open(&e, "grow", bounds)) return;
  char why[256] = "";
  wt_job j[TOUCHERS + 1];
  bool ok = wt_job_init(&j[0], &e, "grow", 2, (int64_t[]){PAGES, 20000 / wt_div});
  for (int w = 0; w < TOUCHERS && ok; w++)
    ok = wt_job_init(&j[w + 1], &e, "touch", 2, (int64_t[]){w, TOUCHERS});
  if (!ok) { wt_close(&e); return; }
  if (!wt_run(j, TOUCHERS + 1, 60.0)) {
    ok = false;
    snprintf(why, sizeof why, "overran 60 s");
  }
  for (int i = 0; i <= TOUCHERS && ok; i++) ok = wt_job_ok(&j[i], why, sizeof why);
  int bad = 0;
  for (int w = 1; w <= TOUCHERS; w++) bad += (int32_t)j[w].res.i32;
  uint64_t iters;
  memcpy(&iters, e.mem + 24, 8);
  if (ok && ((int32_t)j[0].res.i32 != PAGES + 1 || bad)) {
    ok = false;
    snprintf(why, sizeof why, "grower ended at %d pages (want %d), %d wrong reads",
             (int32_t)j[0].res.i32, PAGES + 1, bad);
  }
  if (ok) snprintf(why, sizeof why, "%d grows, %llu toucher rounds", PAGES, (unsigned long long)iters);
  wt_result(name, ok, "%s", why);

  weft_slot r;
  weft_error err;
  weft_status st = wt_call(&e, "load_at_end", 0, NULL, &r, &err);
  char oob[80];
  snprintf(oob, sizeof oob, "load_past_grown_end_traps%s", bounds ? "_bounds_checks" : "");
  wt_result(oob, st == WEFT_FAIL && err.trap == WEFT_TRAP_OOB_MEMORY, "%s",
            st == WEFT_FAIL ? err.message : "did not trap");
  wt_close(&e);
}

void test_grow(void) {
  grow_race("grow_while_others_touch_old_end", false);
  grow_race("grow_while_others_touch_old_end_bounds_checks", true);
}
