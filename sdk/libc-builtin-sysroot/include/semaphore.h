/* semaphore.h — libc-builtin sysroot.
 *
 * weft's runtime does not provide semaphores yet (no sem_* host functions), so this header
 * stops the compile with a clear message instead of letting sem_* calls fail at link time.
 * Use a pthread mutex and condition variable instead. */
#ifndef _WEFT_SEMAPHORE_H
#define _WEFT_SEMAPHORE_H
#error "semaphores (sem_*) are not provided by weft's runtime yet; use pthread_mutex_t and pthread_cond_t (see docs/libc-builtin.md)"
#endif
