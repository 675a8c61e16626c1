/* stdbool.h — libc-builtin sysroot. clang uses its own stdbool.h (its resource directory
 * is searched before the sysroot); this copy serves other compilers. */
#ifndef _WEFT_STDBOOL_H
#define _WEFT_STDBOOL_H
#ifndef __cplusplus
#define bool _Bool
#define true 1
#define false 0
#endif
#define __bool_true_false_are_defined 1
#endif
