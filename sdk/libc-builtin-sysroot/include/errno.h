/* errno.h — libc-builtin sysroot.
 *
 * errno is one int in linear memory shared by all threads of the program (as in
 * wasi-libc): a weak definition here, merged into a single object by the linker, so no
 * runtime support is needed. libc-builtin's host functions do not set it (they report
 * errors through their return values); it exists for the program's own use. A threaded
 * program should not rely on it. The values are Linux's, which the pthread functions also
 * return (e.g. EBUSY, ETIMEDOUT). */
#ifndef _WEFT_ERRNO_H
#define _WEFT_ERRNO_H

__attribute__((__weak__)) int errno;
#define errno errno

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define EWOULDBLOCK EAGAIN
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28
#define EDOM 33
#define ERANGE 34
#define EDEADLK 35
#define ENOSYS 38
#define EOVERFLOW 75
#define ENOTSUP 95
#define EOPNOTSUPP ENOTSUP
#define ETIMEDOUT 110

#endif
