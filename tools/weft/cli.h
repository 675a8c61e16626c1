/* cli.h — shared pieces of the `weft` command line (tools/weft). */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weft.h"

/* Exit statuses of the command (besides the program's own). */
enum { CLI_EXIT_ERROR = 1, CLI_EXIT_USAGE = 2 };

/* Log levels for -v=N: messages at or below the chosen level are printed to stderr. */
enum { CLI_LOG_FATAL = 0, CLI_LOG_ERROR = 1, CLI_LOG_WARN = 2, CLI_LOG_INFO = 3,
       CLI_LOG_DEBUG = 4, CLI_LOG_VERBOSE = 5 };
extern int cli_log_level;
/* Prints "weft: [level] message" to stderr when level <= cli_log_level. */
void cli_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Converts one command-line argument to a value of type t; false if it does not parse.
 * Integers: decimal (signed or unsigned) or 0x hex; floats: C literals, nan, inf,
 * nan:0xPAYLOAD; references: null (externref also a number). */
bool cli_parse_value(const char *s, weft_valtype t, weft_slot *out);
/* Writes one value in the iwasm form ("0x2a:i32", "1.5:f64", "ref.null:funcref") to buf. */
void cli_format_value(weft_valtype t, weft_slot v, char *buf, size_t size);
/* Parses the arguments of f from args[0..nargs) into vals (np slots). On failure prints one
 * line to stderr and returns false. */
bool cli_parse_args(weft_func *f, const char *fname, char **args, int nargs, weft_slot *vals);
/* Prints each of f's nr results on its own line to stdout. */
void cli_print_results(weft_func *f, const weft_slot *results);

/* Module facts the public API does not expose (read from the decoded module). */
/* Writes the expected type of import (module, name) as text ("func (param i32) (result
 * i32)", "memory 1 2 shared", ...) to buf; empty when there is no such import. */
void cli_import_type(const weft_module *m, const char *module, const char *name, char *buf,
                     size_t size);
/* True if the module imports anything from a "wasi_*" module. */
bool cli_imports_wasi(const weft_module *m);
/* True if the module exports a function named `name`. */
bool cli_exports_func(const weft_module *m, const char *name);
/* The largest app heap (<= want bytes) memory 0 can take: want for a defined memory 0
 * (the runtime raises its maximum by the heap), for one without a maximum, or when there
 * is room; less for an imported memory whose maximum leaves less; 0 without a memory. */
uint32_t cli_heap_fit(const weft_module *m, uint32_t want);

/* Calls f with nargs typed args and prints its results. Returns 0 on success (also when the
 * program called exit: *exited is set and *exit_code has its code), CLI_EXIT_USAGE when the
 * arguments do not match f's parameters, CLI_EXIT_ERROR after a trap (printed). Used by -f
 * and the REPL. */
int cli_call_and_print(weft_exec *exec, weft_func *f, const char *fname, char **args,
                       int nargs, bool *exited, int *exit_code);
/* Prints a failed call's error: "Exception: REASON" and the backtrace for traps. */
void cli_report_error(const weft_error *err);

/* --repl: reads "NAME ARGS..." lines from stdin and calls the exports; returns the exit
 * status (0 at end of input or on "__exit__"; the program's code if it called exit). */
int cli_repl(weft_instance *inst, weft_exec *exec);

#endif
