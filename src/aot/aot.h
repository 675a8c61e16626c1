/* aot.h — weft's ahead-of-time compilation, internal interface.
 *
 *   emit.c …      waot_emit_c: a validated module → one C file (weftc's back end)
 *   aot_file.c    the .aot container: header, the wasm module, the shared object
 *   aot_load.c    loading a .aot: checks, the shared object (dlopen), binding
 *   aot_rt.c      the helpers generated code calls (aot_abi.h's waot_helpers)
 * See docs/aot.md for the user's view and aot_abi.h for the generated code's contract.
 */
#ifndef WEFT_AOT_H
#define WEFT_AOT_H
#include <stdio.h>
#include "../module/module.h"
#include "../runtime/rt_layout.h"
#include "../util/werr.h"

/* ---- emitter (weftc) ---- */
typedef struct {
  bool bounds_checks;            /* explicit bounds checks instead of guard pages */
  bool multi_thread;             /* --enable-multi-thread: shared memory allowed */
  /* Loops that never leave generated code ("pure": no call, no helper, no libcall) check
   * for a stop once on entry instead of every iteration (so the C compiler can vectorise
   * them); the runtime interrupts a thread inside one with a signal (aot_interrupt.c).
   * Only for targets whose weft has that signal (Linux) and code built at -O1 or more. */
  bool async_interrupt;
} waot_emit_opts;

/* Writes the C translation of validated module m (prelude, one function per defined
 * function, the slot entries and the descriptor) to out. wasm_hash goes into the
 * descriptor. Errors: WERR_INVALID for a module the options refuse (shared memory without
 * multi_thread: the message names --enable-multi-thread), WERR_RESOURCE on write errors. */
wstatus waot_emit_c(const wmodule *m, const waot_emit_opts *o, uint64_t wasm_hash, FILE *out,
                    werr *err) W_WUR;

/* The text weftc prepends to generated C: weft.h, rt_layout.h and aot_abi.h with their
 * #include lines of each other removed (generated at build time, aot_headers.c). */
extern const char waot_header_text[];

/* ---- the .aot container (aot_file.c) ----
 * Layout, all integers little-endian:
 *   0  magic "\0weftaot" (8 bytes: a .wasm starts "\0asm", so the two never collide)
 *   8  u32 format version (WAOT_FORMAT_VERSION)      12 u32 flags (WAOT_F_*)
 *  16  u64 waot_hash of the wasm bytes               24 u64 wasm offset   32 u64 wasm size
 *  40  u64 shared-object offset    48 u64 shared-object size
 *  56  char[64] target triple (NUL-padded)          120 char[32] weft version (NUL-padded)
 * 152  u32 ABI version (WAOT_ABI_VERSION)           156 u32 reserved (0)   160 end
 * then the wasm bytes and the shared object at their offsets. */
#define WAOT_MAGIC "\0weftaot"
#define WAOT_FORMAT_VERSION 1u
#define WAOT_HEADER_SIZE 160u

typedef struct {
  uint32_t flags;
  uint64_t wasm_hash;
  char triple[64];
  char weft_version[32];
  uint32_t abi_version;
  const uint8_t *wasm; size_t wasm_len;   /* views into the parsed buffer */
  const uint8_t *so; size_t so_len;
} waot_image;

/* True when bytes start with the .aot magic (cheap format detection). */
bool waot_is_aot(const uint8_t *bytes, size_t len);
/* 64-bit FNV-1a of the bytes (the module hash of header and descriptor). */
uint64_t waot_hash(const uint8_t *bytes, size_t len);
/* The triple weft was built for ("x86_64-linux", "aarch64-linux", …): arch and OS only. */
const char *waot_host_triple(void);
/* Normalises a triple (x86_64-pc-linux-gnu → x86_64-linux) into buf. */
void waot_triple_norm(const char *triple, char *buf, size_t buflen);

/* Writes a .aot file. */
wstatus waot_file_write(FILE *f, const waot_image *img, werr *err) W_WUR;
/* Parses and checks a .aot in memory: magic, format version, sizes and offsets inside the
 * buffer, the wasm hash, the ABI and weft version, the target triple against this host.
 * Every refusal is WERR_MALFORMED with a message saying which field and what to do
 * (e.g. "compiled by weft 0.1.0 for aarch64-linux, this is x86_64-linux: recompile with
 * weftc"). On success img's views point into bytes. */
wstatus waot_file_parse(const uint8_t *bytes, size_t len, waot_image *img, werr *err) W_WUR;

/* ---- loading (aot_load.c) ---- */
struct waot_code;                /* a loaded shared object (owned by its wmodule) */

/* Loads img's shared object for module m (decoded and validated from img->wasm), checks
 * its descriptor (ABI, layout, hash, function count, flags against bounds_checks) and
 * binds the helpers; sets m->aot. */
wstatus waot_load(wmodule *m, const waot_image *img, bool bounds_checks, werr *err) W_WUR;
/* Unloads (dlclose) — called by wmod_free through m->aot_free. */
void waot_unload(struct waot_code *c);

/* Fills an AOT module's defined function instance (aot_fn, aot_slots) for defined index i. */
void waot_bind_func(const struct waot_code *c, uint32_t i, wfuncinst *f);

#endif
