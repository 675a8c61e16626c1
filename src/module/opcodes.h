/* opcodes.h — the opcode enum and metadata, all expanded from opcodes.def. */
#ifndef WEFT_OPCODES_H
#define WEFT_OPCODES_H
#include <stdint.h>

/* Immediate kinds (the IMM column of opcodes.def). */
typedef enum {
  WIMM_NONE,          /* nothing */
  WIMM_BLOCKTYPE,     /* s33: -64 (empty), a value type, or a type index */
  WIMM_LABEL,         /* u32 label depth */
  WIMM_BR_TABLE,      /* vec(u32) labels, then u32 default */
  WIMM_FUNC,          /* u32 function index */
  WIMM_CALL_INDIRECT, /* u32 type index, u32 table index */
  WIMM_SELECT_T,      /* vec(valtype), must have length 1 */
  WIMM_LOCAL,         /* u32 local index */
  WIMM_GLOBAL,        /* u32 global index */
  WIMM_TABLE,         /* u32 table index */
  WIMM_MEMARG,        /* u32 alignment exponent, u32 offset */
  WIMM_MEMIDX,        /* one byte memory index, must be 0 ("zero byte expected") */
  WIMM_ZERO_BYTE,     /* one reserved byte, must be 0 (atomic.fence) */
  WIMM_I32,           /* s32 */
  WIMM_I64,           /* s64 */
  WIMM_F32,           /* 4 raw bytes */
  WIMM_F64,           /* 8 raw bytes */
  WIMM_REFTYPE,       /* one byte: 0x70 funcref or 0x6F externref */
  WIMM_MEMORY_INIT,   /* u32 data index, then memory index byte 0 */
  WIMM_DATA,          /* u32 data index */
  WIMM_MEMORY_COPY,   /* two memory index bytes, both 0 */
  WIMM_TABLE_INIT,    /* u32 element index, u32 table index */
  WIMM_ELEM,          /* u32 element index */
  WIMM_TABLE_COPY,    /* u32 destination table, u32 source table */
} wimm;

/* WOP_<NAME> for every row of opcodes.def, numbered densely from 0. */
typedef enum {
#define X(NAME, TEXT, PREFIX, CODE, IMM, SIG, MEMSIZE) WOP_##NAME,
#include "opcodes.def"
#undef X
  WOP_COUNT_
} wop;

/* Static description of one opcode (a row of opcodes.def). */
typedef struct {
  const char *text;   /* text-format name */
  uint8_t prefix;     /* 0, 0xFC or 0xFE */
  uint32_t code;      /* byte or sub-opcode */
  wimm imm;           /* immediate kind */
  const char *sig;    /* "params:results" or "*" */
  uint8_t memsize;    /* access size in bytes, 0 if not a memory access */
} wopinfo;

/* The table, indexed by wop. */
extern const wopinfo wop_info[WOP_COUNT_];

/* Maps an encoding to its wop; returns -1 when (prefix, code) is not an opcode. */
int wop_lookup(uint8_t prefix, uint32_t code);

#endif
