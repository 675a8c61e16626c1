/* reader.h — decodes one instruction (opcode + immediates) from a function body.
 *
 * The single instruction decoder: the validator uses it on untrusted code (every error is
 * reported as WERR_MALFORMED with the offset), the interpreter's compiler and the
 * constant-expression evaluator use it on code the validator has accepted.
 */
#ifndef WEFT_READER_H
#define WEFT_READER_H
#include <stdint.h>
#include "../util/werr.h"
#include "opcodes.h"

/* A cursor over instruction bytes. `base` is the module binary, for offsets in messages. */
typedef struct {
  const uint8_t *p, *end;
  const uint8_t *base;
} wreader;

/* One decoded instruction. Which fields are meaningful depends on wop_info[op].imm. */
typedef struct {
  wop op;
  uint32_t offset;           /* offset of the opcode within the module binary */
  union {
    int64_t blocktype;       /* WIMM_BLOCKTYPE: -64 empty, <0 a value type byte as s7
                                (e.g. -1 = i32 0x7F), >=0 a type index */
    uint32_t index;          /* LABEL/FUNC/LOCAL/GLOBAL/TABLE/DATA/ELEM */
    struct { uint32_t type_idx, table; } ci;      /* CALL_INDIRECT */
    struct { uint32_t align, offset; } mem;       /* MEMARG (align is the exponent) */
    struct { uint32_t count; const uint8_t *targets; uint32_t def; } br_table;
                             /* BR_TABLE: `count` LEB u32 labels start at `targets`;
                                read them with wreader_br_table_target */
    uint8_t valtype;         /* SELECT_T (the single type), REFTYPE */
    struct { uint32_t a, b; } two;                /* TABLE_INIT (elem, table), TABLE_COPY
                                                     (dst, src), MEMORY_INIT (data, 0) */
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
  } imm;
} winstr;

/* Decodes the instruction at r->p and advances past it. Unknown opcodes give
 * "illegal opcode 0x..", 0xFD gives "SIMD is not supported". */
wstatus wreader_next(wreader *r, winstr *out, werr *err) W_WUR;

/* Reads the br_table target at *cursor and advances it. Start with
 * cursor = in->imm.br_table.targets and call it `count` times (linear, unlike indexing).
 * Only for instructions wreader_next has decoded: the LEBs are known to be well formed. */
uint32_t wreader_br_table_read(const uint8_t **cursor);

/* The block type's parameter/result counts and types, given the module's types.
 * For blocktypes -64/value type: 0 params, 0/1 results. Returns W_ERR if the type
 * index is out of range ("unknown type"). */
struct wmodule;
/* results of a value-type blocktype point into a static table, so copies stay valid */
typedef struct { uint32_t nparams, nresults; const uint8_t *params, *results; } wblocksig;
wstatus wreader_blocksig(const struct wmodule *m, int64_t blocktype, wblocksig *out, werr *err) W_WUR;

#endif
