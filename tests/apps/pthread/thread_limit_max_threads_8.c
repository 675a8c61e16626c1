/* thread_limit_max_threads_8.c — run with --max-threads=8: a 5th..8th thread succeed,
 * the 9th returns EAGAIN (the aux stack is cut into 9 slices). */
#define LIMIT 8
#include "thread_limit.h"
