/* pthread.h — the pthread ABI of weft's built-in pthread library (libc-builtin route).
 *
 * Every pthread type is a 32-bit value in linear memory. A mutex or condition variable IS
 * its word: the runtime keeps no table of them, so a zero word (static `= 0`,
 * PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER) works without _init, and _destroy
 * frees nothing. Mutexes are error-checking: relocking one you hold returns EDEADLK,
 * unlocking one you do not hold returns EPERM, destroying a locked one returns EBUSY.
 * A mutex or condition variable must be 4-byte aligned (else EINVAL); a pointer outside
 * linear memory traps "out of bounds memory access".
 * Attributes are not supported: the attribute types are incomplete (usable only as
 * pointers) and the attr arguments are ignored (pass NULL).
 * pthread_cond_timedwait takes a relative timeout in microseconds, not a struct timespec
 * (the runtime also accepts the import with a 64-bit count:
 * int pthread_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, unsigned long long)).
 * Functions return 0 or an errno value (<errno.h>). A start routine or key destructor is
 * passed to the runtime as a function-table index (weft-cc exports the table). */
#ifndef _WEFT_PTHREAD_H
#define _WEFT_PTHREAD_H
#include "_weft_cdefs.h"

typedef unsigned int pthread_t;
typedef unsigned int pthread_mutex_t;
typedef unsigned int pthread_cond_t;
typedef unsigned int pthread_key_t;

#define PTHREAD_MUTEX_INITIALIZER 0u
#define PTHREAD_COND_INITIALIZER 0u
#define PTHREAD_CANCELED ((void *)-1)        /* pthread_join's value for a cancelled thread */
#define PTHREAD_KEYS_MAX 128                 /* live keys at once; one more gives EAGAIN */
#define PTHREAD_DESTRUCTOR_ITERATIONS 4      /* rounds of key destructors at thread exit */

typedef struct __weft_pthread_attr pthread_attr_t;         /* not supported: pass NULL */
typedef struct __weft_pthread_mutexattr pthread_mutexattr_t; /* not supported: pass NULL */
typedef struct __weft_pthread_condattr pthread_condattr_t;   /* not supported: pass NULL */

_WEFT_BEGIN
/* Threads. */
int pthread_create(pthread_t *thread, const void *attr, void *(*start_routine)(void *),
                   void *arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
int pthread_cancel(pthread_t thread);
pthread_t pthread_self(void);
_WEFT_NORETURN void pthread_exit(void *retval);

/* Mutexes. */
int pthread_mutex_init(pthread_mutex_t *mutex, const void *attr);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);
int pthread_mutex_destroy(pthread_mutex_t *mutex);

/* Condition variables; timedwait's timeout is relative, in microseconds. */
int pthread_cond_init(pthread_cond_t *cond, const void *attr);
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           unsigned int useconds);
int pthread_cond_signal(pthread_cond_t *cond);
int pthread_cond_broadcast(pthread_cond_t *cond);
int pthread_cond_destroy(pthread_cond_t *cond);

/* Thread-specific data. Destructors run when a thread ends (return, pthread_exit,
 * cancellation) for its non-NULL values, up to PTHREAD_DESTRUCTOR_ITERATIONS rounds. */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_setspecific(pthread_key_t key, const void *value);
void *pthread_getspecific(pthread_key_t key);
int pthread_key_delete(pthread_key_t key);
_WEFT_END

#endif
