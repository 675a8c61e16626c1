/* loop_checked.c — the execution loop in explicit-bounds-check mode. */
#define WEFT_CHECKED 1
#define WI_LOOP_NAME winterp_loop_checked
#include "interp_loop.h"
