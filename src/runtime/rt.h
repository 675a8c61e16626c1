/* rt.h — the runtime's plain-C object layouts, shared by the runtime, the interpreter and
 * (later) AOT-generated code. Keep these plain structs: generated code reads them directly.
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
