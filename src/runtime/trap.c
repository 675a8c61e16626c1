/* trap.c — the spec's wording for each trap code. */
#include "../../include/weft.h"

const char *weft_trap_message(weft_trap t) {
  switch (t) {
  case WEFT_TRAP_NONE: return "no trap";
  case WEFT_TRAP_UNREACHABLE: return "unreachable";
  case WEFT_TRAP_INT_DIV_ZERO: return "integer divide by zero";
  case WEFT_TRAP_INT_OVERFLOW: return "integer overflow";
  case WEFT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
  case WEFT_TRAP_OOB_MEMORY: return "out of bounds memory access";
  case WEFT_TRAP_OOB_TABLE: return "out of bounds table access";
  case WEFT_TRAP_INDIRECT_TYPE_MISMATCH: return "indirect call type mismatch";
  case WEFT_TRAP_UNDEFINED_ELEMENT: return "undefined element";
  case WEFT_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
  case WEFT_TRAP_CALL_STACK_EXHAUSTED: return "call stack exhausted";
  case WEFT_TRAP_UNALIGNED_ATOMIC: return "unaligned atomic";
  case WEFT_TRAP_EXPECTED_SHARED: return "expected shared memory";
  case WEFT_TRAP_AUX_STACK_OVERFLOW: return "wasm auxiliary stack overflow";
  case WEFT_TRAP_TERMINATED: return "terminated";
  case WEFT_TRAP_HOST: return "host function failed";
  case WEFT_TRAP_OUT_OF_MEMORY: return "out of memory";
  case WEFT_TRAP_EXIT: return "exit";
  case WEFT_TRAP_THREAD_EXIT: return "thread exit";
  default: return "unknown trap";
  }
}
