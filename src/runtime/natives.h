/* natives.h — natives registered by signature string (weft_register_natives, natives.c). */
#ifndef WEFT_NATIVES_H
#define WEFT_NATIVES_H
#include "rt.h"

struct wnative;   /* one registered native: function, attachment, parsed signature */

/* The exec of the native running on this thread (innermost), or NULL. */
weft_exec *wnative_running(void);
/* Makes the native running on this thread trap with t when it returns (msg, if not NULL,
 * becomes the WEFT_TRAP_HOST message). Does nothing outside a native. */
void wnative_raise(weft_trap t, const char *msg);

/* Frees the runtime's native records (weft_runtime_delete, after the registry). */
void wnatives_free(struct weft_runtime *rt);

#endif
