/* opcodes.c — the opcode info table and encoding lookup, expanded from opcodes.def. */
#include "opcodes.h"

const wopinfo wop_info[WOP_COUNT_] = {
#define X(NAME, TEXT, PREFIX, CODE, IMM, SIG, MEMSIZE) {TEXT, PREFIX, CODE, WIMM_##IMM, SIG, MEMSIZE},
#include "opcodes.def"
#undef X
};

/* Dense reverse maps, filled from the table on first use. 0 = unknown, else wop + 1. */
static uint16_t map_single[256], map_fc[32], map_fe[128];

/* Runs before main (and before any thread exists), so lookups need no synchronisation. */
__attribute__((constructor)) static void build_maps(void) {
  for (int i = 0; i < WOP_COUNT_; i++) {
    const wopinfo *o = &wop_info[i];
    if (o->prefix == 0) map_single[o->code] = (uint16_t)(i + 1);
    else if (o->prefix == 0xFC) map_fc[o->code] = (uint16_t)(i + 1);
    else if (o->prefix == 0xFE) map_fe[o->code] = (uint16_t)(i + 1);
  }
}

int wop_lookup(uint8_t prefix, uint32_t code) {
  uint16_t v = 0;
  if (prefix == 0) v = map_single[code & 0xff];
  else if (prefix == 0xFC) { if (code < 32) v = map_fc[code]; }
  else if (prefix == 0xFE) { if (code < 128) v = map_fe[code]; }
  return (int)v - 1;
}
