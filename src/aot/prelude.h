/* prelude.h — static inline helpers for weftc-generated C (loads/stores, numeric ops with
 * wasm semantics). Embedded after aot_abi.h into every generated file. (owned by the
 * emitter: src/aot/emit*.c) */
#ifndef WEFT_AOT_PRELUDE_H
#define WEFT_AOT_PRELUDE_H
#endif
