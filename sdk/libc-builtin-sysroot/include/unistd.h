/* unistd.h — libc-builtin sysroot: sleep and usleep only. */
#ifndef _WEFT_UNISTD_H
#define _WEFT_UNISTD_H
#include "_weft_cdefs.h"
#include <stddef.h>

typedef unsigned int useconds_t;

_WEFT_BEGIN
/* Sleeps for the given seconds / microseconds, blocking (no spinning); both return 0 (the
 * whole time slept; usleep accepts any count, as glibc does). A thread cancelled or
 * stopped (exit, trap, main returning) while it sleeps ends at once. */
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);
_WEFT_END

#endif
