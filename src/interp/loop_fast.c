/* loop_fast.c — the execution loop in guard-page mode (no explicit bounds checks). */
#define WEFT_CHECKED 0
#define WI_LOOP_NAME winterp_loop_fast
#include "interp_loop.h"
