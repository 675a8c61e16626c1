/* check.h — the embed tests' reporting: one line per check ("ok   name" or
 * "FAIL name (file:line)"), and a last line "N passed, M failed". */
#ifndef WEFT_EMBED_CHECK_H
#define WEFT_EMBED_CHECK_H
#include <stdbool.h>

/* Records and prints one check; returns ok. */
bool check_report(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints "N passed, M failed"; returns the process exit status (1 if anything failed). */
int check_summary(void);

#define CHECK(cond, ...) check_report((cond), __FILE__, __LINE__, __VA_ARGS__)

#endif
