/* test_wasi_fdtab.c — the WASI fd table (src/wasi/wasi_fdtab.c): lowest-free insertion,
 * rights checks (EBADF / ENOTCAPABLE), remove, renumber, entries kept alive by references
 * after a close (the host fd closes with the last one), and inserts/removes/lookups from
 * several threads at once (run under TSan by the tsan build). */
#include "wasi/wasi.h"  /* first: werr.h's W_OK clashes with unistd.h's macro */
#include <fcntl.h>
#include <pthread.h>
#include "wtest.h"
#include <unistd.h>

/* A table entry around a fresh host fd (a pipe end), rights `base`. */
static wasi_fd *entry(uint64_t base, int *host) {
  int p[2];
  if (pipe(p) != 0) return NULL;
  close(p[1]);
  if (host) *host = p[0];
  return wasi_fd_new(p[0], WASI_FT_UNKNOWN, base, 0, 0, NULL);
}

/* Single-threaded behaviour of every table operation. */
static void basics(void) {
  wasi_fdtab t;
  wasi_fdtab_init(&t);
  uint32_t fd = 99;
  int h0 = -1;
  CHECK_EQ(wasi_fd_insert(&t, entry(WASI_R_FD_READ, &h0), &fd), 0);
  CHECK_EQ(fd, 0);
  CHECK_EQ(wasi_fd_insert(&t, entry(WASI_R_FD_WRITE, NULL), &fd), 0);
  CHECK_EQ(fd, 1);
  CHECK_EQ(wasi_fd_insert(&t, entry(0, NULL), &fd), 0);
  CHECK_EQ(fd, 2);
  wasi_fd *e = NULL;
  CHECK_EQ(wasi_fd_get(&t, 0, WASI_R_FD_READ, &e), 0);
  CHECK(e && e->host == h0);
  wasi_fd_put(e);
  CHECK_EQ(wasi_fd_get(&t, 0, WASI_R_FD_WRITE, &e), WASI_ENOTCAPABLE);
  CHECK(e == NULL);
  CHECK_EQ(wasi_fd_get(&t, 0, WASI_R_FD_READ | WASI_R_FD_WRITE, &e), WASI_ENOTCAPABLE);
  CHECK_EQ(wasi_fd_get(&t, 7, 0, &e), WASI_EBADF);
  CHECK_EQ(wasi_fd_get(&t, UINT32_MAX, 0, &e), WASI_EBADF);
  /* remove frees the lowest slot for the next insert */
  CHECK_EQ(wasi_fd_remove(&t, 1), 0);
  CHECK_EQ(wasi_fd_remove(&t, 1), WASI_EBADF);
  CHECK_EQ(wasi_fd_get(&t, 1, 0, &e), WASI_EBADF);
  CHECK_EQ(wasi_fd_insert(&t, entry(0, NULL), &fd), 0);
  CHECK_EQ(fd, 1);
  /* renumber: both must exist; the target's old entry is closed */
  CHECK_EQ(wasi_fd_renumber(&t, 0, 9), WASI_EBADF);
  CHECK_EQ(wasi_fd_renumber(&t, 9, 0), WASI_EBADF);
  CHECK_EQ(wasi_fd_renumber(&t, 0, 0), 0);
  CHECK_EQ(wasi_fd_renumber(&t, 0, 2), 0);
  CHECK_EQ(wasi_fd_get(&t, 0, 0, &e), WASI_EBADF);
  CHECK_EQ(wasi_fd_get(&t, 2, WASI_R_FD_READ, &e), 0);
  CHECK(e && e->host == h0);
  /* a referenced entry outlives its close: the host fd stays open until the last put */
  CHECK_EQ(wasi_fd_remove(&t, 2), 0);
  CHECK(fcntl(h0, F_GETFD) >= 0);
  wasi_fd_put(e);
  CHECK(fcntl(h0, F_GETFD) < 0);
  /* insert_at replaces; the table is bounded */
  CHECK_EQ(wasi_fd_insert_at(&t, entry(0, NULL), 5), 0);
  CHECK_EQ(wasi_fd_get(&t, 5, 0, &e), 0);
  wasi_fd_put(e);
  wasi_fd *big = wasi_fd_new(-1, 0, 0, 0, 0, NULL);
  CHECK_EQ(wasi_fd_insert_at(&t, big, WASI_FD_MAX), WASI_EMFILE);
  /* a preopen keeps its guest name */
  wasi_fd *pre = wasi_fd_new(-1, WASI_FT_DIR, 0, 0, 0, "/data");
  CHECK(pre && pre->preopen_len == 5 && strcmp(pre->preopen, "/data") == 0);
  wasi_fd_put(pre);
  wasi_fdtab_free(&t);
}

#define NTHREADS 4
#define ROUNDS 2000
static wasi_fdtab g_tab;

/* One thread: insert an entry, look it up, renumber it onto itself, remove it; and look up
 * fds other threads own (EBADF or a live entry: never a freed one). */
static void *churn(void *arg) {
  uintptr_t id = (uintptr_t)arg;
  int bad = 0;
  for (int i = 0; i < ROUNDS; i++) {
    wasi_fd *e = wasi_fd_new(-1, WASI_FT_REG, WASI_R_FD_READ, 0, 0, NULL);
    uint32_t fd;
    if (!e || wasi_fd_insert(&g_tab, e, &fd) != 0) { bad++; continue; }
    wasi_fd *got;
    if (wasi_fd_get(&g_tab, fd, WASI_R_FD_READ, &got) != 0 || got != e) bad++;
    else wasi_fd_put(got);
    if (wasi_fd_renumber(&g_tab, fd, fd) != 0) bad++;
    wasi_fd *other;
    if (wasi_fd_get(&g_tab, (uint32_t)(i + id) % 8, 0, &other) == 0) {
      if (other->filetype != WASI_FT_REG) bad++;
      wasi_fd_put(other);
    }
    if (wasi_fd_remove(&g_tab, fd) != 0) bad++;
  }
  return (void *)(uintptr_t)bad;
}

/* Several threads on one table: every operation succeeds and the table ends empty. */
static void concurrent(void) {
  wasi_fdtab_init(&g_tab);
  pthread_t th[NTHREADS];
  for (uintptr_t i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, churn, (void *)i);
  uintptr_t bad = 0;
  for (int i = 0; i < NTHREADS; i++) {
    void *r;
    pthread_join(th[i], &r);
    bad += (uintptr_t)r;
  }
  CHECK_EQ(bad, 0);
  for (uint32_t fd = 0; fd < g_tab.cap; fd++) CHECK(g_tab.slots[fd] == NULL);
  CHECK(g_tab.cap <= 16);   /* never more than NTHREADS live at once */
  wasi_fdtab_free(&g_tab);
}

void test_wasi_fdtab(void) {
  basics();
  concurrent();
}
