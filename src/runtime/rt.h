/* rt.h — the runtime's plain-C object layouts, shared by the runtime, the interpreter and
 * AOT-generated code. The structs themselves are in rt_layout.h (self-contained, because
 * weftc embeds it into generated C); this adds the internal short names.
 */
#ifndef WEFT_RT_H
#define WEFT_RT_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "../../include/weft.h"
#include "../module/module.h"
#include "../platform/platform.h"
#include "rt_layout.h"

typedef weft_slot wslot;
typedef weft_trap wtrap;

#endif
