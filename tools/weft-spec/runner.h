/* runner.h — executes the command list of one wast2json JSON file against weft. */
#ifndef WEFT_SPEC_RUNNER_H
#define WEFT_SPEC_RUNNER_H
#include <stdbool.h>
#include <stdint.h>

/* Per-file (and total) result counts. */
typedef struct {
  unsigned passed, failed, skipped;
} spec_counts;

typedef struct {
  bool verbose;            /* print failures, notes and spectest.print output */
  bool bounds_checks;      /* weft_config.bounds_checks */
  uint32_t disabled_features; /* weft_config.disabled_features */
  const char *name;        /* file name used in messages */
  /* Called before each command with the counts so far and the command's line, so a parent
   * process can tell where a crash happened. May be NULL. */
  void (*progress)(const spec_counts *c, int line, void *ctx);
  void *ctx;
  /* --aot: every module command's .wasm is compiled by waot_compile (weftc's pipeline)
   * and the .aot bytes are what weft_module_new gets; assert_malformed/assert_invalid
   * modules still go through the .wasm path. */
  bool aot;
  int aot_opt;             /* the C compiler's -O level */
  bool aot_multi_thread;   /* --enable-multi-thread (the threads suite) */
  const char *aot_cache;   /* directory of compiled .aot files, or NULL for none */
  uint64_t aot_build_id;   /* identifies this weft-spec's compiler (part of cache keys) */
} runner_opts;

/* Runs every command of `json_path`, whose module files live in `dir`. Fills *out; returns
 * false (with a line on stdout) only when the file itself cannot be read or parsed, in which
 * case one failure is counted. */
bool runner_run_file(const char *dir, const char *json_path, const runner_opts *o, spec_counts *out);

#endif
