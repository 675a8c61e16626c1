/* test_opcodes.c — the opcode table: lookups round-trip, encodings are unique, the
 * immediate/signature/memsize columns are well-formed. */
#include "module/opcodes.h"
#include "wtest.h"

/* "*" or "<types>:<types>" with types from i I f F. */
static int sig_ok(const char *s) {
  if (!s) return 0;
  if (strcmp(s, "*") == 0) return 1;
  int colons = 0;
  for (; *s; s++) {
    if (*s == ':') colons++;
    else if (!strchr("iIfF", *s)) return 0;
  }
  return colons == 1;
}

void test_opcodes(void) {
  CHECK(WOP_COUNT_ > 200);
  for (int i = 0; i < WOP_COUNT_; i++) {
    const wopinfo *o = &wop_info[i];
    int rt = wop_lookup(o->prefix, o->code);
    WT_RECORD(rt == i, "lookup(0x%02x, 0x%x) of %s gives %d, want %d", o->prefix, o->code,
              o->text, rt, i);
    WT_RECORD(o->prefix == 0 || o->prefix == 0xFC || o->prefix == 0xFE,
              "%s has prefix 0x%02x", o->text, o->prefix);
    WT_RECORD(o->prefix != 0 || (o->code < 256 && o->code != 0xFC && o->code != 0xFD &&
                                 o->code != 0xFE),
              "%s: single-byte code 0x%x collides with a prefix", o->text, o->code);
    WT_RECORD(o->text && o->text[0], "row %d has no text", i);
    WT_RECORD(sig_ok(o->sig), "%s has malformed signature \"%s\"", o->text, o->sig);
    int is_mem = o->imm == WIMM_MEMARG;
    WT_RECORD(is_mem == (o->memsize != 0), "%s: memsize %u with imm %d", o->text, o->memsize,
              o->imm);
    WT_RECORD(o->memsize == 0 || o->memsize == 1 || o->memsize == 2 || o->memsize == 4 ||
                  o->memsize == 8, "%s: memsize %u", o->text, o->memsize);
    for (int j = 0; j < i; j++)
      if (wop_info[j].prefix == o->prefix && wop_info[j].code == o->code)
        WT_RECORD(0, "%s and %s share encoding 0x%02x 0x%x", wop_info[j].text, o->text,
                  o->prefix, o->code);
  }
  /* spot checks of well-known rows */
  CHECK_EQ(wop_lookup(0, 0x6A), WOP_I32_ADD);
  CHECK_STR(wop_info[WOP_I32_ADD].sig, "ii:i");
  CHECK_EQ(wop_info[WOP_I64_LOAD].memsize, 8);
  CHECK_EQ(wop_info[WOP_I32_LOAD8_U].memsize, 1);
  CHECK_EQ(wop_info[WOP_END].code, 0x0B);
  /* encodings that are not instructions */
  CHECK_EQ(wop_lookup(0, 0xFD), -1);
  CHECK_EQ(wop_lookup(0, 0xFF), -1);
  CHECK_EQ(wop_lookup(0, 0x06), -1);
  CHECK_EQ(wop_lookup(0xFC, 1000), -1);
  CHECK_EQ(wop_lookup(0xFE, 0xFFFFFFFFu), -1);
  CHECK_EQ(wop_lookup(0xFD, 0), -1);
}
