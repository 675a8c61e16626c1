/* aot_compile.h — the weftc pipeline as a library call: wasm bytes → validated module →
 * generated C (waot_emit_c) → the system C compiler → shared object → .aot bytes
 * (waot_file_write). Used by the weftc command and by weft-spec --aot. docs/aot.md
 * describes the user's view. */
#ifndef WEFT_AOT_COMPILE_H
#define WEFT_AOT_COMPILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../util/werr.h"

/* Default optimisation level of weftc (chosen by measurement on bench/, see docs/aot.md). */
#define WAOT_DEFAULT_OPT_LEVEL 3

typedef struct {
  int opt_level;               /* 0..3: the C compiler's -O level */
  bool bounds_checks;          /* explicit bounds checks (hosts without guard pages) */
  bool multi_thread;           /* --enable-multi-thread: shared memories allowed */
  const char *target;          /* target triple, or NULL for the host */
  const char *cc;              /* C compiler command, or NULL: $CC, else cc (with a
                                  target and gcc-like cc: TARGET-gcc) */
  const char *emit_c_path;     /* keep a copy of the generated C here, or NULL */
  const char *tmpdir;          /* parent of the private work directory, NULL = $TMPDIR
                                  else /tmp */
  uint32_t disabled_features;  /* WFEAT_* bits for validation (module/module.h) */
} waot_compile_opts;

/* What one compilation took; filled on success (and as far as it got on failure). */
typedef struct {
  double emit_s, cc_s, total_s;   /* seconds: C generation, C compiler, whole call */
  size_t wasm_bytes, c_bytes, so_bytes, aot_bytes;
  uint32_t nfuncs;                /* defined functions translated */
  char cc_cmd[256];               /* the compiler command that ran (argv[0] + target) */
} waot_compile_stats;

/* Sets *o to the defaults (opt level WAOT_DEFAULT_OPT_LEVEL, everything else off/NULL). */
void waot_compile_opts_init(waot_compile_opts *o);

/* Compiles `len` wasm bytes into a .aot image returned in *out (malloc'd, caller frees)
 * and *out_len. stats may be NULL. Errors (with *out NULL):
 *   WERR_MALFORMED / WERR_INVALID  the decoder's / validator's message, as weft_module_new
 *                                  gives it; also a shared memory without multi_thread
 *                                  (the message names --enable-multi-thread)
 *   WERR_ARG       bad options (opt level, target)
 *   WERR_RESOURCE  the work directory, the C compiler not found or failing (its first
 *                  error lines are in the message), I/O, memory. */
wstatus waot_compile(const uint8_t *wasm, size_t len, const waot_compile_opts *o,
                     uint8_t **out, size_t *out_len, waot_compile_stats *stats,
                     werr *err) W_WUR;

/* The compiler command waot_compile would run for o (without arguments) into buf. */
void waot_compile_cc(const waot_compile_opts *o, char *buf, size_t buflen);

#endif
