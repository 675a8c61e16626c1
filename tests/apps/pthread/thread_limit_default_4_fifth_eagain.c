/* thread_limit_default_4_fifth_eagain.c — under weft's default limit (4 threads besides
 * main) the 5th pthread_create returns EAGAIN and the process keeps going. */
#define LIMIT 4
#include "thread_limit.h"
