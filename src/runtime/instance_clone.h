/* instance_clone.h — thread instances for the pthread library (src/thread/). */
#ifndef WEFT_INSTANCE_CLONE_H
#define WEFT_INSTANCE_CLONE_H
#include "rt.h"

/* A thread instance of `main` (a main instance): the same module and linear memories
 * (shared, referenced), the same app heap and imported functions/globals, but its own
 * function instances, its own defined globals (fresh from the module's initialisers) and
 * its own copies of main's current tables and element segments, in which main's functions
 * are replaced by the clone's. No data segment is applied and no start function runs.
 * thread_parent = main, cluster = main->cluster. NULL with err set when out of memory. */
winstance *winst_clone_for_thread(winstance *main, werr *err);
/* Frees a thread instance made by winst_clone_for_thread (not main's heap or memories). */
void winst_clone_delete(winstance *clone);

#endif
